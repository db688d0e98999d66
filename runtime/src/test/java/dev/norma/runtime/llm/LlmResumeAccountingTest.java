package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.inference.CallJournalReader;
import dev.norma.runtime.testing.JavaProcesses;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.fakellm.Fault;
import dev.norma.testkit.fakellm.FaultRule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable language-model run's accounting holds across resumes: after two SIGKILLs and two
 * resumes every figure of {@code summary.json} is the sum of what {@code calls.jsonl.gz} holds, and
 * a call budget counts what was spent before each resume, so a resumed run stops within the
 * gateway's in-flight window of it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LlmResumeAccountingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Quick transport retries, and few: some calls fail for good and show as errors. */
  private static final List<String> JVM = List.of("-Xmx256m", "-Dnorma.inference.max-retries=1",
      "-Dnorma.inference.backoff-base=10ms", "-Dnorma.inference.backoff-cap=100ms");

  @TempDir
  Path temp;

  private Process norma(String name, List<String> args) throws Exception {
    return JavaProcesses.start(temp.resolve(name + ".log"), JVM, NormaCli.class, args, Map.of());
  }

  /** Starts the run (or resumes it), waits for {@code rows} rows of rounds.csv, and kills it hard. */
  private void killAfter(String name, List<String> args, Path dir, int rows) throws Exception {
    JavaProcesses.killAfterLines(norma(name, args), dir.resolve("rounds.csv"), rows);
    assertThat(dir.resolve("summary.json")).as("killed mid-run").doesNotExist();
  }

  private int finish(String name, List<String> args) throws Exception {
    Process run = norma(name, args);
    try {
      assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the resumed run ends").isTrue();
      return run.exitValue();
    } finally {
      run.destroyForcibly();
    }
  }

  @Test
  void afterTwoKillsAndResumesEverySummaryFigureIsTheSumOfTheCallJournal() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fixedStep(Duration.ofMillis(3))
        .fault(Fault.RATE_LIMITED, FaultRule.probability(0.08))
        .fault(Fault.UNAVAILABLE, FaultRule.probability(0.08))
        .fault(Fault.NO_OPTION, FaultRule.probability(0.04))
        .retryAfterSeconds(0)
        .build())) {
      Path spec = Files.writeString(temp.resolve("spec.yaml"), Specs.llm(server)
          .replace("maxInFlight: 32}", "maxInFlight: 32, promptPrice: 0.5, completionPrice: 1.5}")
          .replace("stop: {maxRounds: 120}", "stop: {maxRounds: 8, onConvergence: false}"));
      Path dir = temp.resolve("run");
      List<String> resume = List.of("run", "--resume", dir.toString(), "--quiet");

      killAfter("first", List.of("run", spec.toString(), "--out", dir.toString(), "--quiet"), dir, 2);
      killAfter("second", resume, dir, 5);
      assertThat(finish("third", resume)).as(Files.readString(temp.resolve("third.log"))).isZero();

      JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.path("status").asText()).isEqualTo("completed");
      assertThat(summary.path("interactions").asLong()).isEqualTo(24L * 8);
      Map<String, Double> sums = sums(RunFiles.callJournal(dir), 0.5, 1.5);
      for (String figure : List.of("calls", "replayedCalls", "requests", "promptTokens", "completionTokens",
          "retries", "errors", "failedCalls", "invalidAnswers")) {
        assertThat(summary.path(figure).asLong()).as(figure).isEqualTo(sums.get(figure).longValue());
      }
      assertThat(summary.path("estimatedCost").asDouble()).isCloseTo(sums.get("estimatedCost"), within(1e-9));
      // The faults show in the journal, so the figures above compare something: every session's.
      assertThat(sums.get("retries")).isPositive();
      assertThat(sums.get("failedCalls")).isPositive();
      assertThat(sums.get("invalidAnswers")).isPositive();
      // Every decision of the 8 rounds ends in an answer (a call, in the session that got it) or fails
      // for good; redone and re-asked decisions only add to this.
      assertThat(sums.get("calls") + sums.get("failedCalls")).as("every decision of 8 rounds at least")
          .isGreaterThanOrEqualTo(2.0 * 24 * 8);
      // A decision answered by an endpoint more than once was asked again after a kill.
      assertThat(summary.path("reissuedCalls").asLong()).isGreaterThanOrEqualTo(sums.get("answeredAgain").longValue());
    }
  }

  @Test
  void aCallBudgetCountsWhatWasSpentBeforeTheResume() throws Exception {
    int maxCalls = 160;
    int maxInFlight = 8;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fixedStep(Duration.ofMillis(5)).build())) {
      Path spec = Files.writeString(temp.resolve("spec.yaml"), Specs.llm(server)
          .replace("maxInFlight: 32}\n", "maxInFlight: " + maxInFlight + "}\n  budget: {maxCalls: " + maxCalls + "}\n")
          .replace("stop: {maxRounds: 120}", "stop: {maxRounds: 30, onConvergence: false}"));
      Path dir = temp.resolve("budget");

      killAfter("first", List.of("run", spec.toString(), "--out", dir.toString(), "--quiet"), dir, 1);
      // The killed run's journal has no gzip end: read as a resume reads it.
      List<JsonNode> killed = new java.util.ArrayList<>();
      CallJournalReader.read(dir.resolve(CallJournal.FILE), CallJournalReader.Purpose.RESUME,
          CallJournalReader.Reading.STRICT, killed::add);
      long spentBeforeResume = sums(killed, 0, 0).get("calls").longValue();
      assertThat(spentBeforeResume).as("killed before the budget").isBetween(24L, maxCalls - 1L);
      StringWriter err = new StringWriter();
      assertThat(NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
          "run", "--resume", dir.toString(), "--quiet")).as(err.toString()).isZero();

      JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.path("status").asText()).isEqualTo("budget-exhausted");
      long spent = sums(RunFiles.callJournal(dir), 0, 0).get("calls").longValue();
      // At most what was in flight when the budget was reached: the gateway's admission window.
      assertThat(spent).as("answers from the endpoint over both sessions")
          .isBetween((long) maxCalls, (long) maxCalls + 2L * maxInFlight);
      assertThat(summary.path("calls").asLong()).isEqualTo(spent);
    }
  }

  /** The journal's figures, summed here line by line as the README defines them. */
  private static Map<String, Double> sums(List<JsonNode> journal, double promptPrice, double completionPrice) {
    Map<String, Double> sums = new HashMap<>();
    Map<String, Integer> answered = new HashMap<>();
    for (JsonNode line : journal) {
      if (!"call".equals(line.path("type").asText())) {
        continue;
      }
      String outcome = line.path("outcome").asText();
      boolean replayed = line.path("replayed").asBoolean(false);
      boolean answer = outcome.equals("ok") || outcome.equals("invalid");
      boolean failed = outcome.equals("retry") || outcome.equals("error");
      if (answer && replayed) {
        sums.merge("replayedCalls", 1.0, Double::sum);
      } else if (answer) {
        sums.merge("calls", 1.0, Double::sum);
        long prompt = line.path("promptTokens").asLong();
        long completion = line.path("completionTokens").asLong();
        sums.merge("promptTokens", (double) prompt, Double::sum);
        sums.merge("completionTokens", (double) completion, Double::sum);
        sums.merge("estimatedCost", (prompt * promptPrice + completion * completionPrice) / 1e6, Double::sum);
        answered.merge(line.path("agent").asInt() + "|" + line.path("index").asLong() + "|"
            + line.path("role").asText() + "|" + line.path("attempt").asInt(), 1, Integer::sum);
      }
      if (answer && !replayed || failed) {
        sums.merge("requests", 1.0, Double::sum); // one endpoint of kind chat: a request a call
      }
      if (failed) {
        sums.merge("errors", 1.0, Double::sum);
      }
      sums.merge(switch (outcome) {
        case "retry" -> "retries";
        case "error" -> "failedCalls";
        case "invalid" -> "invalidAnswers";
        default -> "other";
      }, 1.0, Double::sum);
    }
    for (String figure : List.of("calls", "replayedCalls", "requests", "promptTokens", "completionTokens",
        "retries", "errors", "failedCalls", "invalidAnswers", "estimatedCost")) {
      sums.putIfAbsent(figure, 0.0);
    }
    sums.put("answeredAgain", (double) answered.values().stream().mapToInt(n -> n - 1).sum());
    return sums;
  }
}
