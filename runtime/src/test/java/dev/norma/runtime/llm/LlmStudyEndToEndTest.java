package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.fakellm.Fault;
import dev.norma.testkit.fakellm.FaultRule;
import dev.norma.testkit.fakellm.FixedResponder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language-model agents end to end: sharded agents, the inference gateway, real HTTP to the fake
 * OpenAI-compatible server started in this JVM on a free port, the call journal and the run
 * directory.
 */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class LlmStudyEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static StudyRunner runner;

  @TempDir
  Path temp;

  @BeforeAll
  static void startNode() {
    // Short backoffs and breaker pauses keep the fault tests quick; the logic is the same.
    runner = new StudyRunner(ConfigFactory.parseString(
        "norma.inference { backoff-base = 20ms, backoff-cap = 500ms, breaker-reset = 200ms }")
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopNode() {
    runner.close();
  }

  @Test
  void twentyFourLanguageModelAgentsConvergeThroughTheGateway() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path run = temp.resolve("run");
      Summary summary = runner.run(Specs.parse(Specs.llm(server)), run, ProgressListener.NONE);

      assertThat(summary.converged()).as("converged").isTrue();
      assertThat(summary.policy()).isEqualTo("llm");
      assertThat(summary.inference().calls()).isGreaterThanOrEqualTo(2 * summary.interactions());
      assertThat(summary.inference().promptTokens()).isPositive();
      assertThat(summary.inference().completionTokens()).isPositive();
      assertThat(summary.inference().templatesSha256()).hasSize(64);
      // Interactions in flight when the run stopped still finish: the server saw at least as many.
      assertThat(server.stats().requests("chat", 200)).isGreaterThanOrEqualTo(summary.inference().requests());

      List<JsonNode> calls = RunFiles.callJournal(run).stream().filter(e -> e.path("type").asText().equals("call")).toList();
      assertThat(calls).hasSize((int) summary.inference().calls());
      JsonNode first = calls.get(0);
      assertThat(first.path("outcome").asText()).isEqualTo("ok");
      assertThat(first.path("endpoint").asText()).isEqualTo("fake");
      assertThat(first.path("model").asText()).isEqualTo("norma-fake-llm");
      assertThat(first.path("systemFingerprint").asText()).startsWith("fp_");
      assertThat(first.path("promptSha256").asText()).hasSize(64);
      assertThat(first.path("user").asText()).contains("can pick from are:");
      assertThat(first.path("params").path("temperature").asDouble()).isEqualTo(0.5);
      JsonNode written = JSON.readTree(run.resolve("summary.json").toFile());
      assertThat(written.path("calls").asLong()).isEqualTo(summary.inference().calls());
      assertThat(written.path("promptTokens").asLong()).isEqualTo(summary.inference().promptTokens());
      assertThat(written.has("templates")).isTrue();
    }
  }

  @Test
  void underInjectedFaultsEveryInteractionIsValidOrCountedInvalidAndNoneIsLostOrDuplicated() throws Exception {
    FakeLlmSettings settings = FakeLlmSettings.fast()
        .fault(Fault.RATE_LIMITED, FaultRule.probability(0.10))
        .fault(Fault.UNAVAILABLE, FaultRule.probability(0.10))
        .fault(Fault.MALFORMED, FaultRule.probability(0.05))
        .fault(Fault.NO_OPTION, FaultRule.probability(0.05))
        .fault(Fault.TIMEOUT, FaultRule.every(15).during(Duration.ZERO, Duration.ofSeconds(5)))
        .retryAfterSeconds(0)
        .timeoutHold(Duration.ZERO)
        .build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      Path run = temp.resolve("faults");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      String yaml = Specs.llm(server).replace("maxInFlight: 32}", "maxInFlight: 32, timeout: 0.5}");
      Summary summary = runner.run(Specs.parse(yaml, "stop.maxRounds=20", "stop.onConvergence=false"), run,
          ProgressListener.NONE, new StudyOptions(null, meters));

      assertThat(summary.interactions()).isEqualTo(20 * 24);
      List<String> rows = RunFiles.gunzipLines(run.resolve("interactions.csv.gz"));
      List<Long> indices = rows.stream().skip(1).map(r -> Long.parseLong(r.substring(0, r.indexOf(',')))).toList();
      assertThat(indices).hasSize(20 * 24).doesNotHaveDuplicates();
      assertThat(indices).isSorted();
      long invalidRows = rows.stream().skip(1).filter(r -> r.split(",", -1)[9].equals("false")).count();
      assertThat(invalidRows).isEqualTo(summary.invalidInteractions());

      assertThat(summary.inference().retries()).isPositive();
      assertThat(summary.inference().invalidAnswers()).isPositive();
      assertThat(meters.get("norma.llm.retries").tag("endpoint", "fake").counter().count())
          .isEqualTo((double) summary.inference().retries());
      assertThat(meters.get("norma.llm.errors").tag("kind", "rate-limited").counter().count()).isPositive();
      assertThat(meters.get("norma.llm.errors").tag("kind", "overloaded").counter().count()).isPositive();
      assertThat(meters.get("norma.llm.errors").tag("kind", "malformed").counter().count()).isPositive();
      assertThat(meters.get("norma.llm.errors").tag("kind", "timeout").counter().count()).isPositive();
      List<JsonNode> journal = RunFiles.callJournal(run);
      assertThat(journal).anyMatch(e -> e.path("outcome").asText().equals("retry"));
      assertThat(journal).anyMatch(e -> e.path("outcome").asText().equals("invalid"));
      assertThat(journal.stream().filter(e -> e.path("outcome").asText().equals("retry")).count())
          .isEqualTo(summary.inference().retries());
    }
  }

  @Test
  void answersThatNeverNameAnOptionMakeEveryInteractionInvalidAndChangeNoMemory() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().responder(FixedResponder.always("Z")).build())) {
      Path run = temp.resolve("invalid");
      Summary summary = runner.run(Specs.parse(Specs.llm(server), "stop.maxRounds=2", "policy.llm.parseRetries=1"), run,
          ProgressListener.NONE);
      assertThat(summary.interactions()).isEqualTo(48);
      assertThat(summary.invalidInteractions()).isEqualTo(48);
      assertThat(summary.converged()).isFalse();
      assertThat(summary.inference().invalidAnswers()).isGreaterThanOrEqualTo(2 * 48);
      List<String> rows = RunFiles.gunzipLines(run.resolve("interactions.csv.gz"));
      assertThat(rows.stream().skip(1)).allMatch(r -> r.contains(",false,false,0,0,"));
      assertThat(Files.readAllLines(run.resolve("rounds.csv")).get(1)).startsWith("0,24,0,");
      // No memory changed: every prompt, first ask or second, shows an empty history.
      List<JsonNode> calls = RunFiles.callJournal(run).stream().filter(e -> e.path("type").asText().equals("call")).toList();
      assertThat(calls).allMatch(e -> e.path("user").asText().contains("It is now round 1.")
          && e.path("outcome").asText().equals("invalid"));
      // The responder of an invalid proposal is not asked: only initiators appear.
      assertThat(calls).allMatch(e -> e.path("role").asText().equals("initiator"));
      assertThat(calls.stream().filter(e -> e.path("attempt").asInt() == 1)).hasSize(48);
    }
  }

  @Test
  void committedAgentsAreNeverPrompted() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path run = temp.resolve("committed");
      ExperimentSpec spec = Specs.parse(Specs.llm(server), "stop.maxRounds=4", "stop.onConvergence=false",
          "committed.count=6", "stop.onFlip=false").withSeed(11);
      Summary summary = runner.run(spec, run, ProgressListener.NONE);
      StudyPlan plan = new StudyPlan(spec, 11);
      List<JsonNode> calls = RunFiles.callJournal(run).stream().filter(e -> e.path("type").asText().equals("call")).toList();
      assertThat(calls).isNotEmpty().noneMatch(e -> plan.isCommitted(e.path("agent").asInt()));
      List<String> rows = RunFiles.gunzipLines(run.resolve("interactions.csv.gz"));
      long committedSides = rows.stream().skip(1).mapToLong(r -> {
        String[] f = r.split(",", -1);
        return (f[12].equals("true") ? 1 : 0) + (f[13].equals("true") ? 1 : 0);
      }).sum();
      assertThat(calls.stream().filter(e -> e.path("outcome").asText().equals("ok")).count())
          .isEqualTo(2 * summary.interactions() - committedSides);
    }
  }

  @Test
  void aReachedBudgetStopsTheRunCleanlyWithEverythingWritten() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path run = temp.resolve("budget");
      Summary summary = runner.run(Specs.parse(Specs.llm(server),
          "inference.budget.maxCalls=100"), run, ProgressListener.NONE);
      assertThat(summary.status()).isEqualTo(RunOutcome.BUDGET_EXHAUSTED);
      assertThat(summary.stopReason()).isEqualTo("budget-exhausted");
      assertThat(summary.inference().calls()).isGreaterThanOrEqualTo(100);
      // Stopped at once: well short of convergence, with what was finished written.
      assertThat(summary.interactions()).isLessThan(100);
      JsonNode written = JSON.readTree(run.resolve("summary.json").toFile());
      assertThat(written.path("status").asText()).isEqualTo("budget-exhausted");
      assertThat(RunFiles.gunzipLines(run.resolve("interactions.csv.gz"))).hasSize((int) summary.interactions() + 1);
      assertThat(Files.readAllLines(run.resolve("rounds.csv"))).hasSize((int) (summary.interactions() / 24) + 1);
    }
  }

  @Test
  void theExampleRunsAgainstTheFakeServer() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      String example = Files.readString(Path.of("..", "examples", "naming-game-llm.yaml"))
          .replace("http://127.0.0.1:8000/v1", server.baseUri() + "/v1");
      Summary summary = runner.run(Specs.parse(example), temp.resolve("example"), ProgressListener.NONE);
      assertThat(summary.converged()).isTrue();
      assertThat(summary.inference().calls()).isBetween(500L, 20_000L);
    }
  }

  @Test
  void aSlowEndpointSlowsTheStudyInsteadOfPilingUpCalls() throws Exception {
    slowEndpointHoldsCallsBack(false);
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // ten seconds; the in-memory study above holds calls back the same way
  void aSlowEndpointSlowsADurableStudyInsteadOfPilingUpCalls() throws Exception {
    slowEndpointHoldsCallsBack(true);
  }

  private void slowEndpointHoldsCallsBack(boolean durable) throws Exception {
    // 100 agents paired in rounds could have fifty calls waiting at once; the endpoint takes 4.
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().maxSeqs(4).build())) {
      int[] peak = new int[1];
      int[] reports = new int[1];
      ProgressListener watch = new ProgressListener() {
        @Override
        public void update(Snapshot snapshot) {
          if (snapshot.inference() != null) {
            reports[0]++;
            peak[0] = Math.max(peak[0], snapshot.inference().inFlight() + snapshot.inference().queued());
          }
        }
      };
      String yaml = Specs.llm(server).replace("maxInFlight: 32}", "maxInFlight: 4}");
      ExperimentSpec spec = Specs.parse(yaml, "population.size=100", "schedule.kind=rounds", "schedule.inFlight=2000",
          "stop.maxRounds=3", "stop.onConvergence=false");
      Path run = temp.resolve(durable ? "slow-durable" : "slow");
      Summary summary;
      if (durable) {
        try (StudyRunner durableRunner = StudyRunner.durable(run)) {
          summary = durableRunner.runDurable(spec, run, watch);
        }
      } else {
        summary = runner.run(spec, run, watch);
      }
      assertThat(summary.interactions()).isEqualTo(300);
      assertThat(reports[0]).isPositive();
      // The matchmaker admits at most twice the endpoint's limit: calls in flight and queued stay below 8.
      assertThat(peak[0]).isPositive().isLessThanOrEqualTo(8);
    }
  }

  @Test
  void aRunWhoseEndpointNeverAnswersFailsInsteadOfPlayingOnWithInvalidInteractions() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String yaml = "policy: {kind: llm}\n"
        + "inference: {endpoints: [{name: down, url: 'http://127.0.0.1:" + closedPort + "/v1', model: m}]}\n";
    Path run = temp.resolve("down");
    // One retry a call: the rule, not the patience, is under test.
    try (StudyRunner impatient = new StudyRunner(ConfigFactory.parseString(
        "norma.inference { max-retries = 1, backoff-base = 10ms, backoff-cap = 50ms, breaker-reset = 50ms }")
        .withFallback(ConfigFactory.load()))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.run(Specs.parse(yaml).withSeed(1), run,
              ProgressListener.NONE))
          .isInstanceOf(java.util.concurrent.ExecutionException.class)
          .hasMessageContaining("no endpoint answered any of the first");
    }
    assertThat(RunFiles.callJournal(run)).anyMatch(e -> e.path("outcome").asText().equals("error")
        && e.path("error").asText().startsWith("connection"));
  }
}
