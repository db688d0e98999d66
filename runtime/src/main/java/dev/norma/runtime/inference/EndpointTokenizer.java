package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Counts a prompt with an endpoint's own tokenizer, without generating anything: the
 * {@code POST /tokenize} route that vLLM and llama.cpp's server offer beside the OpenAI API (at
 * the server's root, not under {@code /v1}).
 *
 * <p>The two servers take different bodies: vLLM a {@code prompt}, or chat {@code messages} that
 * it renders with the model's chat template (the count is then what a chat completion bills);
 * llama.cpp a {@code content}, ignoring everything else and answering an empty list without it.
 * One body serves both: vLLM's fields plus {@code content} holding the prompt as one text, since
 * each server ignores the other's fields. The answer is read the same way: vLLM's {@code count},
 * else the length of {@code tokens}.
 *
 * <p>The API key goes into the {@code Authorization} header as for completions, and into nothing
 * else: what {@link Count#unavailable()} says names the endpoint, never the key. Not for the hot
 * path: one blocking request with short timeouts, for {@code norma estimate}.
 */
public final class EndpointTokenizer {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private EndpointTokenizer() {
  }

  /**
   * The tokenizer's count of a prompt, or why there is none.
   *
   * @param tokens      the prompt's tokens; meaningful only when {@code unavailable} is null
   * @param unavailable why the endpoint could not count it, naming the endpoint; null when it did
   */
  public record Count(long tokens, String unavailable) {
    static Count of(long tokens) {
      return new Count(tokens, null);
    }

    static Count none(String why) {
      return new Count(0, why);
    }

    public boolean counted() {
      return unavailable == null;
    }
  }

  /** {@code POST /tokenize} at the root of an endpoint whose API base URL ends in {@code /v1}. */
  static URI tokenizeUri(EndpointSpec endpoint) {
    String base = endpoint.url().replaceAll("/+$", "");
    if (base.endsWith("/v1")) {
      base = base.substring(0, base.length() - "/v1".length());
    }
    return URI.create(base + "/tokenize");
  }

  /** The request body: the prompt as the endpoint is sent it, and as one text for llama.cpp. */
  static byte[] body(EndpointSpec endpoint, RenderedPrompt prompt) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", endpoint.model());
    if (EndpointSpec.CHAT.equals(endpoint.kind())) {
      ArrayNode messages = root.putArray("messages");
      messages.addObject().put("role", "system").put("content", prompt.system());
      messages.addObject().put("role", "user").put("content", prompt.user());
      // The template's opening of the answer is part of every chat completion's prompt.
      root.put("add_generation_prompt", true);
    } else {
      root.put("prompt", prompt.text());
    }
    root.put("content", prompt.text());
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /**
   * Counts {@code prompt} with {@code endpoint}'s tokenizer, within the short timeouts above.
   *
   * @param secretsDir where the endpoint's credential is read from, or null
   */
  public static Count count(EndpointSpec endpoint, RenderedPrompt prompt, java.nio.file.Path secretsDir) {
    String name = "endpoint " + endpoint.name();
    String key;
    try {
      key = ApiKeys.read(endpoint, secretsDir);
    } catch (IllegalArgumentException e) {
      return Count.none(e.getMessage());
    }
    URI uri;
    try {
      uri = tokenizeUri(endpoint);
    } catch (IllegalArgumentException e) {
      return Count.none(name + " has no usable URL");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(endpoint, prompt)));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    // HTTP/1.1 as the gateway speaks it: an h2c upgrade offer is something else to go wrong.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      return Count.none(name + " is unreachable (no connection within " + CONNECT_TIMEOUT.toSeconds() + " s)");
    } catch (HttpTimeoutException e) {
      return Count.none(name + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return Count.none(name + " is unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Count.none(name + ": interrupted");
    }
    int status = response.statusCode();
    if (status == 404 || status == 405) {
      return Count.none(name + " has no /tokenize (HTTP " + status + ")");
    }
    if (status != 200) {
      return Count.none(name + "'s /tokenize answered HTTP " + status);
    }
    return read(name, response.body());
  }

  /** vLLM's {@code count}, else the length of {@code tokens}; a count of 0 means nothing was counted. */
  static Count read(String name, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return Count.none(name + "'s /tokenize answer is not JSON");
    }
    long tokens = root == null ? 0
        : root.path("count").canConvertToLong() ? root.get("count").asLong()
        : root.path("tokens").isArray() ? root.get("tokens").size() : 0;
    return tokens > 0 ? Count.of(tokens) : Count.none(name + "'s /tokenize answer has no token count");
  }
}
