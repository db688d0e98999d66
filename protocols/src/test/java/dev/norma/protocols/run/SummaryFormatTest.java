package dev.norma.protocols.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** summary.json keeps format 1: a summary written before parameters were recorded still reads. */
class SummaryFormatTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aSummaryWithoutParametersReadsAsBefore() throws Exception {
    String old = """
        {"format":1,"status":"completed","name":"naming-game-24","seed":42,"game":"naming","policy":"memory",
         "schedule":"sequential","populationSize":24,"committedCount":0,"interactions":1440,"populationRounds":60,
         "invalidInteractions":0,"reissuedCalls":0,"converged":true,"convergenceInteraction":1200,
         "convergenceRound":50,"winner":"Q","finalShares":{"Q":1.0},"stopReason":"converged",
         "wallSeconds":0.5,"interactionsPerSecond":2880.0}
        """;
    Summary summary = json.readValue(old, Summary.class);
    assertThat(summary.parameters()).isNull();
    assertThat(summary.winner()).isEqualTo("Q");
    assertThat(json.readTree(json.writeValueAsString(summary)).has("parameters")).isFalse();
  }

  @Test
  void parametersRoundTripAndLeaveOutWhatDoesNotApply() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        format: 1
        population: {size: 48}
        game: {kind: naming, names: [Q, M], memory: 3}
        committed: {name: Q, fraction: 0.25, introduce: prepared, majorityName: M}
        policy: {kind: memory, temperature: 0.2, bias: {M: 2.0}}
        """, List.of()).resolved();
    RunParameters parameters = RunParameters.of(spec, "Q", 12);
    Summary summary = new Summary(Summary.FORMAT, RunOutcome.COMPLETED, "s", 1, "naming", "memory", "sequential",
        48, 12, 480, 10, 0, 0, false, null, null, null, java.util.Map.of(), true, 7L, "flipped", 1.0, 480)
        .withParameters(parameters);
    String written = json.writeValueAsString(summary);
    var tree = json.readTree(written).path("parameters");
    assertThat(tree.path("committedFraction").asDouble()).isEqualTo(0.25);
    assertThat(tree.path("bias").path("M").asDouble()).isEqualTo(2.0);
    assertThat(tree.has("llmTemperature")).isFalse();
    assertThat(json.readValue(written, Summary.class).parameters()).isEqualTo(parameters);
    assertThat(RunParameters.of(spec, "Q", 0).committedName()).isNull();
    assertThat(List.of(parameters.names(), parameters.memory())).containsExactly(List.of("Q", "M"), 3);
  }
}
