package dev.norma.testkit.fakellm;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fake server's own counters, written by handler threads and the scheduler thread, read by
 * {@code /metrics} and {@link FakeLlmServer#stats()}. Tags are bounded: endpoint, status, fault.
 */
final class ServerStats {
  /** Upper bounds of the batch-size histogram buckets. */
  static final int[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final long startNanos = System.nanoTime();
  private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final EnumMap<Fault, LongAdder> faults = new EnumMap<>(Fault.class);
  final AtomicInteger queued = new AtomicInteger();
  final AtomicInteger running = new AtomicInteger();
  final AtomicLong sequences = new AtomicLong();
  final AtomicLong steps = new AtomicLong();
  final AtomicLong busyNanos = new AtomicLong();
  final AtomicLong batchSequencesSum = new AtomicLong();
  final AtomicInteger maxBatch = new AtomicInteger();
  final AtomicLongArray batchHistogram = new AtomicLongArray(BATCH_BUCKETS.length + 1);
  final AtomicLong promptTokens = new AtomicLong();
  final AtomicLong prefillTokens = new AtomicLong();
  final AtomicLong cacheHitTokens = new AtomicLong();
  final AtomicLong completionTokens = new AtomicLong();
  final AtomicLong queueWaitNanos = new AtomicLong();

  ServerStats() {
    for (Fault fault : Fault.values()) {
      faults.put(fault, new LongAdder());
    }
  }

  void request(String endpoint, int status) {
    requests.computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
  }

  void fault(Fault fault) {
    faults.get(fault).increment();
  }

  /** Called by the scheduler thread after each step. */
  void step(int batchSequences, long stepNanos) {
    steps.incrementAndGet();
    busyNanos.addAndGet(stepNanos);
    batchSequencesSum.addAndGet(batchSequences);
    if (batchSequences > maxBatch.get()) {
      maxBatch.set(batchSequences);
    }
    int bucket = 0;
    while (bucket < BATCH_BUCKETS.length && batchSequences > BATCH_BUCKETS[bucket]) {
      bucket++;
    }
    batchHistogram.incrementAndGet(bucket);
  }

  double uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  FakeLlmStats snapshot() {
    Map<String, Long> requestCounts = new TreeMap<>();
    requests.forEach((key, count) -> requestCounts.put(key, count.sum()));
    Map<Fault, Long> faultCounts = new EnumMap<>(Fault.class);
    faults.forEach((fault, count) -> faultCounts.put(fault, count.sum()));
    double busy = busyNanos.get() / 1e9;
    return new FakeLlmStats(Map.copyOf(requestCounts), Map.copyOf(faultCounts), sequences.get(), running.get(),
        queued.get(), steps.get(), busy, busy / Math.max(1e-9, uptimeSeconds()), batchSequencesSum.get(),
        maxBatch.get(), promptTokens.get(), prefillTokens.get(), cacheHitTokens.get(), completionTokens.get(),
        queueWaitNanos.get() / 1e9);
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  String prometheus() {
    StringBuilder out = new StringBuilder(4096);
    FakeLlmStats s = snapshot();
    header(out, "fakellm_requests_total", "counter", "HTTP requests answered, by endpoint and status");
    s.requests().forEach((key, count) -> {
      int space = key.indexOf(' ');
      out.append("fakellm_requests_total{endpoint=\"").append(key, 0, space).append("\",status=\"")
          .append(key.substring(space + 1)).append("\"} ").append(count).append('\n');
    });
    header(out, "fakellm_faults_injected_total", "counter", "Faults injected, by fault");
    for (Fault fault : Fault.values()) {
      out.append("fakellm_faults_injected_total{fault=\"").append(fault.label()).append("\"} ")
          .append(s.faults(fault)).append('\n');
    }
    gauge(out, "fakellm_sequences_running", "Sequences in the running batch", s.running());
    gauge(out, "fakellm_queue_length", "Sequences waiting for a place in the batch", s.queued());
    counter(out, "fakellm_sequences_total", "Sequences completed (one per prompt and choice)", s.sequences());
    counter(out, "fakellm_steps_total", "Batch steps run", s.steps());
    counter(out, "fakellm_busy_seconds_total", "Time spent running steps", s.busySeconds());
    gauge(out, "fakellm_utilisation_ratio", "Busy time over time since start", s.utilisation());
    gauge(out, "fakellm_uptime_seconds", "Time since start", uptimeSeconds());
    gauge(out, "fakellm_batch_sequences_max", "Largest batch seen", s.maxBatchSequences());
    header(out, "fakellm_batch_sequences", "histogram", "Sequences per step");
    long cumulative = 0;
    for (int i = 0; i < BATCH_BUCKETS.length; i++) {
      cumulative += batchHistogram.get(i);
      out.append("fakellm_batch_sequences_bucket{le=\"").append(BATCH_BUCKETS[i]).append("\"} ")
          .append(cumulative).append('\n');
    }
    cumulative += batchHistogram.get(BATCH_BUCKETS.length);
    out.append("fakellm_batch_sequences_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    out.append("fakellm_batch_sequences_sum ").append(s.batchSequencesSum()).append('\n');
    out.append("fakellm_batch_sequences_count ").append(cumulative).append('\n');
    counter(out, "fakellm_prompt_tokens_total", "Prompt tokens received", s.promptTokens());
    counter(out, "fakellm_prefill_tokens_total", "Prompt tokens prefilled", s.prefillTokens());
    counter(out, "fakellm_prefix_cache_hit_tokens_total", "Prompt tokens found in the prefix cache",
        s.prefixCacheHitTokens());
    counter(out, "fakellm_completion_tokens_total", "Tokens generated", s.completionTokens());
    counter(out, "fakellm_queue_wait_seconds_total", "Time sequences waited for the batch, summed",
        s.queueWaitSeconds());
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, double value) {
    header(out, name, "counter", help);
    out.append(name).append(' ').append(format(value)).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    header(out, name, "gauge", help);
    out.append(name).append(' ').append(format(value)).append('\n');
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
