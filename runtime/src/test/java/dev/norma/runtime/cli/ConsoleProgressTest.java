package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.runtime.study.ProgressListener;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  void theProgressLineShowsTheGatewayBesideThePopulation() {
    assertThat(ConsoleProgress.inference(null)).isEmpty();
    String line = ConsoleProgress.inference(new ProgressListener.InferenceProgress(12.5, 3400, 7, 2, 900, List.of(
        new ProgressListener.EndpointProgress("vllm", 5, 8, 0, 0),
        new ProgressListener.EndpointProgress("hosted", 2, 4, 3, 4))));
    assertThat(line).isEqualTo(" · llm 12.5 req/s 3,400 tok/s · in flight 7 · queued 2 · vllm 5/8"
        + " · hosted 2/4 retries 3 errors 4");
  }

  @Test
  void thePlainLineShowsElapsedTimeAndRateAndTheCapAsAtMost() {
    var snapshot = new ProgressListener.Snapshot(30, 1_000, 720, 0.75, "Q", 0.6, 1_440);
    assertThat(ConsoleProgress.plainLine(snapshot, java.time.Duration.ofSeconds(65))).isEqualTo(
        "round 30 of at most 1,000 · 0:01:05 elapsed · 0.5 rounds/s · 720 interactions · success 0.75 · top Q 0.60"
            + " · 1,440/s");
    assertThat(ConsoleProgress.plainLine(snapshot, java.time.Duration.ofSeconds(65))).doesNotContain("ETA", "remaining");
  }
}
