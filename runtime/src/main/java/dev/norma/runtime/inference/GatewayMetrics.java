package dev.norma.runtime.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 *   <li>{@code norma_llm_retries_total{endpoint}}, {@code norma_llm_errors_total{endpoint,kind}}</li>
 *   <li>{@code norma_llm_latency_seconds{endpoint}}: request latency</li>
 *   <li>{@code norma_llm_in_flight{endpoint}}, {@code norma_llm_concurrency_limit{endpoint}},
 *       {@code norma_llm_queued}: now</li>
 * </ul>
 */
public final class GatewayMetrics {
  public static final List<String> ERROR_KINDS =
      List.of("rate-limited", "overloaded", "server", "timeout", "connection", "malformed", "client", "breaker-open",
          "engine", "context");

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void registerEndpoint(String endpoint, Supplier<Number> inFlight, Supplier<Number> limit) {
    Gauge.builder("norma.llm.in.flight", inFlight).tag("endpoint", endpoint)
        .description("requests outstanding").register(registry);
    Gauge.builder("norma.llm.concurrency.limit", limit).tag("endpoint", endpoint)
        .description("adaptive concurrency limit").register(registry);
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
    Gauge.builder("norma.llm.queued", queued).description("calls waiting for an endpoint").register(registry);
  }

  private Counter counter(String name, String tag, String value, String tag2, String value2, String description) {
    String key = name + '|' + value + '|' + value2;
    return counters.computeIfAbsent(key, k -> {
      Counter.Builder builder = Counter.builder(name).description(description).tag(tag, value);
      if (tag2 != null) {
        builder.tag(tag2, value2);
      }
      return builder.register(registry);
    });
  }

  private Timer latency(String endpoint) {
    return latency.computeIfAbsent(endpoint, e -> Timer.builder("norma.llm.latency").tag("endpoint", e)
        .description("request latency").register(registry));
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
