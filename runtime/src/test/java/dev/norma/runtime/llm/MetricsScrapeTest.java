package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.runtime.testing.MetricsScrapes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The run's metrics, scraped over real HTTP as Prometheus would. */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class MetricsScrapeTest {
  @TempDir
  Path temp;

  @Test
  void theScrapeHasTheGatewayAndPopulationMetricsWithBoundedTags() throws Exception {
    String scrape = MetricsScrapes.afterALanguageModelStudy(temp.resolve("run"));
    assertThat(scrape).contains(
        "norma_llm_requests_total{endpoint=\"fake\",outcome=\"ok\"}",
        "norma_llm_requests_total{endpoint=\"fake\",outcome=\"retry\"}",
        "norma_llm_calls_total{endpoint=\"fake\",outcome=\"ok\"}",
        "norma_llm_tokens_total{endpoint=\"fake\",kind=\"prompt\"}",
        "norma_llm_tokens_total{endpoint=\"fake\",kind=\"completion\"}",
        "norma_llm_retries_total{endpoint=\"fake\"}",
        "norma_llm_errors_total{endpoint=\"fake\",kind=\"rate-limited\"}",
        "norma_llm_latency_seconds_count{endpoint=\"fake\"}",
        "norma_llm_latency_seconds_bucket{endpoint=\"fake\",le=",
        "norma_llm_in_flight{endpoint=\"fake\"}",
        "norma_llm_concurrency_limit{endpoint=\"fake\"}",
        "norma_llm_queued ",
        "norma_population_round ",
        "norma_population_success_rate ",
        "norma_interactions ",
        "jvm_memory_used_bytes{area=\"heap\"");
    assertThat(scrape).doesNotContain("agent=");
    assertThat(scrape).containsPattern("norma_population_round 6(\\.0)?\\n");

    Path promtool = Path.of("/usr/bin/promtool");
    if (Files.isExecutable(promtool)) {
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(check.exitValue()).as(report).isZero();
    }
  }
}
