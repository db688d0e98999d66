package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The capacity model: continuous batching as a GPU inference server does it, on one thread.
 * Each step:
 * <ol>
 *   <li>admits waiting sequences, oldest first, while fewer than {@code maxSeqs} run; an
 *       admitted sequence looks its prompt's leading blocks up in the prefix cache and needs to
 *       prefill only the rest (at least one token);</li>
 *   <li>forms the batch: every sequence that is decoding contributes one token, then prefills
 *       take chunks from what is left of {@code maxBatchTokens}, in admission order;</li>
 *   <li>lasts {@code stepBase + decodeTokenCost × decoding + prefillTokenCost × prefilled},
 *       times the jitter factor: the thread waits until the step's end (one wait per step, not
 *       per request);</li>
 *   <li>then every decoding sequence has one more token; a sequence whose prefill finished has
 *       its first token and its prompt blocks enter the prefix cache; a sequence with all its
 *       tokens completes and its callback runs.</li>
 * </ol>
 * Requests arriving during a step join at the next one. The answer text is decided when the
 * request arrives; the model only decides how long it takes.
 */
final class BatchScheduler implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BatchScheduler.class.getName());
  private static final long JITTER_STREAM = -0x4A4954L;

  /** One prompt being answered: the unit of batching. */
  static final class Sequence {
    final int promptTokens;
    final long[] blockHashes;
    final int outputTokens;
    final Consumer<Sequence> onDone;
    final long submittedNanos;
    int cachedTokens;
    int prefillRemaining;
    int generated;
    int chunk;

    /**
     * @param outputTokens tokens to generate, at least 1 (the end-of-sequence token counts)
     * @param onDone       runs on the scheduler thread when the last token is generated; it must
     *                     hand any real work to another thread
     */
    Sequence(Tokens.Analysis prompt, int outputTokens, Consumer<Sequence> onDone) {
      this.promptTokens = Math.max(1, prompt.tokens());
      this.blockHashes = prompt.blockHashes();
      this.outputTokens = Math.max(1, outputTokens);
      this.onDone = onDone;
      this.submittedNanos = System.nanoTime();
    }

    int cachedTokens() {
      return cachedTokens;
    }
  }

  private final FakeLlmSettings settings;
  private final ServerStats stats;
  private final PrefixCache prefixCache;
  private final Streams.RandomStream jitter;
  /** Requests' sequences, one list per request, so a batch of prompts arrives as one. */
  private final LinkedBlockingQueue<List<Sequence>> arrivals = new LinkedBlockingQueue<>();
  private final List<List<Sequence>> drained = new ArrayList<>();
  private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
  private final List<Sequence> running = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  BatchScheduler(FakeLlmSettings settings, ServerStats stats) {
    this.settings = settings;
    this.stats = stats;
    this.prefixCache = new PrefixCache(settings.prefixCacheBlocks());
    this.jitter = new Streams.RandomStream(settings.seed(), JITTER_STREAM);
    this.thread = new Thread(this::run, "fake-llm-scheduler");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues the sequences of one request together. */
  void submit(List<Sequence> sequences) {
    stats.queued.addAndGet(sequences.size());
    arrivals.add(List.copyOf(sequences));
  }

  /** Sequences waiting for a place in the batch. */
  int queued() {
    return stats.queued.get();
  }

  private void run() {
    try {
      while (!closed) {
        if (running.isEmpty() && waiting.isEmpty()) {
          List<Sequence> first = arrivals.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          waiting.addAll(first);
        }
        arrivals.drainTo(drained);
        for (List<Sequence> request : drained) {
          waiting.addAll(request);
        }
        drained.clear();
        admit();
        step();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void admit() {
    while (running.size() < settings.maxSeqs() && !waiting.isEmpty()) {
      Sequence s = waiting.poll();
      stats.queued.decrementAndGet();
      stats.queueWaitNanos.addAndGet(System.nanoTime() - s.submittedNanos);
      int hitBlocks = prefixCache.leadingHits(s.blockHashes);
      s.cachedTokens = Math.min(hitBlocks * settings.blockTokens(), s.promptTokens - 1);
      s.prefillRemaining = s.promptTokens - s.cachedTokens;
      stats.promptTokens.addAndGet(s.promptTokens);
      stats.cacheHitTokens.addAndGet(s.cachedTokens);
      stats.prefillTokens.addAndGet(s.prefillRemaining);
      running.add(s);
    }
    stats.running.set(running.size());
  }

  private void step() throws InterruptedException {
    int budget = settings.maxBatchTokens();
    int decoding = 0;
    for (Sequence s : running) {
      if (s.prefillRemaining == 0) {
        decoding++;
        budget--;
      }
    }
    int prefilled = 0;
    int inBatch = decoding;
    for (Sequence s : running) {
      if (s.prefillRemaining > 0) {
        s.chunk = Math.max(0, Math.min(s.prefillRemaining, budget));
        budget -= s.chunk;
        prefilled += s.chunk;
        if (s.chunk > 0) {
          inBatch++;
        }
      }
    }
    long nanos = settings.stepBase().toNanos() + settings.decodeTokenCost().toNanos() * decoding
        + settings.prefillTokenCost().toNanos() * prefilled;
    if (settings.jitter() > 0) {
      nanos = Math.round(nanos * (1 + settings.jitter() * (2 * jitter.nextDouble() - 1)));
    }
    waitUntil(System.nanoTime() + nanos);
    stats.step(inBatch, nanos);

    Iterator<Sequence> it = running.iterator();
    while (it.hasNext()) {
      Sequence s = it.next();
      if (s.prefillRemaining == 0) {
        s.generated++;
      } else if (s.chunk > 0) {
        s.prefillRemaining -= s.chunk;
        s.chunk = 0;
        if (s.prefillRemaining == 0) {
          s.generated++; // the step that ends the prefill samples the first token
          prefixCache.insert(s.blockHashes);
        }
      }
      if (s.generated >= s.outputTokens) {
        it.remove();
        stats.sequences.incrementAndGet();
        stats.completionTokens.addAndGet(s.generated);
        try {
          s.onDone.accept(s);
        } catch (RuntimeException e) {
          // A callback failing (for example after close) must not stop the model for the others.
          LOG.log(System.Logger.Level.WARNING, "completion callback failed", e);
        }
      }
    }
    stats.running.set(running.size());
  }

  private void waitUntil(long deadline) throws InterruptedException {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (closed || Thread.interrupted()) {
        throw new InterruptedException("scheduler closed");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
