package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A hand-written OpenAI-compatible endpoint for the gateway's tests: it records every request
 * (body and {@code Authorization} header), answers each prompt with {@code {'value': 'Q'}}, can
 * hold answers for a while, and can answer chosen requests with an error status.
 */
final class StubEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Seen(JsonNode body, String authorization, String path) {
  }

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final HttpServer http;
  private final long holdMillis;
  /** Request number (from 0) to an error status, or 0 to answer. */
  private final IntFunction<Integer> errorFor;
  private final AtomicInteger numbers = new AtomicInteger();

  StubEndpoint(long holdMillis, IntFunction<Integer> errorFor) throws IOException {
    this.holdMillis = holdMillis;
    this.errorFor = errorFor;
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(16));
    http.createContext("/", this::handle);
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      seen.add(new Seen(body, exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestURI().getPath()));
      int number = numbers.getAndIncrement();
      if (holdMillis > 0) {
        Thread.sleep(holdMillis);
      }
      int error = errorFor.apply(number);
      if (error != 0) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, error, "{\"error\": {\"message\": \"busy\"}}".getBytes());
        return;
      }
      ObjectNode response = JSON.createObjectNode();
      response.put("model", body.path("model").asText());
      response.put("system_fingerprint", "fp_stub");
      ArrayNode choices = response.putArray("choices");
      boolean chat = exchange.getRequestURI().getPath().endsWith("/chat/completions");
      int prompts = chat || !body.path("prompt").isArray() ? 1 : body.path("prompt").size();
      for (int i = 0; i < prompts; i++) {
        ObjectNode choice = choices.addObject();
        choice.put("index", i);
        String text = "{'value': 'Q'} #" + i;
        if (chat) {
          choice.putObject("message").put("role", "assistant").put("content", text);
        } else {
          choice.put("text", text);
        }
      }
      response.putObject("usage").put("prompt_tokens", 100 * prompts).put("completion_tokens", 5 * prompts);
      send(exchange, 200, JSON.writeValueAsBytes(response));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      concurrent.decrementAndGet();
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
