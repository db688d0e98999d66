package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.llm.ChoiceParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** Each fault appears at its configured rate, and looks to a client as it would in production. */
class FaultInjectionTest {
  private static final String PROMPT = """
      The values Player 1 and Player 2 can pick from are: M, Q.
      It is now round 1. The current score of Player 1 is 0.
      Finish with a final line {'value': '<VALUE_OF_PLAYER_1>'}""";
  private static final ChoiceParser PARSER = new ChoiceParser(List.of("M", "Q"));
  private static final Duration HOLD = Duration.ofMillis(300);

  /** What a client saw; null for a good answer. */
  private static Fault classify(HttpResponse<String> response, long millis) {
    switch (response.statusCode()) {
      case 429 -> {
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        return Fault.RATE_LIMITED;
      }
      case 500 -> {
        return Fault.SERVER_ERROR;
      }
      case 503 -> {
        return Fault.UNAVAILABLE;
      }
      case 504 -> {
        assertThat(millis).isGreaterThanOrEqualTo(HOLD.toMillis());
        return Fault.TIMEOUT;
      }
      case 200 -> {
        JsonNode body;
        try {
          body = TestClient.JSON.readTree(response.body());
        } catch (IOException e) {
          return response.body().endsWith("}") ? Fault.MALFORMED : Fault.TRUNCATED;
        }
        return PARSER.parse(TestClient.content(body)).accepted() ? null : Fault.NO_OPTION;
      }
      default -> throw new AssertionError("unexpected status " + response.statusCode() + ": " + response.body());
    }
  }

  @Test
  void everyFaultAppearsAtItsConfiguredRate() throws Exception {
    double rate = 0.08;
    int requests = 500;
    FakeLlmSettings.Builder builder = FakeLlmSettings.builder().fixedStep(Duration.ofMillis(1)).seed(77)
        .retryAfterSeconds(2).timeoutHold(HOLD).responder(FixedResponder.always("M"));
    for (Fault fault : Fault.values()) {
      builder.fault(fault, FaultRule.probability(rate));
    }
    FakeLlmSettings settings = builder.build();
    Map<Fault, Integer> seen = new EnumMap<>(Fault.class);
    int good = 0;
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<Fault>> outcomes = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        inFlight.acquire();
        long start = System.nanoTime();
        outcomes.add(client.postAsync("/v1/chat/completions", TestClient.chatBody(null, PROMPT))
            .whenComplete((response, error) -> inFlight.release())
            .thenApply(response -> classify(response, (System.nanoTime() - start) / 1_000_000)));
      }
      for (CompletableFuture<Fault> outcome : outcomes) {
        Fault fault = outcome.join();
        if (fault == null) {
          good++;
        } else {
          seen.merge(fault, 1, Integer::sum);
        }
      }
      FakeLlmStats stats = server.stats();

      // The plan is a function of seed and arrival number: what clients saw is exactly what it
      // decided for requests 0..499, whatever order they arrived in.
      FaultPlan plan = new FaultPlan(settings.seed(), settings.faults());
      Map<Fault, Integer> planned = new EnumMap<>(Fault.class);
      for (int i = 0; i < requests; i++) {
        Fault fault = plan.decide(i, 0);
        if (fault != null) {
          planned.merge(fault, 1, Integer::sum);
        }
      }
      assertThat(seen).isEqualTo(planned);
      double sd = Math.sqrt(requests * rate * (1 - rate));
      for (Fault fault : Fault.values()) {
        assertThat(seen.getOrDefault(fault, 0)).as(fault.label())
            .isBetween((int) (requests * rate - 4 * sd), (int) (requests * rate + 4 * sd));
        assertThat(stats.faults(fault)).as(fault.label()).isEqualTo((long) seen.getOrDefault(fault, 0));
      }
      assertThat(good).isEqualTo(requests - seen.values().stream().mapToInt(Integer::intValue).sum());
      assertThat(stats.requests("chat", 429)).isEqualTo((long) seen.get(Fault.RATE_LIMITED));
      assertThat(stats.requests("chat", 504)).isEqualTo((long) seen.get(Fault.TIMEOUT));
    }
  }

  @Test
  void aRequestHeldWithoutEndTimesOutAtTheClient() throws Exception {
    FakeLlmSettings settings = FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .fault(Fault.TIMEOUT, FaultRule.every(1)).timeoutHold(Duration.ZERO).build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      assertThatThrownBy(() -> client.postAsync("/v1/chat/completions", TestClient.chatBody(null, PROMPT),
          Duration.ofMillis(200)).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(HttpTimeoutException.class);
      assertThat(server.stats().faults(Fault.TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void aTimedOutRequestIsHeldThenAnswered504() throws Exception {
    FakeLlmSettings settings = FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .fault(Fault.TIMEOUT, FaultRule.every(1)).timeoutHold(Duration.ofMillis(300)).build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      long start = System.nanoTime();
      HttpResponse<String> response = client.postAsync("/v1/chat/completions", TestClient.chatBody(null, PROMPT)).join();
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(elapsed).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void scheduledFaultsHitEveryNthRequest() throws Exception {
    FakeLlmSettings settings = FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .fault(Fault.UNAVAILABLE, FaultRule.every(3)).responder(FixedResponder.always("M")).build();
    try (FakeLlmServer server = FakeLlmServer.start(settings)) {
      TestClient client = new TestClient(server);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        statuses.add(client.postAsync("/v1/chat/completions", TestClient.chatBody(null, PROMPT)).join().statusCode());
      }
      assertThat(statuses).containsExactly(200, 200, 503, 200, 200, 503, 200, 200, 503);
    }
  }

  @Test
  void faultWindowsAndRules() {
    FaultRule outage = FaultRule.parse("1.0@30-60");
    assertThat(outage.activeAt(Duration.ofSeconds(29).toNanos())).isFalse();
    assertThat(outage.activeAt(Duration.ofSeconds(30).toNanos())).isTrue();
    assertThat(outage.activeAt(Duration.ofSeconds(60).toNanos())).isFalse();
    assertThat(FaultRule.parse("every:10@1.5-")).isEqualTo(FaultRule.every(10).during(Duration.ofMillis(1500), null));
    assertThat(FaultRule.parse("0.25").toString()).isEqualTo("0.25");

    FaultPlan plan = new FaultPlan(5, Map.of(Fault.UNAVAILABLE, outage));
    assertThat(plan.decide(0, Duration.ofSeconds(10).toNanos())).isNull();
    assertThat(plan.decide(0, Duration.ofSeconds(45).toNanos())).isEqualTo(Fault.UNAVAILABLE);
  }
}
