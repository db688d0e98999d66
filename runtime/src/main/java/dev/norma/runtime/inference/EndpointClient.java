package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.pattern.CircuitBreaker;

/**
 * One OpenAI-compatible endpoint as the gateway uses it: builds and sends requests (chat
 * completions, or legacy completions with a list of prompts in one request), reads answers, and
 * keeps the endpoint's controls:
 *
 * <ul>
 *   <li>an adaptive concurrency limit on prompts in flight ({@link AdaptiveLimit}: Netflix
 *       concurrency-limits' gradient limit, which grows while latency holds and shrinks as it
 *       rises, under a ceiling that 429, 503 and timeouts cut); a batched request holds one slot
 *       per prompt;</li>
 *   <li>token buckets for requests and tokens per minute;</li>
 *   <li>a circuit breaker (Pekko's) that opens after consecutive server errors or timeouts, so a
 *       failing endpoint is skipped while another can answer.</li>
 * </ul>
 *
 * Thread-safe: called from the gateway's dispatch and from HTTP completion threads. The API key is
 * read once from the environment or a file and goes only into the {@code Authorization} header;
 * it is in no message, log line or exception text.
 */
final class EndpointClient implements Endpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EndpointSpec spec;
  private final SamplingParams params;
  private final HttpClient http;
  private final String authorization;
  private final URI uri;
  private final SimpleLimiter<Void> limiter;
  private final AdaptiveLimit limit;
  private final TokenBucket requestBucket;
  private final TokenBucket tokenBucket;
  private final CircuitBreaker breaker;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Counters counters = new Counters();

  /**
   * @param keyOptional a replay: an unreadable key leaves the endpoint without one (calls the
   *                    journal cannot answer then fail) instead of stopping the run
   */
  EndpointClient(EndpointSpec spec, SamplingParams params, HttpClient http, InferenceSettings settings,
                 CircuitBreaker breaker, boolean keyOptional) {
    this.spec = spec;
    this.params = params;
    this.http = http;
    this.authorization = readKey(spec, settings.secretsDir(), keyOptional);
    String base = spec.url().endsWith("/") ? spec.url().substring(0, spec.url().length() - 1) : spec.url();
    this.uri = URI.create(base + (EndpointSpec.CHAT.equals(spec.kind()) ? "/chat/completions" : "/completions"));
    this.limit = new AdaptiveLimit(Math.min(settings.initialLimit(), spec.maxInFlight()), 1, spec.maxInFlight());
    this.limiter = SimpleLimiter.newBuilder().named(spec.name()).limit(limit).build();
    this.requestBucket = spec.requestsPerMinute() == null ? null
        : new TokenBucket(spec.requestsPerMinute(), System::nanoTime);
    this.tokenBucket = spec.tokensPerMinute() == null ? null
        : new TokenBucket(spec.tokensPerMinute(), System::nanoTime);
    this.breaker = breaker;
  }

  /** The {@code Authorization} header value, or null without a key. */
  private static String readKey(EndpointSpec spec, java.nio.file.Path secretsDir, boolean optional) {
    String key;
    try {
      key = ApiKeys.read(spec, secretsDir);
    } catch (IllegalArgumentException e) {
      if (!optional) {
        throw e;
      }
      key = null;
    }
    return key == null ? null : "Bearer " + key;
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  /** Prompts per request: batchSize for completions, 1 for chat. */
  @Override
  public int batchSize() {
    return spec.batchSize();
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  @Override
  public int limit() {
    return limit.getLimit();
  }

  /**
   * Whether the circuit breaker keeps calls away: open, or half-open with its trial request still
   * out.
   */
  @Override
  public void share(EndpointSpec shared) {
    limit.setMax(shared.maxInFlight());
    if (requestBucket != null && shared.requestsPerMinute() != null) {
      requestBucket.setPerMinute(shared.requestsPerMinute());
    }
    if (tokenBucket != null && shared.tokensPerMinute() != null) {
      tokenBucket.setPerMinute(shared.tokensPerMinute());
    }
  }

  @Override
  public boolean open() {
    return breaker.isOpen() || breaker.isHalfOpen() && outstanding.get() > 0;
  }

  /** A rough token count (4 characters a token) plus the answer allowance, for rate limits. */
  @Override
  public long estimateTokens(List<LlmRequest> requests) {
    long tokens = 0;
    for (LlmRequest r : requests) {
      tokens += (r.prompt().system().length() + r.prompt().user().length()) / 4 + r.params(params).maxTokens();
    }
    return tokens;
  }

  /** Nanoseconds until the rate limits allow a request of this many tokens (0: now). */
  @Override
  public long rateWaitNanos(long tokens) {
    long wait = requestBucket == null ? 0 : requestBucket.waitNanos(1);
    return Math.max(wait, tokenBucket == null ? 0 : tokenBucket.waitNanos(tokens));
  }

  /** Up to {@code wanted} concurrency slots (one per prompt), as many as the adaptive limit has free. */
  @Override
  public List<Limiter.Listener> tryAcquire(int wanted) {
    return Endpoint.acquire(limiter, wanted);
  }

  /**
   * Sends one request for these calls (one for chat; up to batchSize for completions), holding the
   * slot {@code permit}. The result never fails exceptionally: failures are in {@link Result}.
   */
  @Override
  public CompletableFuture<Result> send(List<LlmRequest> requests, List<Limiter.Listener> slots) {
    Limiter.Listener permit = new AllSlots(slots);
    long estimate = estimateTokens(requests);
    if (requestBucket != null) {
      requestBucket.take(1);
    }
    if (tokenBucket != null) {
      tokenBucket.take(estimate);
    }
    outstanding.addAndGet(requests.size());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofNanos((long) (spec.timeout() * 1e9)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(requests)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    long start = System.nanoTime();
    CompletableFuture<Result> result = new CompletableFuture<>();
    breaker.callWithCircuitBreakerCS(
            () -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()),
            (response, error) -> error.isPresent()
                || response.map(r -> r.statusCode() >= 500).orElse(false))
        .whenComplete((response, error) -> {
          long latency = System.nanoTime() - start;
          outstanding.addAndGet(-requests.size());
          Result outcome;
          try {
            outcome = error != null ? failed(error, permit, latency) : read(response, requests, permit, latency);
          } catch (RuntimeException e) {
            permit.onIgnore();
            outcome = new Result(null, new Failure("malformed", true, null, scrubbed(e.toString())), latency);
          }
          if (tokenBucket != null && outcome.answers() != null) {
            long used = 0;
            for (LlmAnswer answer : outcome.answers()) {
              used += answer.promptTokens() + answer.completionTokens();
            }
            tokenBucket.adjust(used - estimate);
          }
          result.complete(outcome);
        });
    return result;
  }

  private Result failed(Throwable error, Limiter.Listener permit, long latency) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    boolean timedOut = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      timedOut |= t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException;
    }
    if (timedOut) {
      permit.onDropped();
      return new Result(null, new Failure("timeout", true, null, "no answer within " + spec.timeout() + " s"), latency);
    }
    permit.onIgnore();
    if (cause instanceof org.apache.pekko.pattern.CircuitBreakerOpenException) {
      return new Result(null, new Failure("breaker-open", true, null, "circuit breaker open"), latency);
    }
    String kind = cause instanceof ConnectException || cause instanceof IOException ? "connection" : "client";
    return new Result(null, new Failure(kind, true, null, scrubbed(cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()))), latency);
  }

  private Result read(HttpResponse<byte[]> response, List<LlmRequest> requests, Limiter.Listener permit,
                      long latency) {
    int status = response.statusCode();
    if (status != 200) {
      Duration retryAfter = Backoff.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null));
      String message = scrubbed("HTTP " + status + ": " + errorMessage(response.body()));
      if (status == 429 || status == 503) {
        permit.onDropped();
        return new Result(null, new Failure(status == 429 ? "rate-limited" : "overloaded", true, retryAfter, message),
            latency);
      }
      permit.onIgnore();
      if (status >= 500 || status == 408) {
        return new Result(null, new Failure(status == 504 || status == 408 ? "timeout" : "server", true, retryAfter,
            message), latency);
      }
      return new Result(null, new Failure("client", false, null, message), latency);
    }
    JsonNode root;
    try {
      root = JSON.readTree(response.body());
    } catch (IOException e) {
      permit.onIgnore();
      return new Result(null, new Failure("malformed", true, null,
          scrubbed("unreadable JSON: " + firstLine(e.getMessage()))), latency);
    }
    JsonNode choices = root == null ? null : root.get("choices");
    if (choices == null || !choices.isArray() || choices.size() < requests.size()) {
      permit.onIgnore();
      return new Result(null, new Failure("malformed", true, null, "expected " + requests.size()
          + " choices in the answer"), latency);
    }
    permit.onSuccess();
    String[] texts = new String[requests.size()];
    boolean chat = EndpointSpec.CHAT.equals(spec.kind());
    for (JsonNode choice : choices) {
      int i = choice.path("index").asInt(-1);
      if (chat && i != 0) {
        continue;
      }
      if (i >= 0 && i < texts.length && texts[i] == null) {
        texts[i] = chat ? choice.path("message").path("content").asText("") : choice.path("text").asText("");
      }
    }
    JsonNode usage = root.path("usage");
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    String model = root.path("model").asText(spec.model());
    String fingerprint = root.hasNonNull("system_fingerprint") ? root.get("system_fingerprint").asText() : null;
    long[] promptShare = shares(prompt, requests.stream().mapToLong(r -> r.prompt().text().length()).toArray());
    long[] cachedShare = shares(cached, requests.stream().mapToLong(r -> r.prompt().text().length()).toArray());
    long[] answerLengths = new long[texts.length];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = texts[i] == null ? "" : texts[i];
      answerLengths[i] = texts[i].length() + 1;
    }
    long[] completionShare = shares(completion, answerLengths);
    List<LlmAnswer> answers = new ArrayList<>(texts.length);
    for (int i = 0; i < texts.length; i++) {
      answers.add(new LlmAnswer(texts[i], spec.name(), model, fingerprint, promptShare[i], completionShare[i],
          cachedShare[i], latency, 1, false));
    }
    return new Result(answers, null, latency);
  }

  /** Splits a batched request's total in proportion to the weights; the shares add up to it. */
  static long[] shares(long total, long[] weights) {
    long[] out = new long[weights.length];
    long sum = 0;
    for (long w : weights) {
      sum += w;
    }
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      out[i] = i == weights.length - 1 ? total - given : sum == 0 ? 0 : total * weights[i] / sum;
      given += out[i];
    }
    return out;
  }

  /**
   * A failure's message without the key: a server may quote what it was sent in its error, and
   * failures go to logs, statuses and the call journal.
   */
  private String scrubbed(String message) {
    String key = authorization == null ? null : authorization.substring("Bearer ".length());
    return key == null || message == null ? message : message.replace(key, "[the API key]");
  }

  private static String errorMessage(byte[] body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.hasNonNull("message")) {
        return firstLine(error.get("message").asText());
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: the first line of the body says enough
    }
    return firstLine(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private byte[] body(List<LlmRequest> requests) {
    // A request holds calls of one group (the gateway batches them so).
    SamplingParams params = requests.get(0).params(this.params);
    ObjectNode root = JSON.createObjectNode();
    root.put("model", spec.model());
    if (EndpointSpec.CHAT.equals(spec.kind())) {
      RenderedPrompt prompt = requests.get(0).prompt();
      ArrayNode messages = root.putArray("messages");
      messages.addObject().put("role", "system").put("content", prompt.system());
      messages.addObject().put("role", "user").put("content", prompt.user());
    } else if (requests.size() == 1) {
      root.put("prompt", requests.get(0).prompt().text());
    } else {
      ArrayNode prompts = root.putArray("prompt");
      for (LlmRequest r : requests) {
        prompts.add(r.prompt().text());
      }
    }
    root.put("temperature", params.temperature());
    if (params.topP() != null) {
      root.put("top_p", params.topP());
    }
    if (params.topK() != null && spec.acceptsTopK()) {
      root.put("top_k", params.topK());
    }
    root.put("max_tokens", params.maxTokens());
    // One seed per request: the gateway batches only calls with the same seed.
    if (requests.get(0).seed() != null) {
      root.put("seed", requests.get(0).seed());
    }
    if (params.constrained().equals("choice")) {
      ArrayNode choice = root.putArray("guided_choice");
      params.options().forEach(choice::add);
    } else if (params.constrained().equals("json")) {
      ObjectNode format = root.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode schema = format.putObject("json_schema");
      schema.put("name", "choice");
      schema.put("strict", true);
      ObjectNode body = schema.putObject("schema");
      body.put("type", "object");
      ObjectNode value = body.putObject("properties").putObject("value");
      value.put("type", "string");
      ArrayNode values = value.putArray("enum");
      params.options().forEach(values::add);
      body.putArray("required").add("value");
      body.put("additionalProperties", false);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  @Override
  public Counters counters() {
    return counters;
  }

  /** The slots of one request's prompts, told the request's outcome together. */
  private record AllSlots(List<Limiter.Listener> slots) implements Limiter.Listener {
    @Override
    public void onSuccess() {
      slots.forEach(Limiter.Listener::onSuccess);
    }

    @Override
    public void onIgnore() {
      slots.forEach(Limiter.Listener::onIgnore);
    }

    @Override
    public void onDropped() {
      slots.forEach(Limiter.Listener::onDropped);
    }
  }

  @Override
  public String toString() {
    return "endpoint " + spec.name() + " (" + uri + ")";
  }
}
