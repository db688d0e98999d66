package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.runtime.testing.Interrupts;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable language-model agents end to end: event-sourced agents asking the fake server over real
 * HTTP, the journal in the run directory, an interrupted run resumed from it.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class DurableLlmStudyTest {
  @TempDir
  Path temp;

  /** How many answers from the endpoint each decision (agent, interaction, role, attempt) got. */
  private static Map<String, Integer> answeredCalls(List<JsonNode> journal) {
    Map<String, Integer> calls = new HashMap<>();
    for (JsonNode e : journal) {
      if ("call".equals(e.path("type").asText()) && !e.path("replayed").asBoolean(false)
          && ("ok".equals(e.path("outcome").asText()) || "invalid".equals(e.path("outcome").asText()))) {
        calls.merge(e.path("agent").asInt() + "|" + e.path("index").asLong() + "|" + e.path("role").asText()
            + "|" + e.path("attempt").asInt(), 1, Integer::sum);
      }
    }
    return calls;
  }

  @Test
  void twentyFourDurableLanguageModelAgentsConvergeThroughTheGateway() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      ExperimentSpec spec = Specs.parse(Specs.llm(server));
      assertThat(spec.durable()).as("llm studies are durable by default").isTrue();
      Path run = temp.resolve("run");
      Summary summary;
      try (StudyRunner runner = StudyRunner.durable(run)) {
        summary = runner.runDurable(spec, run, ProgressListener.NONE);
      }
      assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(summary.converged()).as("converged").isTrue();
      assertThat(summary.reissuedCalls()).isZero();
      assertThat(summary.inference().calls()).isGreaterThanOrEqualTo(2 * summary.interactions());
      assertThat(answeredCalls(RunFiles.callJournal(run)).values()).allMatch(n -> n == 1);
      assertThat(Files.readString(run.resolve("summary.json"))).contains("\"calls\"");
    }
  }

  @Test
  void anInterruptedDurableLanguageModelRunResumesWithoutAskingAgainForWhatItRecorded() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      ExperimentSpec spec = Specs.parse(Specs.llm(server), "stop.maxRounds=12", "stop.onConvergence=false");
      Path run = temp.resolve("run");
      Summary interrupted;
      try (StudyRunner runner = StudyRunner.durable(run)) {
        interrupted = runner.runDurable(spec, run, Interrupts.atRound(runner, 3));
      }
      assertThat(interrupted.status()).isEqualTo(RunOutcome.INTERRUPTED);
      assertThat(interrupted.interactions()).isGreaterThan(0).isLessThan(24L * 12);
      long firstSessionCalls = interrupted.inference().calls();

      Summary resumed;
      try (StudyRunner runner = StudyRunner.durable(run)) {
        resumed = runner.runDurable(spec, run, ProgressListener.NONE);
      }
      assertThat(resumed.status()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(resumed.interactions()).isEqualTo(24L * 12);
      // The recorded interactions were replayed from the journal, not asked again: the resumed
      // session asked at most for the interactions still to play, plus the re-sent ones.
      long remaining = 24L * 12 - interrupted.interactions();
      Map<String, Integer> calls = answeredCalls(RunFiles.callJournal(run));
      long repeated = calls.values().stream().mapToLong(n -> n - 1).sum();
      assertThat(repeated).isLessThanOrEqualTo(resumed.reissuedCalls());
      // The resumed run's summary counts the whole run: the first session's calls and its own.
      assertThat(resumed.inference().calls()).isGreaterThan(firstSessionCalls)
          .isEqualTo(calls.values().stream().mapToLong(Integer::longValue).sum());
      assertThat(calls.keySet().stream().filter(k -> k.endsWith("|0")).count())
          .as("every decision of the run is in the call journal")
          .isGreaterThanOrEqualTo(2 * 24L * 12 - 2 * remaining);
    }
  }
}
