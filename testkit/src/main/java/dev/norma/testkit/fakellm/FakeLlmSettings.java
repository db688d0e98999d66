package dev.norma.testkit.fakellm;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything a {@link FakeLlmServer} is configured with. The capacity model (see
 * {@link BatchScheduler}) runs steps over a batch of at most {@code maxSeqs} sequences; one step
 * takes
 *
 * <pre>stepBase + decodeTokenCost × (sequences decoding) + prefillTokenCost × (prompt tokens prefilled)</pre>
 *
 * times a jitter factor drawn uniformly from {@code [1 - jitter, 1 + jitter]}. Prompt tokens whose
 * leading blocks are in the prefix cache are not prefilled. The defaults are in the range of a
 * 70B model served by vLLM on a few GPUs; tests set what they measure.
 *
 * @param host              address to bind
 * @param port              port to bind, 0 for any free port (see {@link FakeLlmServer#port()})
 * @param model             the model id listed and echoed when a request names none
 * @param maxSeqs           sequences run together at most; more wait in the queue
 * @param maxBatchTokens    tokens one step processes at most (decodes first, then prefill chunks)
 * @param stepBase          fixed cost of a step
 * @param decodeTokenCost   cost per decoding sequence in a step
 * @param prefillTokenCost  cost per prompt token prefilled in a step
 * @param blockTokens       prefix-cache block size in tokens
 * @param prefixCacheBlocks prefix-cache capacity in blocks (LRU), 0 to disable
 * @param jitter            relative spread of step times, 0..1
 * @param seed              seeds answers, faults and jitter
 * @param maxQueue          waiting sequences beyond which requests get 503, 0 for no limit
 * @param faults            fault rules by fault
 * @param retryAfterSeconds value of the {@code Retry-After} header of injected 429s
 * @param timeoutHold       how long a request hit by the timeout fault is held before a 504;
 *                          zero holds it until the server closes
 * @param responder         the fake model
 * @param handlerThreads    threads parsing requests (they never wait for the model)
 */
public record FakeLlmSettings(String host, int port, String model, int maxSeqs, int maxBatchTokens,
                              Duration stepBase, Duration decodeTokenCost, Duration prefillTokenCost,
                              int blockTokens, int prefixCacheBlocks, double jitter, long seed, int maxQueue,
                              Map<Fault, FaultRule> faults, int retryAfterSeconds, Duration timeoutHold,
                              Responder responder, int handlerThreads) {

  public FakeLlmSettings {
    if (maxSeqs < 1) {
      throw new IllegalArgumentException("maxSeqs must be positive, got " + maxSeqs);
    }
    if (maxBatchTokens < maxSeqs) {
      throw new IllegalArgumentException("maxBatchTokens (" + maxBatchTokens + ") must be at least maxSeqs ("
          + maxSeqs + ")");
    }
    if (stepBase.isNegative() || decodeTokenCost.isNegative() || prefillTokenCost.isNegative()) {
      throw new IllegalArgumentException("step costs must not be negative");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in 0..1, got " + jitter);
    }
    if (blockTokens < 1 || prefixCacheBlocks < 0 || maxQueue < 0 || handlerThreads < 1 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException("blockTokens and handlerThreads must be positive; prefixCacheBlocks, "
          + "maxQueue and retryAfterSeconds not negative");
    }
    if (timeoutHold.isNegative()) {
      throw new IllegalArgumentException("timeoutHold must not be negative");
    }
    faults = Map.copyOf(faults);
    new FaultPlan(seed, faults); // validates that the probabilities sum to at most 1
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A server for tests: 1 ms steps and 64 sequences a batch, so a study of a few dozen agents takes seconds. */
  public static Builder fast() {
    return builder().fixedStep(Duration.ofMillis(1)).maxSeqs(64);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.model = model;
    b.maxSeqs = maxSeqs;
    b.maxBatchTokens = maxBatchTokens;
    b.stepBase = stepBase;
    b.decodeTokenCost = decodeTokenCost;
    b.prefillTokenCost = prefillTokenCost;
    b.blockTokens = blockTokens;
    b.prefixCacheBlocks = prefixCacheBlocks;
    b.jitter = jitter;
    b.seed = seed;
    b.maxQueue = maxQueue;
    b.faults.putAll(faults);
    b.retryAfterSeconds = retryAfterSeconds;
    b.timeoutHold = timeoutHold;
    b.responder = responder;
    b.handlerThreads = handlerThreads;
    return b;
  }

  /** Builds settings; every field starts at its default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private String model = "norma-fake-llm";
    private int maxSeqs = 256;
    private int maxBatchTokens = 8192;
    private Duration stepBase = Duration.ofMillis(8);
    private Duration decodeTokenCost = Duration.ofNanos(50_000);
    private Duration prefillTokenCost = Duration.ofNanos(20_000);
    private int blockTokens = 16;
    private int prefixCacheBlocks = 100_000;
    private double jitter = 0.1;
    private long seed = 1;
    private int maxQueue = 0;
    private final Map<Fault, FaultRule> faults = new EnumMap<>(Fault.class);
    private int retryAfterSeconds = 1;
    private Duration timeoutHold = Duration.ofSeconds(60);
    private Responder responder = new GamesResponder(new NamingGameResponder(0.1, 0, false));
    private int handlerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private Builder() {
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder maxSeqs(int maxSeqs) {
      this.maxSeqs = maxSeqs;
      return this;
    }

    public Builder maxBatchTokens(int maxBatchTokens) {
      this.maxBatchTokens = maxBatchTokens;
      return this;
    }

    public Builder stepBase(Duration stepBase) {
      this.stepBase = stepBase;
      return this;
    }

    public Builder decodeTokenCost(Duration decodeTokenCost) {
      this.decodeTokenCost = decodeTokenCost;
      return this;
    }

    public Builder prefillTokenCost(Duration prefillTokenCost) {
      this.prefillTokenCost = prefillTokenCost;
      return this;
    }

    /** A step that always takes {@code step}: no token costs, no jitter. */
    public Builder fixedStep(Duration step) {
      this.stepBase = step;
      this.decodeTokenCost = Duration.ZERO;
      this.prefillTokenCost = Duration.ZERO;
      this.jitter = 0;
      return this;
    }

    public Builder blockTokens(int blockTokens) {
      this.blockTokens = blockTokens;
      return this;
    }

    public Builder prefixCacheBlocks(int prefixCacheBlocks) {
      this.prefixCacheBlocks = prefixCacheBlocks;
      return this;
    }

    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder maxQueue(int maxQueue) {
      this.maxQueue = maxQueue;
      return this;
    }

    public Builder fault(Fault fault, FaultRule rule) {
      this.faults.put(fault, rule);
      return this;
    }

    public Builder retryAfterSeconds(int retryAfterSeconds) {
      this.retryAfterSeconds = retryAfterSeconds;
      return this;
    }

    public Builder timeoutHold(Duration timeoutHold) {
      this.timeoutHold = timeoutHold;
      return this;
    }

    public Builder responder(Responder responder) {
      this.responder = responder;
      return this;
    }

    public Builder handlerThreads(int handlerThreads) {
      this.handlerThreads = handlerThreads;
      return this;
    }

    public FakeLlmSettings build() {
      return new FakeLlmSettings(host, port, model, maxSeqs, maxBatchTokens, stepBase, decodeTokenCost,
          prefillTokenCost, blockTokens, prefixCacheBlocks, jitter, seed, maxQueue, faults, retryAfterSeconds,
          timeoutHold, responder, handlerThreads);
    }
  }
}
