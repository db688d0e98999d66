package dev.norma.loadtest.gateway;

import static dev.norma.loadtest.gateway.LlmStudyEndToEndTest.fastServer;
import static dev.norma.loadtest.gateway.LlmStudyEndToEndTest.parse;
import static dev.norma.loadtest.gateway.LlmStudyEndToEndTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.norma.loadtest.fakellm.FakeLlmServer;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.results.Summary;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
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
 * retries climb; a durable run so stopped resumes when the endpoint is back.
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
  void aDurableRunStopsAsFailedNamingTheEndpointAndResumesWhenItIsBack() throws Exception {
    Path run = temp.resolve("run");
    ExperimentSpec spec;
    int port;
    AtomicLong killedAt = new AtomicLong();
    Summary failed;
    try (FakeLlmServer server = FakeLlmServer.start(fastServer().build())) {
      port = server.port();
      spec = parse(spec(server, ""), "stop.maxRounds=6", "stop.onConvergence=false");
      try (StudyRunner runner = StudyRunner.durable(run)) {
        failed = runner.runDurable(spec, run, killAfter(server, 1, killedAt));
      }
    }
    double secondsAfterKill = (System.nanoTime() - killedAt.get()) / 1e9;
    System.out.printf("stopped %.1f s after the endpoint died: %s%n", secondsAfterKill, failed.stopReason());
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.stopReason()).contains("no endpoint has answered for").contains("endpoint fake at 127.0.0.1:" + port);
    assertThat(failed.interactions()).isGreaterThan(0).isLessThan(24L * 6);
    assertThat(secondsAfterKill).as("stopped soon after the unreachable-after of 2 s").isLessThan(20);
    assertThat(Files.readString(run.resolve("summary.json"))).contains("\"status\" : \"failed\"");

    try (FakeLlmServer back = FakeLlmServer.start(fastServer().port(port).build());
         StudyRunner runner = StudyRunner.durable(run)) {
      Summary resumed = runner.runDurable(spec, run, ProgressListener.NONE);
      assertThat(resumed.status()).isEqualTo("completed");
      assertThat(resumed.interactions()).isEqualTo(24L * 6);
    }
  }

  @Test
  void anInMemoryRunFailsTooRatherThanCrawling() throws Exception {
    AtomicLong killedAt = new AtomicLong();
    try (FakeLlmServer server = FakeLlmServer.start(fastServer().build());
         StudyRunner runner = new StudyRunner()) {
      ExperimentSpec spec = parse(spec(server, ""), "stop.maxRounds=1000", "stop.onConvergence=false",
          "durability=none");
      assertThatThrownBy(() -> runner.run(spec, temp.resolve("memory"), killAfter(server, 1, killedAt)))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no endpoint has answered for").hasMessageContaining("endpoint fake");
    }
    assertThat((System.nanoTime() - killedAt.get()) / 1e9).isLessThan(20);
  }
}
