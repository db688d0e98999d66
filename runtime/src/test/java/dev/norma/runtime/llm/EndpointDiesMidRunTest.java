package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that dies mid-run fails the run, naming the endpoint, once no request has been
 * answered for {@code norma.inference.unreachable-after} (2 s here), instead of crawling on while
 * retries climb: {@code norma run} exits 1 with one line, and a durable run so stopped resumes
 * when the endpoint is back.
 */
@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class EndpointDiesMidRunTest {
  private static final String SETTING = "norma.inference.unreachable-after";

  @TempDir
  Path temp;

  @BeforeEach
  void shortTimeout() {
    System.setProperty(SETTING, "2s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultTimeout() {
    System.clearProperty(SETTING);
    ConfigFactory.invalidateCaches();
  }

  /** Stops the server once the run has played {@code rounds} population rounds; when it stopped. */
  private static ProgressListener killAfter(FakeLlmServer server, int rounds, AtomicLong killedAt) {
    return new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        if (snapshot.round() >= rounds && killedAt.compareAndSet(0, System.nanoTime())) {
          server.close();
        }
      }
    };
  }

  @Test
  void aDurableRunStopsAsFailedWithExitOneNamingTheEndpointAndResumesWhenItIsBack() throws Exception {
    Path run = temp.resolve("run");
    Path specFile = temp.resolve("spec.yaml");
    StringWriter err = new StringWriter();
    int port;
    int code;
    AtomicLong killedAt = new AtomicLong();
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      port = server.port();
      Files.writeString(specFile, Specs.llm(server));
      Thread killer = new Thread(() -> killAfterAnswers(server, 60, killedAt), "endpoint-killer");
      killer.start();
      code = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run",
          specFile.toString(), "--set", "stop.maxRounds=6", "--set", "stop.onConvergence=false", "--quiet",
          "--out", run.toString());
      killer.interrupt();
    }
    double secondsAfterKill = (System.nanoTime() - killedAt.get()) / 1e9;
    System.out.printf("stopped %.1f s after the endpoint died: %s%n", secondsAfterKill, err);
    assertThat(killedAt.get()).as("the endpoint was stopped mid-run").isNotZero();
    assertThat(code).as(err.toString()).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(err.toString()).contains("the run failed: no endpoint has answered for")
        .contains("endpoint fake at 127.0.0.1:" + port).contains("norma run --resume " + run)
        .doesNotContain("\tat ");
    // It stopped within seconds of the 2 s limit (the process exits a few seconds later, once its
    // actor system has shut down), not after the minutes that retries would take.
    assertThat(err.toString()).containsPattern("no endpoint has answered for [2-9] s");
    assertThat(secondsAfterKill).isLessThan(60);
    JsonNode failed = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("interactions").asLong()).isGreaterThan(0).isLessThan(24L * 6);

    try (FakeLlmServer back = FakeLlmServer.start(FakeLlmSettings.fast().port(port).build())) {
      int resumed = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run",
          "--resume", run.toString(), "--quiet");
      assertThat(resumed).as(err.toString()).isZero();
    }
    JsonNode completed = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(completed.path("interactions").asLong()).isEqualTo(24L * 6);
  }

  /** Stops the server once it has answered {@code answers} chat requests. */
  private static void killAfterAnswers(FakeLlmServer server, long answers, AtomicLong killedAt) {
    try {
      while (server.stats().requests("chat", 200) < answers) {
        Thread.sleep(20);
      }
      killedAt.set(System.nanoTime());
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anInMemoryRunFailsTooRatherThanCrawling() throws Exception {
    AtomicLong killedAt = new AtomicLong();
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build());
         StudyRunner runner = new StudyRunner()) {
      ExperimentSpec spec = Specs.parse(Specs.llm(server), "stop.maxRounds=1000", "stop.onConvergence=false",
          "durability=none");
      assertThatThrownBy(() -> runner.run(spec, temp.resolve("memory"), killAfter(server, 1, killedAt)))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no endpoint has answered for").hasMessageContaining("endpoint fake");
    }
    assertThat((System.nanoTime() - killedAt.get()) / 1e9).isLessThan(60);
  }
}
