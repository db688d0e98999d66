package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.JavaProcesses;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
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
 * A durable language-model run killed hard (SIGKILL: no shutdown hook, the call journal's gzip
 * stream cut mid-way) and resumed with {@code norma run --resume DIR} ends with exactly the results
 * of an uninterrupted run of the seed, and asks the endpoint again only for decisions in flight at
 * the kill.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LlmResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  @Test
  void aKilledLanguageModelRunResumesToTheUninterruptedResult() throws Exception {
    // Answers depend only on the prompt and the request seed, so every run of the seed is the same.
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fixedStep(Duration.ofMillis(3)).build())) {
      Path spec = Files.writeString(temp.resolve("spec.yaml"), Specs.llm(server)
          .replace("stop: {maxRounds: 120}", "stop: {maxRounds: 12, onConvergence: false}"));
      Path reference = temp.resolve("reference");
      assertThat(norma.run("run", spec.toString(), "--durability", "none", "--out", reference.toString(), "--quiet"))
          .as(norma.err()).isZero();

      Path dir = temp.resolve("run");
      Process run = JavaProcesses.start(temp.resolve("run.log"), List.of("-Xmx256m"), NormaCli.class,
          List.of("run", spec.toString(), "--out", dir.toString(), "--quiet"), Map.of());
      JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), 3);
      long roundsBeforeKill = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
      assertThat(roundsBeforeKill).as("killed mid-run").isBetween(3L, 11L);
      assertThat(dir.resolve("summary.json")).doesNotExist();

      assertThat(norma.run("run", "--resume", dir.toString(), "--quiet")).as(norma.err()).isZero();

      assertThat(Files.readString(dir.resolve("rounds.csv"))).isEqualTo(Files.readString(reference.resolve("rounds.csv")));
      assertThat(RunFiles.gunzipLines(dir.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzipLines(reference.resolve("interactions.csv.gz")));
      JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.path("status").asText()).isEqualTo("completed");
      assertThat(summary.path("interactions").asLong()).isEqualTo(24L * 12);
      // The journal survived the kill up to its last flush; a decision asked twice was in flight
      // at the kill (or its line was not yet flushed) and is counted as reissued.
      Map<String, Integer> asked = new HashMap<>();
      for (JsonNode line : RunFiles.callJournal(dir)) {
        if ("call".equals(line.path("type").asText()) && "ok".equals(line.path("outcome").asText())
            && !line.path("replayed").asBoolean(false)) {
          asked.merge(line.path("agent").asInt() + "|" + line.path("index").asLong() + "|"
              + line.path("role").asText() + "|" + line.path("attempt").asInt(), 1, Integer::sum);
        }
      }
      long repeated = asked.values().stream().mapToLong(n -> n - 1).sum();
      assertThat(repeated).isLessThanOrEqualTo(summary.path("reissuedCalls").asLong());
      // Every line is flushed as written: every decision of the run is in the journal (none was
      // answered by replay: the resumed session's agents recovered theirs from their own journal).
      assertThat(asked.keySet().stream().filter(k -> k.endsWith("|0")).count())
          .as("every decision of the run is in the call journal")
          .isEqualTo(2L * 24 * 12);
    }
  }
}
