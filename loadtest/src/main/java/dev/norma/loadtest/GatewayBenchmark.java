package dev.norma.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Streams;
import dev.norma.agents.games.naming.NamingPrompt;
import dev.norma.agents.games.naming.NamingPromptTemplates;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.InferenceSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.inference.GatewayMetrics;
import dev.norma.runtime.inference.GatewayUsage;
import dev.norma.runtime.inference.InferenceGateway;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmRequest;
import dev.norma.runtime.inference.SamplingParams;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.fakellm.FakeLlmStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The inference gateway against the fake server with a stated capacity, side by side with a naive
 * client that sends every agent's call at once, one request each, and honours Retry-After.
 *
 * <p>The server runs steps of a fixed length over at most {@code --max-seqs} sequences; every
 * answer ({@code {'value': 'X'}}, 9 tokens) takes 9 steps, so its capacity is
 * {@code max-seqs / (9 × step)} answers per second. Like a real server under overload it refuses
 * work with 503 and {@code Retry-After: 1} once {@code --max-queue} sequences wait. Prompts are
 * the naming game's, rendered from random memories, so the shared rules hit the prefix cache.
 *
 * <p>Phases: (1) light load, to measure what the gateway adds to each call (time from the
 * caller's ask to its answer, minus the HTTP request's own time); (2) the gateway with chat
 * requests under {@code --agents} closed-loop callers; (3) the naive client under the same load;
 * (4) the gateway with legacy completions, {@code --batch} prompts per request.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Inference gateway vs a naive client against the fake server with a stated capacity.")
