package dev.norma.runtime.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's meters, created once per endpoint with bounded tags: the endpoint's name (from the
 * spec) and an outcome or error kind from a fixed set; never an agent id. Research data (who said
 * what) goes to the call journal, not here.
 *
 * <ul>
 *   <li>{@code norma_llm_requests_total{endpoint,outcome}}: HTTP requests, outcome
 *       {@code ok|retry|error}</li>
 *   <li>{@code norma_llm_calls_total{endpoint,outcome}}: answered calls (a batched request holds
 *       several), outcome {@code ok|invalid}; replayed calls have endpoint {@code replay}</li>
 *   <li>{@code norma_llm_tokens_total{endpoint,kind}}: {@code prompt|completion|cached}</li>
 *   <li>{@code norma_llm_group_calls_total{group,outcome}}: answered calls of the agents of a group
 *       of {@code population.groups} (a name from the spec), outcome {@code ok|invalid}</li>
 *   <li>{@code norma_llm_retries_total{endpoint}}, {@code norma_llm_errors_total{endpoint,kind}}</li>
 *   <li>{@code norma_llm_latency_seconds{endpoint}}: request latency, a histogram
 *       ({@code _bucket{le}}, {@code _count}, {@code _sum})</li>
 *   <li>{@code norma_llm_in_flight{endpoint}}, {@code norma_llm_concurrency_limit{endpoint}},
 *       {@code norma_llm_queued}: now</li>
 * </ul>
 *
 * <p>On a cluster node every meter also has the tag {@code run} (a node may hold several studies),
 * and the run's meters are removed when its gateway closes.
 */
public final class GatewayMetrics {
  public static final List<String> ERROR_KINDS =
      List.of("rate-limited", "overloaded", "server", "timeout", "connection", "malformed", "client", "breaker-open",
          "engine", "context");

  private final MeterRegistry registry;
  private final Tags common;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

  public GatewayMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** @param common tags every meter carries (a cluster node's {@code run}) */
  public GatewayMetrics(MeterRegistry registry, Tags common) {
    this.registry = registry;
    this.common = common;
  }

  /** Removes this gateway's meters: its run is over (a node's registry outlives its runs). */
  void close() {
    if (common.stream().findAny().isEmpty()) {
      return; // a run's own registry: it ends with the process
    }
    gauges.forEach(registry::remove);
    counters.values().forEach(registry::remove);
    latency.values().forEach(registry::remove);
  }

  void registerEndpoint(String endpoint, Supplier<Number> inFlight, Supplier<Number> limit) {
    gauges.add(Gauge.builder("norma.llm.in.flight", inFlight).tag("endpoint", endpoint).tags(common)
        .description("requests outstanding").register(registry));
    gauges.add(Gauge.builder("norma.llm.concurrency.limit", limit).tag("endpoint", endpoint).tags(common)
        .description("adaptive concurrency limit").register(registry));
    for (String outcome : List.of("ok", "retry", "error")) {
      request(endpoint, outcome, 0);
    }
    for (String outcome : List.of("ok", "invalid")) {
      call(endpoint, outcome);
    }
    for (String kind : List.of("prompt", "completion", "cached")) {
      tokens(endpoint, kind, 0);
    }
    for (String kind : ERROR_KINDS) {
      counter("norma.llm.errors", "endpoint", endpoint, "kind", kind, "requests that failed, by kind");
    }
    counter("norma.llm.retries", "endpoint", endpoint, null, null, "calls sent again after a failure");
    latency(endpoint);
  }

  void registerQueue(Supplier<Number> queued) {
    gauges.add(Gauge.builder("norma.llm.queued", queued).tags(common).description("calls waiting for an endpoint")
        .register(registry));
  }

  private Counter counter(String name, String tag, String value, String tag2, String value2, String description) {
    String key = name + '|' + value + '|' + value2;
    return counters.computeIfAbsent(key, k -> {
      Counter.Builder builder = Counter.builder(name).description(description).tag(tag, value).tags(common);
      if (tag2 != null) {
        builder.tag(tag2, value2);
      }
      return builder.register(registry);
    });
  }

  private Timer latency(String endpoint) {
    // A histogram (about 60 buckets between 5 ms and 5 min), so that latency quantiles can be
    // computed over several nodes and any window: histogram_quantile(0.99, ...).
    return latency.computeIfAbsent(endpoint, e -> Timer.builder("norma.llm.latency").tag("endpoint", e).tags(common)
        .description("request latency").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry));
  }

  void request(String endpoint, String outcome, int count) {
    Counter counter = counter("norma.llm.requests", "endpoint", endpoint, "outcome", outcome, "HTTP requests sent");
    if (count > 0) {
      counter.increment(count);
    }
  }

  void call(String endpoint, String outcome) {
    counter("norma.llm.calls", "endpoint", endpoint, "outcome", outcome, "answered calls").increment(0);
  }

  void answered(String endpoint, String outcome) {
    counter("norma.llm.calls", "endpoint", endpoint, "outcome", outcome, "answered calls").increment();
  }

  /** Registers a group's meters at 0, so that a scrape shows the group before its first answer. */
  void registerGroup(String group) {
    for (String outcome : List.of("ok", "invalid")) {
      counter("norma.llm.group.calls", "group", group, "outcome", outcome, "answered calls of a group's agents");
    }
  }

  void groupAnswered(String group, String outcome) {
    counter("norma.llm.group.calls", "group", group, "outcome", outcome, "answered calls of a group's agents")
        .increment();
  }

  void tokens(String endpoint, String kind, long count) {
    Counter counter = counter("norma.llm.tokens", "endpoint", endpoint, "kind", kind, "tokens");
    if (count > 0) {
      counter.increment(count);
    }
  }

  void retry(String endpoint) {
    counter("norma.llm.retries", "endpoint", endpoint, null, null, "calls sent again after a failure").increment();
  }

  void error(String endpoint, String kind) {
    counter("norma.llm.errors", "endpoint", endpoint, "kind", kind, "requests that failed, by kind").increment();
  }

  void latency(String endpoint, long nanos) {
    latency(endpoint).record(Duration.ofNanos(nanos));
  }
}
