package dev.norma.runtime.inference;

import com.netflix.concurrency.limits.Limiter;
import dev.norma.protocols.spec.EndpointSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One place the gateway can send calls to, as dispatch sees it: its controls (concurrency slots,
 * rate limits, whether it refuses calls now) and a way to send a request for some calls. The
 * gateway does the rest the same way for every kind: queueing, retries with backoff, the call
 * journal, metrics, budgets and replay.
 *
 * <p>Two kinds: {@link EndpointClient}, an OpenAI-compatible server over HTTP, and
 * {@link LocalEndpoint}, a GGUF model run in this process. Implementations are thread-safe: they
 * are called from the gateway's dispatch and from completion threads.
 */
interface Endpoint extends AutoCloseable {

  /** Why a request failed, and whether to try again. */
  record Failure(String kind, boolean retryable, Duration retryAfter, String message) {
  }

  /** A request's result: the answers in the order of the calls sent, or why there are none. */
  record Result(List<LlmAnswer> answers, Failure failure, long latencyNanos) {
  }

  /** Failed requests, and their calls sent again, so far. */
  final class Counters {
    final AtomicLong retries = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
  }

  /** The endpoint as the spec describes it. */
  EndpointSpec spec();

  /** The endpoint's name in the spec. */
  default String name() {
    return spec().name();
  }

  /** Calls one request may carry. */
  int batchSize();

  /** Calls sent and not yet answered. */
  int outstanding();

  /** Calls it may have outstanding now. */
  int limit();

  /** The estimated cost of these tokens at the spec's prices, in millionths of the currency. */
  default long costMicroUnits(long prompt, long completion) {
    double promptPrice = spec().promptPrice() == null ? 0 : spec().promptPrice();
    double completionPrice = spec().completionPrice() == null ? 0 : spec().completionPrice();
    return Math.round(prompt * promptPrice + completion * completionPrice);
  }

  /**
   * Takes these limits from now on (a cluster node's share of the endpoint's, when members join or
   * leave); nothing for an endpoint whose limits are its own.
   */
  default void share(EndpointSpec shared) {
  }

  /** Whether it refuses calls now (an open circuit breaker): dispatch tries another. */
  boolean open();

  /** The tokens a request for these calls is expected to use, for rate limits. */
  long estimateTokens(List<LlmRequest> requests);

  /** Nanoseconds until the rate limits allow a request of this many tokens (0: now). */
  long rateWaitNanos(long tokens);

  /** Up to {@code wanted} concurrency slots (one per call), as many as are free now. */
  List<Limiter.Listener> tryAcquire(int wanted);

  /**
   * Sends one request for these calls (at most {@link #batchSize()}), holding the slots. The
   * result never fails exceptionally: failures are in {@link Result}.
   */
  CompletableFuture<Result> send(List<LlmRequest> requests, List<Limiter.Listener> slots);

  /** Its retries and errors so far, counted by the gateway. */
  Counters counters();

  /** Up to {@code wanted} slots of the limiter, as many as it has free now. */
  static List<Limiter.Listener> acquire(Limiter<Void> limiter, int wanted) {
    List<Limiter.Listener> slots = new ArrayList<>(wanted);
    while (slots.size() < wanted) {
      Optional<Limiter.Listener> slot = limiter.acquire(null);
      if (slot.isEmpty()) {
        break;
      }
      slots.add(slot.get());
    }
    return slots;
  }

  /** Frees what the endpoint holds; calls in flight then may fail. */
  @Override
  default void close() {
  }
}
