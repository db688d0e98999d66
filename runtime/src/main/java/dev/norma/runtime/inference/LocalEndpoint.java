package dev.norma.runtime.inference;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.norma.agents.Streams;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GGUF model run in this process by llama.cpp (through {@code de.kherud:llama}), as an endpoint
 * of the gateway ({@code kind: local}).
 *
 * <ul>
 *   <li>The model is loaded once, when the gateway starts; a replay loads it only when a call
 *       reaches it, so a run the journal answers completely never loads it.</li>
 *   <li>Up to {@code maxInFlight} calls decode at once, each in a llama.cpp slot of
 *       {@code contextSize} tokens, on this endpoint's own threads (one per slot: a call blocks
 *       its thread while it decodes).</li>
 *   <li>Every answer is constrained by a grammar of the options ({@link ChoiceGrammar}): it is
 *       always exactly one of them, whatever {@code policy.llm.constrained} says.</li>
 *   <li>The prompt is the model's chat template applied to the system and user messages when the
 *       file has one, else the rendered prompt's plain text.</li>
 *   <li>Sampling takes temperature, top-p, top-k and max tokens from the spec (llama.cpp's other
 *       samplers are off: min-p 0, no penalties) and the request's seed; a request without one
 *       gets a seed derived from its decision and prompt, so a run repeats from its run seed.
 *       The prompt cache is on (a slot keeps the prefix it shares with the previous prompt):
 *       answers with and without it, and with one or two slots, were the same in the tests, but
 *       llama.cpp does not promise bit-identical logits whatever the batching.</li>
 *   <li>Token counts are the model tokenizer's: the prompt as decoded (with BOS where the model
 *       adds one), and what the answer's text adds to it; {@code cachedTokens} is 0. The answer's model is the
 *       file name, its fingerprint {@code sha256:} and the first 16 hex digits of the file's
 *       SHA-256.</li>
 * </ul>
 *
 * <p>A failure of llama.cpp on a call is a failed request of kind {@code engine} (sent again like
 * any other); a prompt longer than the context is kind {@code context} and not sent again.
 *
 * <p>{@link #close()} stops the engine's decoding loop and its threads. The binding does not give
 * the model's memory back before the JVM exits, and its decoding thread stays attached to the
 * JVM: a process that closes a model should end with {@code System.exit}, as the CLI does.
 */
final class LocalEndpoint implements Endpoint {
  private final EndpointSpec spec;
  private final SamplingParams params;
  private final Path file;
  private final String grammar;
  private final SimpleLimiter<Void> limiter;
  private final ExecutorService decoders;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Counters counters = new Counters();
  /** Guarded by {@code this}: loaded once, on first need. */
  private Loaded loaded;
  private boolean closed;

  /** The model in memory, with what its file says of it. */
  private record Loaded(LlamaModel model, GgufFile header, String fingerprint) {
  }

  /**
   * @param lazy load the model on the first call instead of now (a replay, which may need none)
   * @throws EngineException naming the endpoint and file when the model cannot be used
   */
  LocalEndpoint(EndpointSpec spec, SamplingParams params, boolean lazy) {
    this.spec = spec;
    this.params = params;
    this.file = Path.of(spec.model());
    this.grammar = ChoiceGrammar.of(params.options());
    this.limiter = SimpleLimiter.newBuilder().named(spec.name()).limit(FixedLimit.of(spec.maxInFlight())).build();
    AtomicInteger threadNumber = new AtomicInteger();
    this.decoders = Executors.newFixedThreadPool(spec.maxInFlight(), runnable -> {
      Thread thread = new Thread(runnable, "norma-local-" + spec.name() + "-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    if (!lazy) {
      try {
        load();
      } catch (RuntimeException e) {
        decoders.shutdownNow();
        throw e;
      }
    }
  }

  private EngineException problem(String what) {
    return new EngineException("inference.endpoints " + spec.name() + ": cannot use the model " + file
        + ": " + what);
  }

  /** The loaded model, loading it on first use. */
  private synchronized Loaded load() {
    if (closed) {
      throw new IllegalStateException("the endpoint is closed");
    }
    if (loaded == null) {
      GgufFile header;
      try {
        header = GgufFile.read(file);
      } catch (IOException e) {
        throw problem(e.getMessage());
      }
      String fingerprint = fingerprint(file);
      LlamaLibrary.prepare();
      ModelParameters parameters = new ModelParameters()
          .setModel(file.toAbsolutePath().toString())
          .setParallel(spec.maxInFlight())
          .setCtxSize(spec.contextSize() * spec.maxInFlight())
          // An overlong prompt is an error, not silently cut.
          .disableContextShift()
          .skipWarmup()
          // llama.cpp's own log would go to the console: errors reach us as exceptions.
          .disableLog();
      if (spec.threads() != null) {
        parameters.setThreads(spec.threads()).setThreadsBatch(spec.threads());
      }
      try {
        loaded = new Loaded(new LlamaModel(parameters), header, fingerprint);
      } catch (RuntimeException | UnsatisfiedLinkError e) {
        throw problem("llama.cpp could not load it (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      }
    }
    return loaded;
  }

  /** {@code sha256:} and the first 16 hex digits of the file's SHA-256. */
  private String fingerprint(Path path) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
      byte[] buffer = new byte[1 << 16];
      while (in.read(buffer) >= 0) {
        // digesting
      }
      byte[] digest = ((DigestInputStream) in).getMessageDigest().digest();
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (IOException e) {
      throw problem("cannot read it (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  @Override
  public int batchSize() {
    return 1;
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  @Override
  public int limit() {
    return spec.maxInFlight();
  }


  @Override
  public boolean open() {
    return false;
  }

  @Override
  public long estimateTokens(List<LlmRequest> requests) {
    return 0;
  }

  @Override
  public long rateWaitNanos(long tokens) {
    return 0;
  }

  @Override
  public List<Limiter.Listener> tryAcquire(int wanted) {
    return Endpoint.acquire(limiter, wanted);
  }

  @Override
  public CompletableFuture<Result> send(List<LlmRequest> requests, List<Limiter.Listener> slots) {
    outstanding.addAndGet(requests.size());
    long start = System.nanoTime();
    CompletableFuture<Result> result;
    try {
      result = CompletableFuture.supplyAsync(() -> decode(requests, start), decoders);
    } catch (RejectedExecutionException e) {
      result = CompletableFuture.completedFuture(failure("engine", false, "the endpoint is closed", start));
    }
    return result.exceptionally(e -> failure("engine", true,
            describe(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e), start))
        .whenComplete((outcome, error) -> {
          outstanding.addAndGet(-requests.size());
          for (Limiter.Listener slot : slots) {
            if (outcome.answers() != null) {
              slot.onSuccess();
            } else {
              slot.onIgnore();
            }
          }
        });
  }

  /** Decodes each request in turn (the gateway sends one at a time: batchSize is 1). */
  private Result decode(List<LlmRequest> requests, long start) {
    Loaded engine;
    try {
      engine = load();
    } catch (RuntimeException e) {
      return failure("engine", false, e.getMessage(), start);
    }
    LlamaModel model = engine.model();
    List<LlmAnswer> answers = new ArrayList<>(requests.size());
    for (LlmRequest request : requests) {
      String prompt = engine.header().chatTemplate() ? chat(model, request.prompt()) : request.prompt().text();
      int promptLength = model.encode(prompt).length;
      long promptTokens = promptLength + (engine.header().addsBos() ? 1 : 0);
      if (promptTokens >= spec.contextSize()) {
        return failure("context", false, "the prompt has " + promptTokens + " tokens, contextSize is "
            + spec.contextSize(), start);
      }
      SamplingParams params = request.params(this.params);
      InferenceParameters inference = new InferenceParameters(prompt)
          .setGrammar(grammar)
          .setTemperature((float) params.temperature())
          .setTopP(params.topP() == null ? 1f : params.topP().floatValue())
          .setTopK(params.topK() != null && spec.acceptsTopK() ? params.topK() : 0)
          .setMinP(0f)
          .setNPredict(params.maxTokens())
          .setSeed(seed(request))
          .setCachePrompt(true);
      String text = model.complete(inference);
      // The answer tokenized where it stands, after the prompt (alone, SentencePiece would give it
      // a word-start mark the model did not produce).
      long completionTokens = text.isEmpty() ? 0 : Math.max(1, model.encode(prompt + text).length - promptLength);
      answers.add(new LlmAnswer(text, spec.name(), file.getFileName().toString(), engine.fingerprint(), promptTokens,
          completionTokens, 0, System.nanoTime() - start, 1, false));
    }
    return new Result(answers, null, System.nanoTime() - start);
  }

  /** The model's chat template over the system and user messages, ready for the answer. */
  private static String chat(LlamaModel model, RenderedPrompt prompt) {
    return model.applyTemplate(new InferenceParameters("")
        .setMessages(prompt.system(), List.of(new Pair<>("user", prompt.user()))));
  }

  /**
   * llama.cpp takes a 32-bit seed and reads -1 as "random": the request's seed folded to 31
   * bits, or without one a seed from the decision and the prompt (which follows from the run's
   * seed).
   */
  static int seed(LlmRequest request) {
    long seed = request.seed() != null ? request.seed()
        : Streams.mix64(Long.parseUnsignedLong(request.prompt().sha256().substring(0, 15), 16)
            ^ Streams.mix64(request.agent() * 31L + request.index()) ^ Streams.mix64(request.attempt() * 2L
            + request.role().salt()));
    return (int) ((seed ^ (seed >>> 31)) & 0x7fffffff);
  }

  private Result failure(String kind, boolean retryable, String message, long start) {
    return new Result(null, new Failure(kind, retryable, null, message), System.nanoTime() - start);
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public Counters counters() {
    return counters;
  }

  @Override
  public void close() {
    Loaded open;
    synchronized (this) {
      closed = true;
      open = loaded;
      loaded = null;
    }
    decoders.shutdownNow();
    if (open != null) {
      open.model().close();
    }
  }

  @Override
  public String toString() {
    return "endpoint " + spec.name() + " (local " + file + ")";
  }
}
