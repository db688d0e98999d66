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
}
