package dev.norma.testkit.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.llm.RenderedPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for the fake server's OpenAI endpoints, as tests need it. */
final class TestClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  TestClient(FakeLlmServer server) {
    this.base = server.baseUri();
  }

  static ObjectNode chatBody(String system, String user) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", "test-model");
    ArrayNode messages = body.putArray("messages");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    messages.addObject().put("role", "user").put("content", user);
    return body;
  }

  static ObjectNode chatBody(RenderedPrompt prompt) {
    return chatBody(prompt.system(), prompt.user());
  }

  static ObjectNode completionBody(List<String> prompts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", "test-model");
    if (prompts.size() == 1) {
      body.put("prompt", prompts.get(0));
    } else {
      ArrayNode array = body.putArray("prompt");
      prompts.forEach(array::add);
    }
    body.put("max_tokens", 64);
    return body;
  }

  HttpRequest post(String path, JsonNode body, Duration timeout) {
    try {
      return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, JsonNode body) {
    return postAsync(path, body, Duration.ofSeconds(30));
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, JsonNode body, Duration timeout) {
    return http.sendAsync(post(path, body, timeout), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs and parses a 200 answer; fails on any other status. */
  JsonNode call(String path, JsonNode body) {
    HttpResponse<String> response = postAsync(path, body).join();
    if (response.statusCode() != 200) {
      throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first choice's answer text of a chat or completion response. */
  static String content(JsonNode response) {
    JsonNode choice = response.path("choices").path(0);
    return choice.has("message") ? choice.path("message").path("content").asText() : choice.path("text").asText();
  }
}
