package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.JavaProcesses;
import dev.norma.testkit.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process engine ({@code kind: local}) end to end, on a tiny generated GGUF model: the
 * naming game runs on it, repeats exactly from its seed, replays without it, and a missing or
 * broken model file is a clear error.
 *
 * <p>Runs that load the model go through {@code norma run} in a JVM of their own: a llama.cpp
 * model keeps a native thread attached to the JVM after it is closed, which the CLI's
 * {@code System.exit} ends and a test JVM would keep. Checks that fail before the model is loaded
 * run in this JVM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A small JVM that compiles little: the tests run beside other builds on two cores. */
  private static final List<String> FORKED_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final List<String> NAMES = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");

  @TempDir
  Path temp;

  static String spec(Path model, int maxInFlight) {
    return """
        name: local-engine
        seed: 11
        population: {size: 24}
        game: {names: [Q, M, X, "Y", F, J, P, R, C, D], memory: 5}
        policy:
          kind: llm
          llm: {temperature: 1.0, topK: 10, maxTokens: 8, seed: 5}
        inference:
          endpoints:
            - {name: local, kind: local, model: '%s', maxInFlight: %d, contextSize: 4096, threads: 1}
        stop: {maxRounds: 2}
        """.formatted(model.toAbsolutePath(), maxInFlight);
  }

  /** {@code norma ARGS} in a JVM of its own; returns its exit code, its output in {@code log}. */
  private int normaForked(Path log, String... args) throws Exception {
    Process process = JavaProcesses.start(log, FORKED_JVM, NormaCli.class, List.of(args), Map.of());
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("norma " + String.join(" ", args) + " did not finish; its output:\n"
          + Files.readString(log));
    }
    return process.exitValue();
  }

  private Path run(Path spec, String name) throws Exception {
    Path out = temp.resolve(name);
    Path log = temp.resolve(name + ".log");
    assertThat(normaForked(log, "run", spec.toString(), "--out", out.toString(), "--quiet"))
        .as(() -> readQuietly(log)).isZero();
    return out;
  }

  @Test
  void twentyFourAgentsPlayTheNamingGameOnTheLocalEngineAndReplayWithoutIt() throws Exception {
    Path model = TinyGguf.write(temp.resolve("models/tiny-chat.gguf"), 3, TinyGguf.CHATML_TEMPLATE);
    Path spec = Files.writeString(temp.resolve("spec.yaml"), spec(model, 1));
    Path run = run(spec, "run");

    for (String file : List.of("spec.yaml", "rounds.csv", "interactions.csv.gz", "summary.json", "calls.jsonl.gz")) {
      assertThat(run.resolve(file)).as(file).isRegularFile();
    }
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    assertThat(summary.path("interactions").asLong()).isEqualTo(2 * 24);
    assertThat(summary.path("invalidInteractions").asLong()).isZero();
    assertThat(summary.path("invalidAnswers").asLong()).isZero();
    assertThat(summary.path("failedCalls").asLong()).isZero();
    // The grammar makes every answer an option: no interaction is invalid.
    List<String> rows = RunFiles.gunzipLines(run.resolve("interactions.csv.gz"));
    assertThat(rows).hasSize(1 + 2 * 24);
    assertThat(rows.stream().skip(1)).allMatch(r -> r.split(",", -1)[9].equals("true"));

    List<JsonNode> calls = calls(run);
    assertThat(calls).hasSize(summary.path("calls").asInt()).hasSizeGreaterThanOrEqualTo(2 * 2 * 24);
    assertThat(calls).allSatisfy(call -> {
      assertThat(call.path("outcome").asText()).isEqualTo("ok");
      assertThat(call.path("endpoint").asText()).isEqualTo("local");
      assertThat(call.path("model").asText()).isEqualTo("tiny-chat.gguf");
      assertThat(call.path("systemFingerprint").asText()).matches("sha256:[0-9a-f]{16}");
      assertThat(NAMES).contains(call.path("response").asText());
      // The chat template's text, the rendered prompt, one character a token or more.
      assertThat(call.path("promptTokens").asLong()).isGreaterThan(call.path("user").asText().length());
      assertThat(call.path("completionTokens").asLong()).isEqualTo(1);
    });
    assertThat(summary.path("promptTokens").asLong())
        .isEqualTo(calls.stream().mapToLong(c -> c.path("promptTokens").asLong()).sum());
    // A random model at temperature 1: the seeds, not the weights alone, pick the answers.
    assertThat(calls.stream().map(c -> c.path("response").asText()).collect(Collectors.toSet())).hasSizeGreaterThan(2);

    // The replay needs no model: the file is no longer one, and nothing reads it.
    Files.writeString(model, "not a model any more");
    Path replayed = temp.resolve("replayed");
    assertThat(normaForked(temp.resolve("replayed.log"), "run", "--replay", run.toString(), "--out",
        replayed.toString(), "--quiet")).as(() -> readQuietly(temp.resolve("replayed.log"))).isZero();
    assertThat(RunFiles.gunzipLines(replayed.resolve("interactions.csv.gz"))).isEqualTo(rows);
    JsonNode replaySummary = JSON.readTree(replayed.resolve("summary.json").toFile());
    assertThat(replaySummary.path("calls").asLong()).isZero();
    assertThat(replaySummary.path("replayedCalls").asLong()).isEqualTo(calls.size());
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // two runs on the in-process engine, about half a minute
  void theSameSeedGivesByteIdenticalInteractions() throws Exception {
    // No chat template: the engine continues the rendered prompt's plain text. Two slots: calls
    // decode side by side, in batches whose make-up depends on timing.
    Path model = TinyGguf.write(temp.resolve("tiny.gguf"), 5, null);
    Path spec = Files.writeString(temp.resolve("spec.yaml"), spec(model, 2));
    Path first = run(spec, "first");
    Path second = run(spec, "second");

    assertThat(Files.readAllBytes(second.resolve("interactions.csv.gz")))
        .isEqualTo(Files.readAllBytes(first.resolve("interactions.csv.gz")));
    assertThat(responses(second)).isEqualTo(responses(first));
    assertThat(Set.copyOf(responses(first))).hasSizeGreaterThan(2);
  }

  @Test
  void aMissingModelFileIsASpecErrorNamingTheField() throws Exception {
    Path spec = Files.writeString(temp.resolve("spec.yaml"), spec(temp.resolve("models/absent.gguf"), 1));
    StringWriter err = new StringWriter();

    int exit = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "run", spec.toString(), "--out", temp.resolve("run").toString(), "--quiet");

    assertThat(exit).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("inference.endpoints[0].model: expected an existing GGUF model file, got '"
        + temp.resolve("models/absent.gguf").toAbsolutePath() + "'");
    assertThat(temp.resolve("run")).doesNotExist();
  }

  @Test
  void aFileThatIsNoModelIsAnErrorNamingTheEndpointAndFileBeforeLlamaCppSeesIt() throws Exception {
    Path notAModel = Files.writeString(temp.resolve("notes.gguf"), "just some notes");
    Path spec = Files.writeString(temp.resolve("spec.yaml"), spec(notAModel, 1));
    StringWriter err = new StringWriter();

    int exit = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "run", spec.toString(), "--out", temp.resolve("run").toString(), "--quiet");

    assertThat(exit).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(err.toString()).contains("norma: cannot start the run: inference.endpoints local: cannot use the model "
        + notAModel.toAbsolutePath() + ": not a GGUF file").doesNotContain("\tat ");
  }

  private static List<String> responses(Path run) throws IOException {
    return calls(run).stream().map(c -> c.path("agent").asText() + "|" + c.path("index").asText() + "|"
        + c.path("role").asText() + "=" + c.path("response").asText()).sorted().toList();
  }

  private static List<JsonNode> calls(Path run) throws IOException {
    List<JsonNode> calls = new ArrayList<>();
    for (String line : RunFiles.gunzipLines(run.resolve("calls.jsonl.gz"))) {
      JsonNode entry = JSON.readTree(line);
      if (entry.path("type").asText().equals("call")) {
        calls.add(entry);
      }
    }
    return calls;
  }


  private static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
