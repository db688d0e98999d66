package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.InferenceSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against a hand-written endpoint over real HTTP: what it sends, batching, limits, retries. */
class InferenceGatewayTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  private static final InferenceSettings SETTINGS = new InferenceSettings(1000, 3, Duration.ofMillis(10),
      Duration.ofMillis(100), 5, Duration.ofMillis(200), 32, Duration.ofMillis(5));

  @TempDir
  Path temp;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static EndpointSpec endpoint(String url, String kind, int maxInFlight, int batchSize, boolean topK,
                                       String keyFile) {
    return new EndpointSpec("stub", url, kind, "stub-model", null, keyFile, maxInFlight, null, null, batchSize,
        topK, 5.0, 1.0, 2.0);
  }

  private InferenceGateway gateway(EndpointSpec endpoint, SimpleMeterRegistry meters) throws Exception {
    LlmPolicySpec llm = new LlmPolicySpec(0.5, 0.9, 10, 15, 3L, null, "choice", null, null);
    return new InferenceGateway(testKit.system(), new InferenceSpec(List.of(endpoint), null),
        SamplingParams.of(llm, List.of("Q", "M")), SETTINGS, new CallJournal(Files.createTempDirectory(temp, "j")),
        new GatewayMetrics(meters), null);
  }

  private static LlmRequest request(int agent) {
    return request(agent, 42L + agent);
  }

  private static LlmRequest request(int agent, long seed) {
    RenderedPrompt prompt = new RenderedPrompt("rules", "agent " + agent + " picks", List.of(0, 1), 1, 0, "t");
    return new LlmRequest(agent, agent, LlmRequest.Role.INITIATOR, 0, prompt, seed);
  }

  private static List<LlmAnswer> all(InferenceGateway gateway, int calls) throws Exception {
    return all(gateway, calls, agent -> 42L + agent);
  }

  private static List<LlmAnswer> all(InferenceGateway gateway, int calls,
                                     java.util.function.IntToLongFunction seed) throws Exception {
    List<CompletableFuture<LlmAnswer>> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      futures.add(gateway.complete(request(i, seed.applyAsLong(i))).toCompletableFuture());
    }
    List<LlmAnswer> answers = new ArrayList<>();
    for (CompletableFuture<LlmAnswer> f : futures) {
      answers.add(f.get(30, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void aChatRequestCarriesTheKeyTheMessagesAndOnlyTheParamsTheEndpointAccepts() throws Exception {
    Path key = Files.writeString(temp.resolve("key"), "sk-stub\n");
    try (StubEndpoint stub = new StubEndpoint(0, n -> 0);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 4, 1, false, key.toString()),
             new SimpleMeterRegistry())) {
      LlmAnswer answer = gateway.complete(request(7)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(answer.text()).startsWith("{'value': 'Q'}");
      assertThat(answer.systemFingerprint()).isEqualTo("fp_stub");
      assertThat(answer.promptTokens()).isEqualTo(100);
      StubEndpoint.Seen seen = stub.seen.get(0);
      assertThat(seen.path()).isEqualTo("/v1/chat/completions");
      assertThat(seen.authorization()).isEqualTo("Bearer sk-stub");
      assertThat(seen.body().path("messages").get(0).path("content").asText()).isEqualTo("rules");
      assertThat(seen.body().path("messages").get(1).path("content").asText()).isEqualTo("agent 7 picks");
      assertThat(seen.body().path("temperature").asDouble()).isEqualTo(0.5);
      assertThat(seen.body().path("top_p").asDouble()).isEqualTo(0.9);
      assertThat(seen.body().has("top_k")).isFalse();
      assertThat(seen.body().path("max_tokens").asInt()).isEqualTo(15);
      assertThat(seen.body().path("seed").asLong()).isEqualTo(49);
      assertThat(seen.body().path("guided_choice").toString()).isEqualTo("[\"Q\",\"M\"]");
      assertThat(gateway.usage().estimatedCost()).isEqualTo((100 * 1.0 + 5 * 2.0) / 1e6);
    }
  }

  @Test
  void aCompletionsEndpointTakesAListOfPromptsInOneRequestAndEachCallGetsItsOwnAnswer() throws Exception {
    try (StubEndpoint stub = new StubEndpoint(100, n -> 0);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "completions", 32, 8, true, null),
             new SimpleMeterRegistry())) {
      // Decisions share seeds with a batching endpoint (one per attempt); here two seeds, by parity.
      List<LlmAnswer> answers = all(gateway, 24, agent -> 7 + agent % 2);
      assertThat(stub.seen).allMatch(s -> s.path().equals("/v1/completions"));
      assertThat(stub.seen).allMatch(s -> s.body().path("top_k").asInt() == 10);
      // Calls that wait while the gateway dispatches go together, up to 8 in a request.
      assertThat(stub.seen.size()).isLessThan(24);
      assertThat(stub.seen).anyMatch(s -> s.body().path("prompt").isArray() && s.body().path("prompt").size() > 1);
      int promptsSent = stub.seen.stream().mapToInt(s -> s.body().path("prompt").isArray()
          ? s.body().path("prompt").size() : 1).sum();
      assertThat(promptsSent).isEqualTo(24);
      for (StubEndpoint.Seen s : stub.seen) {
        if (s.body().path("prompt").isArray()) {
          assertThat(s.body().path("prompt").get(0).asText()).startsWith("rules\n\nagent ");
        }
        // A request carries one seed: only calls with that seed travel in it.
        long parity = s.body().path("seed").asLong() - 7;
        for (JsonNode prompt : s.body().path("prompt").isArray() ? s.body().path("prompt")
            : List.of(s.body().path("prompt"))) {
          String text = prompt.asText();
          int agent = Integer.parseInt(text.substring(text.indexOf("agent ") + 6, text.indexOf(" picks")));
          assertThat(agent % 2).as(text).isEqualTo(parity);
        }
      }
      assertThat(answers).allMatch(a -> a.text().startsWith("{'value': 'Q'} #"));
      assertThat(answers.stream().mapToLong(LlmAnswer::promptTokens).sum()).isEqualTo(24 * 100);
      assertThat(gateway.usage().calls()).isEqualTo(24);
      assertThat(gateway.usage().requests()).isEqualTo(stub.seen.size());
    }
  }

  @Test
  void requestsInFlightNeverExceedTheEndpointsLimit() throws Exception {
    try (StubEndpoint stub = new StubEndpoint(30, n -> 0);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 3, 1, false, null),
             new SimpleMeterRegistry())) {
      all(gateway, 40);
      assertThat(stub.maxConcurrent.get()).isBetween(1, 3);
      assertThat(stub.seen).hasSize(40);
      assertThat(gateway.admissionWindow()).isBetween(2, 6);
    }
  }

  @Test
  void aSmallerShareOfTheLimitHoldsFromTheNextRequestOn() throws Exception {
    try (StubEndpoint stub = new StubEndpoint(30, n -> 0);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 12, 1, false, null),
             new SimpleMeterRegistry())) {
      // A cluster of four: this node keeps 3 of the 12.
      gateway.share(new InferenceSpec(List.of(endpoint(stub.url(), "chat", 12, 1, false, null)), null)
          .sharedAmong(4));
      all(gateway, 40);
      assertThat(stub.maxConcurrent.get()).isBetween(1, 3);
      assertThat(gateway.admissionWindow()).isBetween(2, 6);
    }
  }

  @Test
  void aRateLimitedRequestIsRetriedAfterRetryAfterAndCounted() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (StubEndpoint stub = new StubEndpoint(0, n -> n == 0 ? 429 : 0);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 4, 1, false, null), meters)) {
      long start = System.nanoTime();
      LlmAnswer answer = gateway.complete(request(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
      assertThat(answer.tries()).isEqualTo(2);
      assertThat(gateway.usage().retries()).isEqualTo(1);
      assertThat(meters.get("norma.llm.errors").tag("kind", "rate-limited").counter().count()).isEqualTo(1);
      assertThat(meters.get("norma.llm.requests").tag("outcome", "retry").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void aCallFailsForGoodAfterTheRetriesAndABadRequestIsNotRetried() throws Exception {
    try (StubEndpoint stub = new StubEndpoint(0, n -> 400);
         InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 4, 1, false, null),
             new SimpleMeterRegistry())) {
      assertThatThrownBy(() -> gateway.complete(request(1)).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InferenceException.class);
      assertThat(stub.seen).hasSize(1);
      assertThat(gateway.usage().failedCalls()).isEqualTo(1);
    }
  }

  private InferenceGateway gateway(List<EndpointSpec> endpoints) throws Exception {
    LlmPolicySpec llm = new LlmPolicySpec(0.5, null, null, 15, null, null, null, null, null);
    return new InferenceGateway(testKit.system(), new InferenceSpec(endpoints, null),
        SamplingParams.of(llm, List.of("Q", "M")), PATIENT, new CallJournal(Files.createTempDirectory(temp, "j")),
        new GatewayMetrics(new SimpleMeterRegistry()), null);
  }

  /** More retries than a call could spend on the broken endpoint before its breaker opens. */
  private static final InferenceSettings PATIENT = new InferenceSettings(1000, 10, Duration.ofMillis(10),
      Duration.ofMillis(100), 5, Duration.ofMillis(200), 32, Duration.ofMillis(5));

  private static EndpointSpec named(String name, String url, int maxInFlight) {
    return new EndpointSpec(name, url, "chat", "stub-model", null, null, maxInFlight, null, null, 1, false, 5.0,
        null, null);
  }

  /** {@code callers} closed loops, each asking again as soon as it has its answer, {@code calls} in all. */
  private static List<LlmAnswer> closedLoop(InferenceGateway gateway, int callers, int calls) throws Exception {
    List<LlmAnswer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loops.add(done);
      ask(gateway, next, calls, answers, done);
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return answers;
  }

  private static void ask(InferenceGateway gateway, java.util.concurrent.atomic.AtomicInteger next, int calls,
                          List<LlmAnswer> answers, CompletableFuture<Void> done) {
    int i = next.getAndIncrement();
    if (i >= calls) {
      done.complete(null);
      return;
    }
    gateway.complete(request(i)).whenComplete((answer, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        answers.add(answer);
        ask(gateway, next, calls, answers, done);
      }
    });
  }

  @Test
  void callsGoToTheEndpointWithTheFewestOutstandingSoAFastOneTakesMore() throws Exception {
    try (StubEndpoint slow = new StubEndpoint(200, n -> 0);
         StubEndpoint fast = new StubEndpoint(5, n -> 0);
         InferenceGateway gateway = gateway(List.of(named("slow", slow.url(), 4), named("fast", fast.url(), 4)))) {
      List<LlmAnswer> answers = closedLoop(gateway, 6, 120);
      assertThat(answers).hasSize(120);
      assertThat(slow.seen).isNotEmpty();
      assertThat(fast.seen.size()).isGreaterThan(3 * slow.seen.size());
      assertThat(answers.stream().filter(a -> a.endpoint().equals("fast")).count()).isEqualTo(fast.seen.size());
    }
  }

  @Test
  void aFailingEndpointsBreakerOpensAndTheOtherAnswersEveryCall() throws Exception {
    try (StubEndpoint broken = new StubEndpoint(0, n -> 500);
         StubEndpoint healthy = new StubEndpoint(5, n -> 0);
         InferenceGateway gateway = gateway(List.of(named("broken", broken.url(), 8),
             named("healthy", healthy.url(), 8)))) {
      List<LlmAnswer> answers = closedLoop(gateway, 8, 200);
      assertThat(answers).hasSize(200).allMatch(a -> a.endpoint().equals("healthy"));
      // After breaker-failures (5) consecutive errors it stops trying, but for a trial now and then.
      assertThat(broken.seen.size()).isBetween(5, 30);
      assertThat(gateway.usage().retries()).isEqualTo(broken.seen.size());
    }
  }

  /**
   * A parse retry that an earlier session of the run noted as sent ({@link SentCalls}) and that an
   * endpoint answers again is a reissued call; the same retry without the note is not.
   */
  @Test
  void aParseRetryNotedAsSentBeforeCountsAsReissuedWhenAnEndpointAnswersItAgain() throws Exception {
    try (StubEndpoint stub = new StubEndpoint(0, number -> 0)) {
      for (boolean noted : new boolean[] {true, false}) {
        InferenceGateway gateway = gateway(endpoint(stub.url(), "chat", 4, 1, false, null), new SimpleMeterRegistry());
        LlmDeliberation deliberation = new LlmDeliberation(null, gateway, 2, 7L);
        deliberation.askedBefore(java.util.Set.of(),
            noted ? java.util.Set.of(SentCalls.line(3, 9, LlmRequest.Role.INITIATOR.wireName(), 1)) : java.util.Set.of());
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        RenderedPrompt prompt = new RenderedPrompt("rules", "agent 3 says", List.of(), 1, 0, "t");
        // The first answer is refused (asked again as attempt 1), the second taken.
        String said = deliberation.say(prompt, text -> read.incrementAndGet() > 1, 3, 9, LlmRequest.Role.INITIATOR)
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(said).isNotEmpty();
        assertThat(read).hasValue(2);
        assertThat(deliberation.reissuedCalls()).as("noted: " + noted).isEqualTo(noted ? 1 : 0);
        gateway.close();
      }
    }
  }
}
