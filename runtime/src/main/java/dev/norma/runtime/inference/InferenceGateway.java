package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netflix.concurrency.limits.Limiter;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.InferenceSpec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.CircuitBreaker;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A node's way to its language models: a bounded Pekko Streams pipeline from agents to
 * endpoints — OpenAI-compatible servers ({@link EndpointClient}) or models run in this process
 * ({@link LocalEndpoint}), behind one {@link Endpoint} interface.
 *
 * <pre>
 * complete(request) ─▶ bounded queue ─▶ batch (while dispatch is busy) ─▶ dispatch, one group at a time
 *                                                                           │ waits for a free slot
 *        endpoint: adaptive concurrency limit · rate buckets · circuit breaker · HTTP
 *             or: fixed slots · llama.cpp in-process
 * </pre>
 *
 * <p>Dispatch gives each waiting call to the endpoint with the fewest requests outstanding among
 * those with a free concurrency slot, room in their rate limits and a closed circuit breaker; a
 * {@code completions} endpoint takes up to its batch size of calls in one request (a list of
 * prompts). When no endpoint can take a call, dispatch waits for a request to finish (or a rate
 * bucket to refill), the stream stops pulling, calls gather in the queue, and the matchmaker, whose
 * window follows {@link #admissionWindow()}, admits fewer interactions: a slow endpoint slows the
 * study instead of filling memory.
 *
 * <p>A failed request (429, 5xx, timeout, connection error, unreadable answer) is sent again
 * after a jittered exponential backoff that honours {@code Retry-After}, through the queue, up to
 * {@code max-retries} times; then the call fails and the caller counts its interaction invalid.
 * Every failed try is written to the {@link CallJournal} and counted in {@link GatewayMetrics}.
 *
 * <p>With a {@link ReplayBook}, a request answered in the recorded run is answered from it at
 * once and reaches no endpoint.
 *
 * <p>Lifecycle: built per run on each node from the run's spec (a local model is loaded then, or,
 * in a replay, on the first call the journal cannot answer); {@link #close()} stops the stream,
 * fails calls still queued and closes the endpoints. It is a plain object with a
 * {@link CompletionStage} API rather than an actor: agents call it from their own thread and pipe
 * the answer to themselves, and the stream it runs is its actor.
 */
public final class InferenceGateway implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InferenceGateway.class);
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final SamplingParams params;
  private final InferenceSettings settings;
  private final CallLog journal;
  private final GatewayMetrics metrics;
  private final ReplayBook replay;
  private final Backoff backoff;
  private final BoundedSourceQueue<Call> queue;
  private final CompletionStage<Done> streamDone;
  private final ScheduledExecutorService timer;
  private final HttpClient http;
  private final AtomicInteger queued = new AtomicInteger();
  /** Whether an endpoint takes several prompts in one request. */
  private final boolean batching;
  private final Object signalLock = new Object();
  private CompletableFuture<Void> released = new CompletableFuture<>();
  private volatile boolean closed;
  /**
   * Answers are handled under the read lock and {@link #close()} takes the write lock: once it
   * returns, every answer counted has also been seen by its caller (who journals it), and no
   * answer arriving later is counted.
   */
  private final java.util.concurrent.locks.ReentrantReadWriteLock closing =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  // Counters for the run's summary, progress and budget.
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong replayedCalls = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  /** When requests began to fail with none answered since, or {@link #ANSWERING}. */
  private final AtomicLong failingSinceNanos = new AtomicLong(ANSWERING);
  private static final long ANSWERING = Long.MIN_VALUE;
  /** The latest failed request: its endpoint, kind and message. */
  private volatile String lastFailure;
  /** Estimated cost in millionths of a currency unit times a million tokens: kept exact as a long. */
  private final AtomicLong costMicroUnits = new AtomicLong();

  /** One call in the pipeline: the request, its result, and how many times it was sent. */
  private static final class Call {
    final LlmRequest request;
    final CompletableFuture<LlmAnswer> result = new CompletableFuture<>();
    int tries;
    /** The endpoint whose request for this call failed last: tried again only if no other can be. */
    Endpoint failedAt;

    Call(LlmRequest request) {
      this.request = request;
    }
  }

  public InferenceGateway(ActorSystem<?> system, InferenceSpec spec, SamplingParams params,
                          InferenceSettings settings, CallLog journal, GatewayMetrics metrics, ReplayBook replay) {
    this.params = params;
    this.settings = settings;
    this.journal = journal;
    this.metrics = metrics;
    this.replay = replay;
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "norma-inference-timer");
      thread.setDaemon(true);
      return thread;
    });
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    for (EndpointSpec endpoint : spec.endpoints()) {
      Endpoint opened;
      try {
        // A replay may need no model: it is loaded when a call reaches it.
        opened = endpoint.local() ? new LocalEndpoint(endpoint, params, replay != null)
            : httpEndpoint(system, endpoint);
      } catch (RuntimeException e) {
        endpoints.forEach(Endpoint::close);
        timer.shutdownNow();
        throw e;
      }
      endpoints.add(opened);
      metrics.registerEndpoint(endpoint.name(), opened::outstanding, opened::limit);
    }
    metrics.registerQueue(queued::get);
    int largestBatch = endpoints.stream().mapToInt(Endpoint::batchSize).max().orElse(1);
    this.batching = largestBatch > 1;
    int maxGroup = Math.max(1, largestBatch * 4);
    Source<Call, BoundedSourceQueue<Call>> calls = Source.queue(settings.queueSize());
    // With a batching endpoint, calls linger briefly so that requests fill; otherwise a call goes
    // as soon as dispatch is free, and calls gather only while it waits for capacity.
    Source<List<Call>, BoundedSourceQueue<Call>> groups = largestBatch > 1
        ? calls.groupedWithin(maxGroup, settings.batchLinger())
        : calls.batch(maxGroup, first -> {
          List<Call> group = new ArrayList<>();
          group.add(first);
          return group;
        }, (group, next) -> {
          group.add(next);
          return group;
        });
    var materialized = groups
        .mapAsync(1, this::dispatch)
        .toMat(Sink.ignore(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(system);
    this.queue = materialized.first();
    this.streamDone = materialized.second();
  }

  private Endpoint httpEndpoint(ActorSystem<?> system, EndpointSpec endpoint) {
    CircuitBreaker breaker = CircuitBreaker.create(system.classicSystem().scheduler(), settings.breakerFailures(),
        Duration.ofNanos((long) (endpoint.timeout() * 1e9)).plusSeconds(5), settings.breakerReset());
    // A breaker that closes again frees capacity: wake dispatch.
    breaker.addOnHalfOpenListener(this::signalRelease);
    return new EndpointClient(endpoint, params, http, settings, breaker, replay != null);
  }

  /**
   * Asks for one answer. The stage completes with the endpoint's (or the recorded) answer, or
   * exceptionally once the request failed {@code max-retries + 1} times or the gateway closed. It
   * completes on a gateway thread: callers must not touch actor state in a callback.
   */
  public CompletionStage<LlmAnswer> complete(LlmRequest request) {
    if (replay != null) {
      LlmAnswer recorded = replay.lookup(request, params(request));
      // An agent's calls that now go elsewhere (an endpoint intervention) are not answered by the
      // recorded endpoint.
      if (recorded != null && (request.group() == null || request.group().answeredBy(recorded.endpoint()))) {
        if (closed) {
          // The results are final: an answer now would be counted nowhere.
          return CompletableFuture.failedFuture(new GatewayClosedException());
        }
        replayedCalls.incrementAndGet();
        return CompletableFuture.completedFuture(recorded);
      }
    }
    Call call = new Call(request);
    offer(call);
    return call.result;
  }

  private void offer(Call call) {
    if (closed) {
      call.result.completeExceptionally(new GatewayClosedException());
      return;
    }
    queued.incrementAndGet();
    QueueOfferResult result = queue.offer(call);
    if (result != QueueOfferResult.enqueued()) {
      queued.decrementAndGet();
      if (result == QueueOfferResult.dropped()) {
        // Full: the matchmaker's window keeps this rare; try again shortly.
        timer.schedule(() -> offer(call), 20, TimeUnit.MILLISECONDS);
      } else {
        call.result.completeExceptionally(new GatewayClosedException());
      }
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Takes these endpoints' limits from now on: a cluster node's share when members join or leave.
   * Endpoints are matched by name.
   */
  public void share(InferenceSpec shared) {
    for (EndpointSpec spec : shared.endpoints()) {
      for (Endpoint endpoint : endpoints) {
        if (endpoint.name().equals(spec.name())) {
          endpoint.share(spec);
        }
      }
    }
    signalRelease(); // a larger share frees slots at once
  }

  /**
   * Whether an endpoint takes several prompts in one request. A request carries one seed, so then
   * calls share seeds ({@link LlmDeliberation}) and only calls with the same seed share a request.
   */
  public boolean batching() {
    return batching;
  }

  /** Sends every call of the group; completes when all are sent (not answered). */
  private CompletionStage<Done> dispatch(List<Call> calls) {
    queued.addAndGet(-calls.size());
    List<Call> group = calls;
    if (batching) {
      group = new ArrayList<>(calls);
      // One request carries one seed and one group's sampling parameters.
      group.sort(Comparator.comparing((Call call) -> groupName(call.request), Comparator.nullsFirst(
          Comparator.naturalOrder())).thenComparing(call -> call.request.seed(),
          Comparator.nullsFirst(Comparator.naturalOrder())));
    }
    CompletableFuture<Done> sent = new CompletableFuture<>();
    pump(group, 0, sent);
    return sent;
  }

  /**
   * Sends the group's calls from {@code from} on. A failure here must not stall the stream (it
   * waits for {@code sent}): the calls not yet sent fail instead, and their interactions are
   * invalid.
   */
  private void pump(List<Call> group, int from, CompletableFuture<Done> sent) {
    try {
      pumpFrom(group, from, sent);
    } catch (RuntimeException | Error e) {
      LOG.error("inference dispatch failed; failing the calls it had not sent", e);
      for (int i = from; i < group.size(); i++) {
        group.get(i).result.completeExceptionally(e);
      }
      sent.complete(Done.getInstance());
    }
  }

  private void pumpFrom(List<Call> group, int from, CompletableFuture<Done> sent) {
    int next = from;
    while (next < group.size()) {
      if (closed) {
        for (int i = next; i < group.size(); i++) {
          group.get(i).result.completeExceptionally(new GatewayClosedException());
        }
        break;
      }
      // Taken before looking, so that a release in between is not missed.
      CompletableFuture<Void> wake;
      synchronized (signalLock) {
        wake = released;
      }
      long rateWait = Long.MAX_VALUE;
      boolean anyClosedBreaker = false;
      Endpoint chosen = null;
      List<Limiter.Listener> slots = null;
      List<Endpoint> byLoad = new ArrayList<>(endpoints);
      byLoad.sort(Comparator.comparingInt(Endpoint::outstanding));
      Endpoint avoid = group.get(next).failedAt;
      AgentGroup agents = group.get(next).request.group();
      boolean alternative = avoid != null && endpoints.stream().anyMatch(e -> e != avoid && !e.open()
          && (agents == null || agents.answeredBy(e.name())));
      int take = 0;
      for (Endpoint endpoint : byLoad) {
        if (endpoint.open() || endpoint == avoid && alternative
            || agents != null && !agents.answeredBy(endpoint.name())) {
          continue;
        }
        anyClosedBreaker = true;
        int size = Math.min(endpoint.batchSize(), sameSeed(group, next));
        List<LlmRequest> requestsOf = new ArrayList<>(size);
        for (int i = next; i < next + size; i++) {
          requestsOf.add(group.get(i).request);
        }
        long wait = endpoint.rateWaitNanos(endpoint.estimateTokens(requestsOf));
        if (wait > 0) {
          rateWait = Math.min(rateWait, wait);
          continue;
        }
        List<Limiter.Listener> free = endpoint.tryAcquire(size);
        if (free.size() < size && endpoint.batchSize() > 1 && endpoint.outstanding() > 0) {
          // A batch waits for slots to fill it while the endpoint is busy anyway.
          free.forEach(Limiter.Listener::onIgnore);
          free = List.of();
        }
        if (!free.isEmpty()) {
          chosen = endpoint;
          slots = free;
          take = free.size();
          break;
        }
      }
      if (chosen == null) {
        // Wait for a request to finish, a rate bucket to refill, or a breaker to half-open.
        long delay = rateWait != Long.MAX_VALUE ? rateWait
            : anyClosedBreaker ? TimeUnit.MILLISECONDS.toNanos(500) : settings.breakerReset().toNanos();
        int resumeAt = next;
        CompletableFuture<Void> timeout = new CompletableFuture<>();
        timer.schedule(() -> timeout.complete(null), Math.max(1, delay), TimeUnit.NANOSECONDS);
        CompletableFuture.anyOf(wake, timeout).thenRun(() -> pump(group, resumeAt, sent));
        return;
      }
      send(chosen, slots, new ArrayList<>(group.subList(next, next + take)));
      next += take;
    }
    sent.complete(Done.getInstance());
  }

  /**
   * How many calls from {@code from} on carry the same seed and group (one request sends one seed,
   * and one group's sampling parameters).
   */
  private static int sameSeed(List<Call> group, int from) {
    LlmRequest first = group.get(from).request;
    int end = from + 1;
    while (end < group.size() && java.util.Objects.equals(first.seed(), group.get(end).request.seed())
        && java.util.Objects.equals(first.group(), group.get(end).request.group())) {
      end++;
    }
    return end - from;
  }

  private static String groupName(LlmRequest request) {
    return request.group() == null ? null : request.group().name();
  }

  /** The sampling parameters {@code request} is sent with: its group's, or the run's. */
  public SamplingParams params(LlmRequest request) {
    return request.params(params);
  }

  private void send(Endpoint endpoint, List<Limiter.Listener> slots, List<Call> batch) {
    List<LlmRequest> requestsOf = new ArrayList<>(batch.size());
    List<LlmRequest> firstTries = new ArrayList<>(batch.size());
    for (Call call : batch) {
      call.tries++;
      requestsOf.add(call.request);
      if (call.tries == 1) {
        firstTries.add(call.request);
      }
    }
    if (!firstTries.isEmpty()) {
      try {
        journal.sending(firstTries); // before the request leaves: a resume then knows it was in flight
      } catch (java.io.UncheckedIOException e) {
        LOG.warn("cannot note the calls sent ({}); a resume may not count them as reissued", e.getMessage());
      }
    }
    requests.incrementAndGet();
    endpoint.send(requestsOf, slots).whenComplete((result, error) -> {
      try {
        if (error != null) {
          throw error;
        }
        handle(endpoint, batch, result);
      } catch (Throwable e) {
        LOG.error("inference answer handling failed", e);
        for (Call call : batch) {
          call.result.completeExceptionally(e);
        }
      } finally {
        signalRelease();
      }
    });
  }

  private void handle(Endpoint endpoint, List<Call> batch, Endpoint.Result result) {
    closing.readLock().lock();
    try {
      if (closed) {
        for (Call call : batch) {
          call.result.completeExceptionally(new GatewayClosedException());
        }
        return;
      }
      handleOpen(endpoint, batch, result);
    } finally {
      closing.readLock().unlock();
    }
  }

  private void handleOpen(Endpoint endpoint, List<Call> batch, Endpoint.Result result) {
    String name = endpoint.name();
    if (result.answers() != null) {
      failingSinceNanos.set(ANSWERING);
      metrics.request(name, "ok", 1);
      metrics.latency(name, result.latencyNanos());
      for (int i = 0; i < batch.size(); i++) {
        Call call = batch.get(i);
        LlmAnswer a = result.answers().get(i);
        LlmAnswer answer = new LlmAnswer(a.text(), a.endpoint(), a.model(), a.systemFingerprint(), a.promptTokens(),
            a.completionTokens(), a.cachedTokens(), a.latencyNanos(), call.tries, false, i > 0);
        calls.incrementAndGet();
        promptTokens.addAndGet(answer.promptTokens());
        completionTokens.addAndGet(answer.completionTokens());
        metrics.tokens(name, "prompt", answer.promptTokens());
        metrics.tokens(name, "completion", answer.completionTokens());
        metrics.tokens(name, "cached", answer.cachedTokens());
        costMicroUnits.addAndGet(endpoint.costMicroUnits(answer.promptTokens(), answer.completionTokens()));
        call.result.complete(answer);
      }
      return;
    }
    Endpoint.Failure failure = result.failure();
    if (failure.kind().equals("breaker-open")) {
      // Refused by the breaker before any request was sent: not a try nor a request; dispatch
      // again shortly.
      requests.decrementAndGet();
      metrics.error(name, failure.kind());
      for (Call call : batch) {
        call.tries--;
        timer.schedule(() -> offer(call), 50, TimeUnit.MILLISECONDS);
      }
      return;
    }
    errors.incrementAndGet();
    endpoint.counters().errors.incrementAndGet();
    metrics.error(name, failure.kind());
    failingSinceNanos.compareAndSet(ANSWERING, System.nanoTime());
    lastFailure = "endpoint " + name + where(endpoint) + ": " + failure.kind() + ": " + failure.message();
    for (int i = 0; i < batch.size(); i++) {
      Call call = batch.get(i);
      call.failedAt = endpoint;
      boolean again = failure.retryable() && call.tries <= settings.maxRetries() && !closed;
      ObjectNode line = CallJournal.entry(call.request, params(call.request), again ? "retry" : "error",
          call.tries);
      line.put("endpoint", name);
      if (i > 0) {
        line.put("sharedRequest", true); // the batch's first call counts the request
      }
      line.put("error", failure.kind() + ": " + failure.message());
      line.put("latencyMs", result.latencyNanos() / 1e6);
      journal.write(line, call.request.prompt().system());
      if (again) {
        retries.incrementAndGet();
        endpoint.counters().retries.incrementAndGet();
        metrics.retry(name);
        Duration delay = backoff.delay(call.tries - 1, failure.retryAfter());
        timer.schedule(() -> offer(call), delay.toNanos(), TimeUnit.NANOSECONDS);
      } else {
        failedCalls.incrementAndGet();
        call.result.completeExceptionally(new InferenceException(name + ": " + failure.kind() + ": "
            + failure.message() + " (after " + call.tries + " tries)"));
      }
    }
    metrics.request(name, batch.stream().anyMatch(c -> !c.result.isDone()) ? "retry" : "error", 1);
  }

  private void signalRelease() {
    CompletableFuture<Void> toComplete;
    synchronized (signalLock) {
      toComplete = released;
      released = new CompletableFuture<>();
    }
    toComplete.complete(null);
  }

  /**
   * How many interactions the matchmaker should keep in flight so the endpoints stay busy without
   * a backlog: twice the prompts the endpoints' current concurrency limits can take (each
   * interaction has at most one call outstanding at a time), so a second call is ready for every
   * slot that frees.
   */
  public int admissionWindow() {
    int window = 0;
    for (Endpoint endpoint : endpoints) {
      window += endpoint.limit();
    }
    return Math.max(1, 2 * window);
  }

  /**
   * Why the endpoints count as unreachable — every request has failed, none answered, for
   * {@code norma.inference.unreachable-after} — naming the endpoint of the latest failure; or null.
   */
  public String unanswered() {
    long since = failingSinceNanos.get();
    if (since == ANSWERING || closed) {
      return null;
    }
    long seconds = (System.nanoTime() - since) / 1_000_000_000L;
    if (System.nanoTime() - since < settings.unreachableAfter().toNanos()) {
      return null;
    }
    return "no endpoint has answered for " + seconds + " s (norma.inference.unreachable-after = "
        + settings.unreachableAfter().toSeconds() + "s); the latest failure: " + lastFailure;
  }

  /** Where an HTTP endpoint is, as host and port only (a URL may carry a user and password). */
  private static String where(Endpoint endpoint) {
    String url = endpoint.spec().url();
    if (url == null) {
      return "";
    }
    try {
      java.net.URI uri = java.net.URI.create(url);
      return uri.getHost() == null ? "" : " at " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** What the gateway has done so far. */
  public GatewayUsage usage() {
    int inFlight = 0;
    int limit = 0;
    for (Endpoint endpoint : endpoints) {
      inFlight += endpoint.outstanding();
      limit += endpoint.limit();
    }
    return new GatewayUsage(calls.get(), replayedCalls.get(), requests.get(), promptTokens.get(),
        completionTokens.get(), retries.get(), errors.get(), failedCalls.get(), costMicroUnits.get() / 1e6,
        inFlight, queued.get(), limit);
  }

  /** Each endpoint now: requests in flight, limit, retries and errors so far. */
  public List<dev.norma.runtime.study.ProgressListener.EndpointProgress> endpointProgress() {
    List<dev.norma.runtime.study.ProgressListener.EndpointProgress> out = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      out.add(new dev.norma.runtime.study.ProgressListener.EndpointProgress(endpoint.name(), endpoint.outstanding(),
          endpoint.limit(), endpoint.counters().retries.get(), endpoint.counters().errors.get()));
    }
    return out;
  }

  public CallLog journal() {
    return journal;
  }

  public SamplingParams params() {
    return params;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    queue.complete();
    signalRelease();
    // Calls waiting to be sent again fail now rather than never: their interactions drain.
    timer.shutdownNow().forEach(Runnable::run);
    streamDone.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> Done.getInstance());
    endpoints.forEach(Endpoint::close);
    metrics.close();
  }
}
