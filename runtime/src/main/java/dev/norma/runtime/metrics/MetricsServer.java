package dev.norma.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Serves a Prometheus registry's scrape at {@code GET /metrics} over plain HTTP (the JDK's server,
 * one thread): what {@code norma run --metrics-port P} starts for the run's lifetime and
 * {@code norma node --metrics-port P} for the node's. The registry starts with the JVM's own
 * meters ({@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, {@code jvm_threads_live_threads},
 * {@code process_cpu_usage}, ...), so a dashboard can tell a slow study from a starved JVM.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Set<String> UNCONVENTIONAL = Set.of("process.cpu.time", "system.cpu.count");

  private final PrometheusMeterRegistry registry;
  private final HttpServer http;
  private final JvmGcMetrics gc;

  private MetricsServer(PrometheusMeterRegistry registry, HttpServer http, JvmGcMetrics gc) {
    this.registry = registry;
    this.http = http;
    this.gc = gc;
  }

  /** A new Prometheus registry served on {@code host:port} (port 0: any free port). */
  public static MetricsServer start(String host, int port) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two processor meters whose names break Prometheus' conventions (promtool check metrics):
    // process_cpu_time_ns_total and system_cpu_count. The CPU usage gauges stay.
    registry.config().meterFilter(MeterFilter.deny(id -> UNCONVENTIONAL.contains(id.getName())));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Listens to the JVM's collection notifications until closed.
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      gc.close();
      throw e;
    }
    MetricsServer server = new MetricsServer(registry, http, gc);
    http.createContext("/metrics", server::scrape);
    http.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "norma-metrics");
      thread.setDaemon(true);
      return thread;
    }));
    http.start();
    return server;
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    gc.close();
  }
}
