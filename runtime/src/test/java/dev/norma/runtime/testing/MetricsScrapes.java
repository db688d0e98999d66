package dev.norma.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.run.Summary;
import dev.norma.runtime.metrics.MetricsServer;
import dev.norma.runtime.metrics.PopulationMeters;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.fakellm.Fault;
import dev.norma.testkit.fakellm.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** What a Prometheus scrape of a run's metrics holds, for the tests of the metrics and of the dashboards. */
public final class MetricsScrapes {
  private MetricsScrapes() {
  }

  /**
   * The scrape of {@code norma run --metrics-port} after a 6-round language-model study against
   * the fake server, one request in ten rate-limited: every meter the run registers has values.
   */
  public static String afterALanguageModelStudy(Path runDirectory) throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fault(Fault.RATE_LIMITED, FaultRule.probability(0.1)).retryAfterSeconds(0).build());
         MetricsServer metrics = MetricsServer.start("127.0.0.1", 0);
         StudyRunner runner = new StudyRunner()) {
      ProgressListener population = new PopulationMeters(metrics.registry());
      Summary summary = runner.run(Specs.parse(Specs.llm(server),
              "stop.maxRounds=6", "stop.onConvergence=false"), runDirectory, population,
          new StudyOptions(null, metrics.registry()));
      // The last progress report comes with the summary.
      assertThat(summary.interactions()).isEqualTo(6 * 24);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      return response.body();
    }
  }

  /**
   * Scrapes {@code http://127.0.0.1:port/metrics} every 200 ms until closed, noting whether any
   * scrape had a line matching each of {@code lines} (a node's meters of a run last only as long
   * as the run).
   */
  public static Watch watch(int port, java.util.List<java.util.function.Predicate<String>> lines) {
    return new Watch(port, lines);
  }

  /** A scraper in the background: {@link #seen(int)} says whether predicate i has matched a line. */
  public static final class Watch implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicIntegerArray seen;
    private final Thread scraper;

    private Watch(int port, java.util.List<java.util.function.Predicate<String>> lines) {
      this.seen = new java.util.concurrent.atomic.AtomicIntegerArray(lines.size());
      this.scraper = new Thread(() -> {
        HttpClient http = HttpClient.newHttpClient();
        while (!Thread.currentThread().isInterrupted()) {
          try {
            String scrape = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (int i = 0; i < lines.size(); i++) {
              if (scrape.lines().anyMatch(lines.get(i))) {
                seen.set(i, 1);
              }
            }
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          } catch (java.io.IOException e) {
            // not up yet
          }
        }
      }, "metrics-watch");
      scraper.start();
    }

    public boolean seen(int predicate) {
      return seen.get(predicate) == 1;
    }

    /** Stops scraping; what was seen stays readable. */
    @Override
    public void close() throws InterruptedException {
      scraper.interrupt();
      scraper.join();
    }
  }
}
