package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A spec whose stop rules cannot end it in a sane time gets a warning with the estimated duration. */
class StudyDurationTest {
  private static ExperimentSpec spec(String yaml) throws Exception {
    return SpecLoader.parse(yaml, List.of()).resolved();
  }

  @Test
  void aMinorityBelowTheTippingPointWithoutAFlipStopRunsForMonths() throws Exception {
    String warning = StudyDuration.warning(spec("game: {kind: binary-agreement}\npopulation: {size: 2000}\n"
        + "committed: {fraction: 0.05}\nstop: {maxRounds: 1000000000, onFlip: false}\n"));
    assertThat(warning).contains("stop.maxRounds = 1,000,000,000").contains("below binary agreement's tipping point")
        .contains("2.00e+12 interactions at about 100,000 a second").contains("231.5 days");
  }

  @Test
  void studiesThatTheirRulesEndGetNoWarning() throws Exception {
    assertThat(StudyDuration.warning(spec(""))).isNull();
    assertThat(StudyDuration.warning(spec("game: {kind: binary-agreement}\npopulation: {size: 2000}\n"
        + "committed: {fraction: 0.12}\nstop: {maxRounds: 1000000000, onFlip: false}\n"))).isNull();
    assertThat(StudyDuration.warning(spec("game: {kind: binary-agreement}\npopulation: {size: 2000}\n"
        + "committed: {fraction: 0.05}\nstop: {maxRounds: 1000000000}\n"))).as("a flip window ends it").isNull();
    assertThat(StudyDuration.warning(spec("stop: {onConvergence: false, maxRounds: 100}\n")))
        .as("2,400 interactions are quick").isNull();
  }

  @Test
  void languageModelStudiesAreTimedByTheirCallsAndConcurrency() throws Exception {
    String warning = StudyDuration.warning(spec("policy: {kind: llm}\nstop: {onConvergence: false, maxRounds: 100000}\n"
        + "inference:\n  endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m, maxInFlight: 4}]\n"));
    // 24 agents × 100,000 rounds = 2.4M interactions, 4.8M calls, 0.5 s each, 4 at once: 600,000 s.
    assertThat(warning).contains("stop.onConvergence is false").contains("4.80e+06 language-model calls")
        .contains("4 at once").contains("6.9 days");
  }
}
