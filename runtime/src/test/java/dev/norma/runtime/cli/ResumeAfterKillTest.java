package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.study.DurableRunTest;
import dev.norma.runtime.testing.JavaProcesses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable local run killed hard (SIGKILL, no shutdown hook runs) and resumed with
 * {@code norma run --resume DIR} gives exactly the results of an uninterrupted run of the seed.
 */
class ResumeAfterKillTest {
  @TempDir
  Path temp;

  @Test
  void aKilledDurableRunResumesToTheUninterruptedResult() throws Exception {
    Path specFile = temp.resolve("study.yaml");
    Files.writeString(specFile, """
        name: resume
        population: {size: 1000}
        stop: {maxRounds: 30, onConvergence: false}
        """);
    Path dir = temp.resolve("run");
    Process run = JavaProcesses.start(temp.resolve("run.log"), List.of("-Xmx256m"), NormaCli.class,
        List.of("run", specFile.toString(), "--seed", "77", "--durability", "durable", "--out", dir.toString(),
            "--quiet"), Map.of());
    try {
      // Kill it once it has recorded some rounds, well before the end (30 rounds).
      JavaProcesses.awaitLines(dir.resolve("rounds.csv"), 4, run);
      run.destroyForcibly(); // SIGKILL on Linux
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      run.destroyForcibly();
    }
    long roundsBeforeKill = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
    assertThat(roundsBeforeKill).as("killed mid-run").isBetween(4L, 29L);
    assertThat(dir.resolve("summary.json")).doesNotExist();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "run", "--resume", dir.toString(), "--quiet");
    assertThat(code).as(err.toString()).isZero();

    ExperimentSpec spec = SpecLoader.load(dir.resolve("spec.yaml"), List.of());
    PopulationObserver reference = dev.norma.runtime.study.ActorRunEqualsPlainLoopTestAccess.runPlain(spec,
        temp.resolve("plain"));
    DurableRunTest.assertSameResults(dir, temp.resolve("plain"));
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("completed");
    assertThat(summary.get("interactions").asLong()).isEqualTo(reference.recorded()).isEqualTo(30_000);
    assertThat(summary.get("reissuedCalls").asLong()).isZero();
  }
}