public final class GatewayBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ANSWER_STEPS = 9;

  @Option(names = "--agents", description = "closed-loop callers (default ${DEFAULT-VALUE})")
  int agents = 1000;

  @Option(names = "--calls", description = "calls per phase (default ${DEFAULT-VALUE})")
  int calls = 15_000;

  @Option(names = "--max-seqs", description = "the server's batch (default ${DEFAULT-VALUE})")
  int maxSeqs = 64;

  @Option(names = "--step-ms", description = "the server's step (default ${DEFAULT-VALUE})")
  int stepMs = 10;

  @Option(names = "--max-queue", description = "waiting sequences beyond which the server answers 503 (default ${DEFAULT-VALUE})")
  int maxQueue = 128;

  @Option(names = "--batch", description = "prompts per request in the completions phase (default ${DEFAULT-VALUE})")
  int batch = 16;

  @Option(names = "--max-in-flight", description = "the endpoint's maxInFlight for the gateway (default ${DEFAULT-VALUE})")
  int maxInFlight = 256;

  /** One phase's figures. */
  record Phase(String name, long answers, double seconds, long requests, long errors, double p50Ms, double p99Ms,
               int maxInFlight, int maxQueued, long peakHeapMb, FakeLlmStats server) {
    double perSecond() {
      return answers / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    double capacity = maxSeqs / (ANSWER_STEPS * stepMs / 1000.0);
    System.out.printf(Locale.ROOT, "fake server: batch %d sequences, step %d ms, 503 beyond %d waiting → capacity %,.0f answers/s%n",
        maxSeqs, stepMs, maxQueue, capacity);
    System.out.printf(Locale.ROOT, "load: %,d closed-loop agents, %,d calls a phase, naming-game prompts; %d cores%n",
        agents, calls, Runtime.getRuntime().availableProcessors());
    List<RenderedPrompt> prompts = prompts(4096);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-gateway",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    Path work = Files.createTempDirectory("norma-bench-gateway-");
    try {
      double[] overhead = overhead(system, prompts, work);
      System.out.printf(Locale.ROOT, "gateway overhead per call (light load, 4 callers): p50 %.3f ms · p99 %.3f ms%n",
          overhead[0], overhead[1]);
      List<Phase> phases = new ArrayList<>();
      phases.add(gatewayPhase(system, prompts, work, EndpointSpec.CHAT, 1));
      phases.add(naivePhase(prompts));
      phases.add(gatewayPhase(system, prompts, work, EndpointSpec.COMPLETIONS, batch));
      System.out.printf(Locale.ROOT, "%n%-26s %9s %8s %9s %8s %9s %9s %9s %8s %8s %9s%n", "client", "answers/s",
          "of cap.", "req/answ", "errors", "p50 ms", "p99 ms", "in flight", "queued", "heap MB", "prefill");
      for (Phase p : phases) {
        FakeLlmStats s = p.server();
        System.out.printf(Locale.ROOT, "%-26s %9.0f %7.0f%% %9.3f %8d %9.0f %9.0f %9d %8d %8d %8.3f%n", p.name(),
            p.perSecond(), 100 * p.perSecond() / capacity, (double) p.requests() / p.answers(), p.errors(),
            p50(p), p.p99Ms(), p.maxInFlight(), p.maxQueued(), p.peakHeapMb(),
            s.promptTokens() == 0 ? 0 : (double) s.prefillTokens() / s.promptTokens());
      }
      Phase gateway = phases.get(0);
      Phase naive = phases.get(1);
      System.out.printf(Locale.ROOT, "%ngain over the naive client: %.2fx answers/s, %.1fx fewer requests per answer, "
              + "p99 latency %.2fx%n", gateway.perSecond() / naive.perSecond(),
          ((double) naive.requests() / naive.answers()) / ((double) gateway.requests() / gateway.answers()),
          naive.p99Ms() / gateway.p99Ms());
      System.out.println("prefill = prompt tokens the server computed ÷ prompt tokens received (the rest hit its prefix cache)");
      return 0;
    } finally {
      system.terminate();
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double p50(Phase p) {
    return p.p50Ms();
  }

  private FakeLlmServer server() throws IOException {
    return FakeLlmServer.start(FakeLlmSettings.builder().maxSeqs(maxSeqs).maxBatchTokens(1 << 20)
        .fixedStep(Duration.ofMillis(stepMs)).maxQueue(maxQueue).retryAfterSeconds(1).build());
  }

  /** Naming-game prompts from random memories (ten names, H = 5), as agents would send them. */
  static List<RenderedPrompt> prompts(int count) {
    List<String> names = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
    NamingPrompt prompt = new NamingPrompt(names, 5, 100, -50, 100, NamingPromptTemplates.defaults());
    Streams.RandomStream random = new Streams.RandomStream(7, 1);
    List<RenderedPrompt> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<NamingPrompt.Interaction> window = new ArrayList<>();
      int remembered = random.nextInt(6);
      for (int j = 0; j < remembered; j++) {
        window.add(new NamingPrompt.Interaction(random.nextInt(10), random.nextInt(10)));
      }
      out.add(prompt.render(window, random::nextInt));
    }
    return out;
  }

  private InferenceGateway gateway(ActorSystem<?> system, FakeLlmServer server, Path work, String kind, int batchSize)
      throws IOException {
    EndpointSpec endpoint = new EndpointSpec("fake", server.baseUri() + "/v1", kind, "norma-fake-llm", null, null,
        maxInFlight, null, null, batchSize, false, 60.0, null, null);
    LlmPolicySpec llm = new LlmPolicySpec(0.5, null, null, 16, null, null, null, null, null);
    InferenceSettings settings = InferenceSettings.fromConfig(system.settings().config());
    return new InferenceGateway(system, new InferenceSpec(List.of(endpoint), null),
        SamplingParams.of(llm, List.of("Q", "M")), settings,
        new CallJournal(Files.createTempDirectory(work, kind)), new GatewayMetrics(new SimpleMeterRegistry()), null);
  }

  private double[] overhead(ActorSystem<?> system, List<RenderedPrompt> prompts, Path work) throws Exception {
    try (FakeLlmServer server = server(); InferenceGateway gateway = gateway(system, server, work, EndpointSpec.CHAT, 1)) {
      int n = Math.min(calls / 5, 2000);
      long[] extra = new long[n];
      AtomicInteger next = new AtomicInteger();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        loops.add(loop(() -> {
          int i = next.getAndIncrement();
          if (i >= n) {
            return null;
          }
          long start = System.nanoTime();
          return gateway.complete(request(i, prompts)).toCompletableFuture()
              .thenAccept(a -> extra[i] = System.nanoTime() - start - a.latencyNanos());
        }));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      Arrays.sort(extra);
      return new double[] {extra[n / 2] / 1e6, extra[(int) (n * 0.99)] / 1e6};
    }
  }

  private static LlmRequest request(int i, List<RenderedPrompt> prompts) {
    return new LlmRequest(i, i, LlmRequest.Role.INITIATOR, 0, prompts.get(i % prompts.size()), null);
  }

  /** Runs {@code step} again each time its stage completes, until it returns null. */
  private static CompletableFuture<Void> loop(java.util.function.Supplier<CompletableFuture<?>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      CompletableFuture<?> stage = step.get();
      if (stage == null) {
        done.complete(null);
      } else {
        stage.whenComplete((ignored, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else {
            next[0].run();
          }
        });
      }
    };
    next[0].run();
    return done;
  }

  private Phase gatewayPhase(ActorSystem<?> system, List<RenderedPrompt> prompts, Path work, String kind, int batchSize)
      throws Exception {
    System.gc();
    try (FakeLlmServer server = server(); InferenceGateway gateway = gateway(system, server, work, kind, batchSize)) {
      long[] latencies = new long[calls];
      AtomicInteger next = new AtomicInteger();
      Sampler sampler = new Sampler(() -> {
        GatewayUsage u = gateway.usage();
        return new int[] {u.inFlight(), u.queued()};
      });
      long start = System.nanoTime();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        loops.add(loop(() -> {
          int i = next.getAndIncrement();
          if (i >= calls) {
            return null;
          }
          long t0 = System.nanoTime();
          return gateway.complete(request(i, prompts)).toCompletableFuture()
              .thenAccept(answer -> latencies[i] = System.nanoTime() - t0);
        }));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.stop();
      GatewayUsage usage = gateway.usage();
      Arrays.sort(latencies);
      return new Phase("gateway, " + kind + (batchSize > 1 ? " ×" + batchSize : ""), calls, seconds, usage.requests(),
          usage.errors(), latencies[calls / 2] / 1e6, latencies[(int) (calls * 0.99)] / 1e6, sampler.max[0],
          sampler.max[1], sampler.peakHeapMb, server.stats());
    }
  }

  /** Every agent sends its call at once, one request each; on 429/503 it waits Retry-After and sends again. */
  private Phase naivePhase(List<RenderedPrompt> prompts) throws Exception {
    System.gc();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (FakeLlmServer server = server()) {
      URI uri = URI.create(server.baseUri() + "/v1/chat/completions");
      long[] latencies = new long[calls];
      AtomicInteger next = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      LongAdder requests = new LongAdder();
      LongAdder errors = new LongAdder();
      Sampler sampler = new Sampler(() -> new int[] {inFlight.get(), 0});
      long start = System.nanoTime();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        loops.add(loop(() -> {
          int i = next.getAndIncrement();
          if (i >= calls) {
            return null;
          }
          long t0 = System.nanoTime();
          return naiveCall(http, timer, uri, prompts.get(i % prompts.size()), requests, errors, inFlight)
              .thenAccept(text -> latencies[i] = System.nanoTime() - t0);
        }));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.stop();
      Arrays.sort(latencies);
      return new Phase("naive, one request a call", calls, seconds, requests.sum(), errors.sum(),
          latencies[calls / 2] / 1e6, latencies[(int) (calls * 0.99)] / 1e6, sampler.max[0], 0, sampler.peakHeapMb,
          server.stats());
    } finally {
      timer.shutdownNow();
    }
  }

  private static CompletableFuture<String> naiveCall(HttpClient http, ScheduledExecutorService timer, URI uri,
                                                     RenderedPrompt prompt, LongAdder requests, LongAdder errors,
                                                     AtomicInteger inFlight) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", "norma-fake-llm");
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.system());
    messages.addObject().put("role", "user").put("content", prompt.user());
    body.put("temperature", 0.5);
    body.put("max_tokens", 16);
    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    requests.increment();
    inFlight.incrementAndGet();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
      inFlight.decrementAndGet();
      if (response.statusCode() == 200) {
        try {
          JsonNode answer = JSON.readTree(response.body());
          return CompletableFuture.completedFuture(answer.path("choices").path(0).path("message").path("content").asText());
        } catch (IOException e) {
          errors.increment();
        }
      } else {
        errors.increment();
      }
      long wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      CompletableFuture<String> retried = new CompletableFuture<>();
      timer.schedule(() -> naiveCall(http, timer, uri, prompt, requests, errors, inFlight)
          .whenComplete((text, error) -> {
            if (error != null) {
              retried.completeExceptionally(error);
            } else {
              retried.complete(text);
            }
          }), wait, TimeUnit.SECONDS);
      return retried;
    });
  }

  /** Samples in-flight and queued counts and the used heap every 20 ms, keeping the largest. */
  private static final class Sampler {
    final int[] max = new int[2];
    volatile long peakHeapMb;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Sampler(java.util.function.Supplier<int[]> sample) {
      AtomicLong peak = new AtomicLong();
      timer.scheduleAtFixedRate(() -> {
        int[] s = sample.get();
        max[0] = Math.max(max[0], s[0]);
        max[1] = Math.max(max[1], s[1]);
        peakHeapMb = Math.max(peak.get(), liveHeapBytes() >> 20);
        peak.set(peakHeapMb);
      }, 0, 20, TimeUnit.MILLISECONDS);
    }

    void stop() {
      timer.shutdownNow();
    }

    /** Heap in use just after the latest collection of each pool: live data, not garbage. */
    static long liveHeapBytes() {
      long live = 0;
      for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
          live += pool.getCollectionUsage().getUsed();
        }
      }
      return live;
    }
  }
}
