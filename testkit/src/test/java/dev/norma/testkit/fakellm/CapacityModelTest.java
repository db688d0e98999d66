package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The continuous-batching capacity model, observed through HTTP. */
class CapacityModelTest {

  @Test
  void requestsBeyondMaxSeqsQueueAndRunInBatches() throws Exception {
    Duration step = Duration.ofMillis(100);
    // A bare one-token answer: each request is exactly one step (its prefill samples the token).
    FakeLlmSettings settings = FakeLlmSettings.builder().maxSeqs(2).fixedStep(step)
        .responder(FixedResponder.always("M")).build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      client.call("/v1/chat/completions", TestClient.chatBody(null, "warm up"));
      long single = timed(() -> client.call("/v1/chat/completions", TestClient.chatBody(null, "alone")));
      assertThat(single).isBetween(millis(step), 4 * millis(step));
      long stepsBefore = server.stats().steps();

      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(client.postAsync("/v1/chat/completions", TestClient.chatBody(null, "request " + i)));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        assertThat(call.get().statusCode()).isEqualTo(200);
      }
      long elapsed = (System.nanoTime() - start) / 1_000_000;

      FakeLlmStats stats = server.stats();
      long steps = stats.steps() - stepsBefore;
      // Two at a time: at least five steps; stragglers arriving after the first step add one or two.
      assertThat(steps).isBetween(5L, 8L);
      assertThat(elapsed).isBetween(5 * millis(step), 12 * millis(step));
      assertThat(stats.maxBatchSequences()).isEqualTo(2);
      assertThat(stats.queueWaitSeconds()).isGreaterThan(0.5); // 8 waited one step or more
      assertThat(stats.utilisation()).isGreaterThan(0.3);
    }
  }

  @Test
  void stepTimeGrowsWithTheTokensInTheBatch() throws Exception {
    // One decoding sequence costs 20 ms per step on top of a 5 ms base: a 9-token answer takes
    // 9 steps (prefill plus 8 decodes) of 5 ms, plus 8 x 20 ms of decoding.
    FakeLlmSettings settings = FakeLlmSettings.builder().maxSeqs(8).fixedStep(Duration.ofMillis(5))
        .decodeTokenCost(Duration.ofMillis(20)).responder(FixedResponder.always("M")).build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      String asksForValue = "Answer as {'value': 'X'}";
      long elapsed = timed(() -> client.call("/v1/chat/completions", TestClient.chatBody(null, asksForValue)));
      int tokens = Tokens.count("{'value': 'M'}");
      assertThat(elapsed).isBetween((long) (tokens * 5 + (tokens - 1) * 20), 3L * (tokens * 5 + (tokens - 1) * 20));
      assertThat(server.stats().busySeconds()).isCloseTo((tokens * 5 + (tokens - 1) * 20) / 1000.0,
          Offset.offset(1e-6));
    }
  }

  @Test
  void theSharedPrefixOfARepeatedPromptIsNotPrefilledAgain() throws Exception {
    // Prefill dominates: 3 ms per prompt token.
    FakeLlmSettings settings = FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .prefillTokenCost(Duration.ofMillis(3)).blockTokens(16).responder(FixedResponder.always("M")).build();
    String rules = "Context: Player 1 is playing a multi-round partnership game with Player 2 for 100 rounds. ".repeat(8);
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      long[] firstLatency = new long[1];
      JsonNode[] first = new JsonNode[1];
      firstLatency[0] = timed(() -> first[0] = client.call("/v1/chat/completions",
          TestClient.chatBody(rules, "It is now round 3.")));
      long prefilledAfterFirst = server.stats().prefillTokens();
      double busyAfterFirst = server.stats().busySeconds();
      JsonNode[] second = new JsonNode[1];
      long secondLatency = timed(() -> second[0] = client.call("/v1/chat/completions",
          TestClient.chatBody(rules, "It is now round 5. The current score of Player 1 is 100.")));

      int promptTokens = second[0].path("usage").path("prompt_tokens").asInt();
      int cached = second[0].path("usage").path("prompt_tokens_details").path("cached_tokens").asInt();
      int rulesTokens = Tokens.count(rules);
      assertThat(first[0].path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
      assertThat(cached).isGreaterThanOrEqualTo(rulesTokens - 16).isLessThan(promptTokens);
      FakeLlmStats stats = server.stats();
      assertThat(stats.prefixCacheHitTokens()).isEqualTo(cached);
      assertThat(stats.prefillTokens() - prefilledAfterFirst).isEqualTo(promptTokens - cached);
      // The model's time is exactly the prefill cost of what was not cached.
      assertThat(busyAfterFirst).isCloseTo(0.003 * prefilledAfterFirst, Offset.offset(1e-6));
      assertThat(stats.busySeconds() - busyAfterFirst).isCloseTo(0.003 * (promptTokens - cached), Offset.offset(1e-6));
      assertThat(secondLatency).isLessThan(firstLatency[0] / 2);
    }
  }

  @Test
  void withoutAPrefixCacheEveryPromptIsPrefilledInFull() throws Exception {
    FakeLlmSettings settings = FakeLlmSettings.builder().fixedStep(Duration.ZERO).prefixCacheBlocks(0)
        .responder(FixedResponder.always("M")).build();
    String rules = "The same long rules text, word after word after word. ".repeat(10);
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      client.call("/v1/chat/completions", TestClient.chatBody(rules, "one"));
      JsonNode second = client.call("/v1/chat/completions", TestClient.chatBody(rules, "two"));
      assertThat(second.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
      assertThat(server.stats().prefixCacheHitTokens()).isZero();
      assertThat(server.stats().prefillTokens()).isEqualTo(server.stats().promptTokens());
    }
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }

  private static long timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
