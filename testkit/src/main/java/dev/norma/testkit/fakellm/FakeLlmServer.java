package dev.norma.testkit.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.norma.agents.Streams;
import dev.norma.agents.llm.ChoiceParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OpenAI-compatible inference server that behaves like a GPU server with continuous
 * batching, for testing and load-testing LLM clients without a model. It serves
 * {@code POST /v1/chat/completions}, {@code POST /v1/completions} (a list of prompts is answered
 * as one batch, one choice per prompt), {@code POST /tokenize} (vLLM's and llama.cpp's shapes,
 * counted as completions count their prompts), {@code GET /v1/models}, {@code GET /metrics} (its
 * own measurements, Prometheus text format) and {@code GET /health}.
 *
 * <p>Threads: the JDK HTTP server's dispatcher; handler threads that parse a request, decide its
 * answer with the {@link Responder} and queue its sequences, never waiting for the model; one
 * scheduler thread running the {@link BatchScheduler capacity model}; writer threads sending
 * finished responses; a timer thread releasing requests held by the timeout fault. Faults are
 * decided per request by a seeded {@link FaultPlan}.
 *
 * <p>Lifecycle: {@link #start()} binds (port 0 picks a free port, see {@link #port()});
 * {@link #close()} stops accepting, drops queued work and closes held requests.
 */
public final class FakeLlmServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FakeLlmServer.class.getName());
  private static final long ANSWER_STREAM = -0x414E53L;
  private static final List<String> NO_OPTION_ANSWERS = List.of(
      "Let me think about this more carefully before deciding.",
      "hmm, hard to say.",
      "...");

  private final FakeLlmSettings settings;
  private final ObjectMapper json = new ObjectMapper();
  private final ServerStats stats = new ServerStats();
  private final FaultPlan faultPlan;
  private final AtomicLong requestNumbers = new AtomicLong();
  private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
  private final String fingerprint;
  private HttpServer http;
  private ExecutorService handlers;
  private ExecutorService writers;
  private ScheduledExecutorService timer;
  private BatchScheduler scheduler;
  private long startNanos;
  private long startEpochSeconds;

  public FakeLlmServer(FakeLlmSettings settings) {
    this.settings = settings;
    this.faultPlan = new FaultPlan(settings.seed(), settings.faults());
    this.fingerprint = "fp_" + sha256(settings.model() + "|" + settings.seed() + "|" + settings.responder().name())
        .substring(0, 10);
  }

  /** Starts a server with these settings. */
  public static FakeLlmServer start(FakeLlmSettings settings) throws IOException {
    return new FakeLlmServer(settings).start();
  }

  public synchronized FakeLlmServer start() throws IOException {
    if (http != null) {
      throw new IllegalStateException("already started");
    }
    // Small responses are written as headers then body; without TCP_NODELAY Nagle's algorithm
    // and delayed acknowledgements add tens of milliseconds to each one. Read once per JVM.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    startNanos = System.nanoTime();
    startEpochSeconds = System.currentTimeMillis() / 1000;
    scheduler = new BatchScheduler(settings, stats);
    handlers = Executors.newFixedThreadPool(settings.handlerThreads(), daemon("fake-llm-handler"));
    writers = Executors.newFixedThreadPool(2, daemon("fake-llm-writer"));
    timer = Executors.newSingleThreadScheduledExecutor(daemon("fake-llm-timer"));
    http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
    http.setExecutor(handlers);
    http.createContext("/", this::route);
    scheduler.start();
    http.start();
    return this;
  }

  /** The bound port (the real one when started on port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code http://host:port}; the OpenAI base URL is this plus {@code /v1}. */
  public URI baseUri() {
    return URI.create("http://" + settings.host() + ":" + port());
  }

  public FakeLlmSettings settings() {
    return settings;
  }

  public FakeLlmStats stats() {
    return stats.snapshot();
  }

  /** What {@code GET /metrics} returns. */
  public String metrics() {
    return stats.prometheus();
  }

  @Override
  public synchronized void close() {
    if (http == null) {
      return;
    }
    http.stop(0);
    scheduler.close();
    timer.shutdownNow();
    for (HttpExchange exchange : held) {
      exchange.close();
    }
    held.clear();
    writers.shutdownNow();
    handlers.shutdownNow();
    http = null;
  }

  // ---- routing

  private void route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String endpoint = switch (path) {
      case "/v1/chat/completions" -> "chat";
      case "/v1/completions" -> "completions";
      case "/tokenize" -> "tokenize";
      case "/v1/models" -> "models";
      case "/metrics" -> "metrics";
      case "/health" -> "health";
      default -> "other";
    };
    try {
      boolean post = endpoint.equals("chat") || endpoint.equals("completions") || endpoint.equals("tokenize");
      if (endpoint.equals("other")) {
        exchange.getRequestBody().readAllBytes();
        sendError(exchange, endpoint, 404, "invalid_request_error", null, "no route for " + method + " " + path);
      } else if (!method.equals(post ? "POST" : "GET")) {
        exchange.getRequestBody().readAllBytes();
        sendError(exchange, endpoint, 405, "invalid_request_error", null, method + " is not allowed on " + path);
      } else if (endpoint.equals("tokenize")) {
        tokenize(exchange);
      } else if (post) {
        inference(exchange, endpoint);
      } else if (endpoint.equals("models")) {
        sendJson(exchange, endpoint, 200, json.writeValueAsBytes(models()));
      } else if (endpoint.equals("metrics")) {
        send(exchange, endpoint, 200, "text/plain; version=0.0.4; charset=utf-8",
            stats.prometheus().getBytes(StandardCharsets.UTF_8));
      } else {
        send(exchange, endpoint, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "failed on " + method + " " + path, e);
      try {
        sendError(exchange, endpoint, 500, "server_error", null, "internal error: " + e);
      } catch (IOException | RuntimeException ignored) {
        exchange.close();
      }
    }
  }

  private ObjectNode models() {
    ObjectNode list = json.createObjectNode();
    list.put("object", "list");
    ObjectNode model = list.putArray("data").addObject();
    model.put("id", settings.model());
    model.put("object", "model");
    model.put("created", startEpochSeconds);
    model.put("owned_by", "norma");
    return list;
  }

  // ---- tokenizer

  /**
   * Counts a prompt without generating, as vLLM's {@code /tokenize} ({@code prompt}, or chat
   * {@code messages} with the chat template) and llama.cpp's ({@code content}) do. The count is
   * the one a completion of the same prompt reports as {@code usage.prompt_tokens}: chat messages
   * with their role markers, so an estimate made here matches what the server bills. Token ids
   * are the tokens' positions: nothing reads them but their number. Not subject to faults: a
   * tokenizer call runs no model.
   */
  private void tokenize(HttpExchange exchange) throws IOException {
    String endpoint = "tokenize";
    JsonNode request = jsonObject(exchange, endpoint, exchange.getRequestBody().readAllBytes());
    if (request == null) {
      return;
    }
    String text;
    if (request.has("messages")) {
      List<Prompt> prompts = new ArrayList<>();
      String problem = chatPrompt(request, prompts, request.path("add_generation_prompt").asBoolean(true));
      if (problem != null) {
        sendError(exchange, endpoint, 400, "invalid_request_error", "messages", problem);
        return;
      }
      text = prompts.get(0).forCache();
    } else if (request.path("prompt").isTextual()) {
      text = request.get("prompt").asText();
    } else if (request.path("content").isTextual()) {
      text = request.get("content").asText();
    } else {
      sendError(exchange, endpoint, 400, "invalid_request_error", "prompt",
          "expected prompt or content (a string), or messages");
      return;
    }
    int count = Tokens.count(text);
    ObjectNode response = json.createObjectNode();
    response.put("count", count);
    ArrayNode tokens = response.putArray("tokens");
    for (int i = 0; i < count; i++) {
      tokens.add(i);
    }
    sendJson(exchange, endpoint, 200, json.writeValueAsBytes(response));
  }

  // ---- inference

  /** One prompt of a request, as the model sees it and as the prefix cache keys it. */
  private record Prompt(String forResponder, String forCache) {
  }

  /** One choice of a response. */
  private static final class Choice {
    String text;
    String finishReason;
    int completionTokens;
    BatchScheduler.Sequence sequence;
  }

  private void inference(HttpExchange exchange, String endpoint) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    long number = requestNumbers.getAndIncrement();
    Fault fault = faultPlan.decide(number, System.nanoTime() - startNanos);
    if (fault != null) {
      stats.fault(fault);
      switch (fault) {
        case RATE_LIMITED -> {
          exchange.getResponseHeaders().set("Retry-After", Integer.toString(settings.retryAfterSeconds()));
          sendError(exchange, endpoint, 429, "rate_limit_error", "rate_limit_exceeded", "Rate limit reached (injected)");
          return;
        }
        case SERVER_ERROR -> {
          sendError(exchange, endpoint, 500, "server_error", null, "The server had an error (injected)");
          return;
        }
        case UNAVAILABLE -> {
          sendError(exchange, endpoint, 503, "server_error", null, "The server is overloaded (injected)");
          return;
        }
        case TIMEOUT -> {
          hold(exchange, endpoint);
          return;
        }
        default -> {
          // TRUNCATED, MALFORMED and NO_OPTION act on the answer: below.
        }
      }
    }

    JsonNode request = jsonObject(exchange, endpoint, body);
    if (request == null) {
      return;
    }
    if (request.path("stream").asBoolean(false)) {
      sendError(exchange, endpoint, 400, "invalid_request_error", "stream", "streaming is not supported");
      return;
    }
    boolean chat = endpoint.equals("chat");
    List<Prompt> prompts = new ArrayList<>();
    String problem = chat ? chatPrompt(request, prompts, true) : completionPrompts(request, prompts);
    if (problem != null) {
      sendError(exchange, endpoint, 400, "invalid_request_error", chat ? "messages" : "prompt", problem);
      return;
    }
    int n = request.path("n").asInt(1);
    if (n < 1 || n > 128) {
      sendError(exchange, endpoint, 400, "invalid_request_error", "n", "n must be 1..128, got " + n);
      return;
    }
    JsonNode limit = chat && request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens")
        : request.get("max_tokens");
    int maxTokens = limit != null && !limit.isNull() ? limit.asInt() : chat ? Integer.MAX_VALUE : 16;
    if (maxTokens < 1) {
      sendError(exchange, endpoint, 400, "invalid_request_error", "max_tokens", "max_tokens must be positive");
      return;
    }
    if (settings.maxQueue() > 0 && scheduler.queued() >= settings.maxQueue()) {
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(settings.retryAfterSeconds()));
      sendError(exchange, endpoint, 503, "server_error", null, "The server is overloaded: queue full");
      return;
    }
    Long requestSeed = request.hasNonNull("seed") ? request.get("seed").asLong() : null;
    String model = request.path("model").asText(settings.model());

    List<Choice> choices = new ArrayList<>();
    List<BatchScheduler.Sequence> sequences = new ArrayList<>();
    AtomicInteger remaining = new AtomicInteger(prompts.size() * n);
    Runnable respond = () -> writers.execute(() -> complete(exchange, endpoint, number, model, fault, n, choices));
    for (int p = 0; p < prompts.size(); p++) {
      Prompt prompt = prompts.get(p);
      Tokens.Analysis analysis = Tokens.analyse(prompt.forCache(), settings.blockTokens());
      for (int j = 0; j < n; j++) {
        int index = p * n + j;
        Streams.RandomStream random = requestSeed != null
            ? new Streams.RandomStream(Streams.seedFor(settings.seed(), requestSeed), index)
            : new Streams.RandomStream(Streams.seedFor(settings.seed(), ANSWER_STREAM - number), index);
        Choice choice = new Choice();
        choice.text = fault == Fault.NO_OPTION ? noOptionAnswer(prompt.forResponder())
            : settings.responder().answer(prompt.forResponder(), random);
        int tokens = Tokens.count(choice.text);
        choice.finishReason = "stop";
        if (tokens > maxTokens) {
          choice.text = choice.text.substring(0, Tokens.endOfTokens(choice.text, maxTokens));
          tokens = maxTokens;
          choice.finishReason = "length";
        }
        choice.completionTokens = tokens;
        choice.sequence = new BatchScheduler.Sequence(analysis, tokens, done -> {
          if (remaining.decrementAndGet() == 0) {
            respond.run();
          }
        });
        choices.add(choice);
        sequences.add(choice.sequence);
      }
    }
    scheduler.submit(sequences);
  }

  /** The request body as a JSON object; null when it is not one, and the client has been told. */
  private JsonNode jsonObject(HttpExchange exchange, String endpoint, byte[] body) throws IOException {
    JsonNode request;
    try {
      request = json.readTree(body);
    } catch (IOException e) {
      sendError(exchange, endpoint, 400, "invalid_request_error", null, "request body is not JSON: " + e.getMessage());
      return null;
    }
    if (request == null || !request.isObject()) {
      sendError(exchange, endpoint, 400, "invalid_request_error", null, "request body must be a JSON object");
      return null;
    }
    return request;
  }

  /**
   * Reads chat messages into one prompt; returns a problem, or null. With
   * {@code generationPrompt}, the prompt ends with the marker that opens the assistant's answer,
   * as a completion's does.
   */
  private static String chatPrompt(JsonNode request, List<Prompt> out, boolean generationPrompt) {
    JsonNode messages = request.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return "messages must be a non-empty array";
    }
    StringBuilder forResponder = new StringBuilder();
    StringBuilder forCache = new StringBuilder();
    for (JsonNode message : messages) {
      String role = message.path("role").asText("");
      JsonNode content = message.get("content");
      String text;
      if (content != null && content.isTextual()) {
        text = content.asText();
      } else if (content != null && content.isArray()) {
        StringBuilder parts = new StringBuilder();
        for (JsonNode part : content) {
          if ("text".equals(part.path("type").asText())) {
            parts.append(part.path("text").asText());
          }
        }
        text = parts.toString();
      } else {
        return "each message needs a role and a string content";
      }
      if (role.isEmpty()) {
        return "each message needs a role and a string content";
      }
      if (forResponder.length() > 0) {
        forResponder.append("\n\n");
      }
      forResponder.append(text);
      // A stand-in for a chat template: role markers are tokens too, and part of the prefix.
      forCache.append("<|").append(role).append("|>\n").append(text).append('\n');
    }
    if (generationPrompt) {
      forCache.append("<|assistant|>\n");
    }
    out.add(new Prompt(forResponder.toString(), forCache.toString()));
    return null;
  }

  /** Reads a completion prompt (a string, or a list of strings: a batch); returns a problem, or null. */
  private static String completionPrompts(JsonNode request, List<Prompt> out) {
    JsonNode prompt = request.get("prompt");
    if (prompt != null && prompt.isTextual()) {
      out.add(new Prompt(prompt.asText(), prompt.asText()));
      return null;
    }
    if (prompt != null && prompt.isArray() && !prompt.isEmpty()) {
      for (JsonNode item : prompt) {
        if (!item.isTextual()) {
          return "prompt must be a string or a list of strings (token arrays are not supported)";
        }
        out.add(new Prompt(item.asText(), item.asText()));
      }
      return null;
    }
    return "prompt must be a string or a non-empty list of strings";
  }

  /** An answer that names none of the options the prompt shows. */
  private static String noOptionAnswer(String prompt) {
    List<String> options = PromptReading.read(prompt).options();
    if (options.isEmpty()) {
      return NO_OPTION_ANSWERS.get(0);
    }
    ChoiceParser parser;
    try {
      parser = new ChoiceParser(options);
    } catch (IllegalArgumentException e) {
      return NO_OPTION_ANSWERS.get(NO_OPTION_ANSWERS.size() - 1);
    }
    for (String answer : NO_OPTION_ANSWERS) {
      if (!parser.parse(answer).accepted()) {
        return answer;
      }
    }
    return NO_OPTION_ANSWERS.get(NO_OPTION_ANSWERS.size() - 1);
  }

  /** Runs on a writer thread once every sequence of the request is done. */
  private void complete(HttpExchange exchange, String endpoint, long number, String model, Fault fault, int n,
                        List<Choice> choices) {
    boolean chat = endpoint.equals("chat");
    ObjectNode response = json.createObjectNode();
    response.put("id", (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(number));
    response.put("object", chat ? "chat.completion" : "text_completion");
    response.put("created", System.currentTimeMillis() / 1000);
    response.put("model", model);
    response.put("system_fingerprint", fingerprint);
    ArrayNode array = response.putArray("choices");
    long promptTokens = 0;
    long cachedTokens = 0;
    long completionTokens = 0;
    for (int i = 0; i < choices.size(); i++) {
      Choice choice = choices.get(i);
      ObjectNode node = array.addObject();
      node.put("index", i);
      if (chat) {
        ObjectNode message = node.putObject("message");
        message.put("role", "assistant");
        message.put("content", choice.text);
      } else {
        node.put("text", choice.text);
      }
      node.putNull("logprobs");
      node.put("finish_reason", choice.finishReason);
      completionTokens += choice.completionTokens;
      if (i % n == 0) { // the prompt is counted once, however many choices it has
        promptTokens += choice.sequence.promptTokens;
        cachedTokens += choice.sequence.cachedTokens();
      }
    }
    ObjectNode usage = response.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    try {
      byte[] bytes = json.writeValueAsBytes(response);
      if (fault == Fault.TRUNCATED) {
        bytes = Arrays.copyOf(bytes, bytes.length / 2);
      } else if (fault == Fault.MALFORMED) {
        bytes = new String(bytes, StandardCharsets.UTF_8).replaceFirst("\"choices\":", "\"choices\" ")
            .getBytes(StandardCharsets.UTF_8);
      }
      sendJson(exchange, endpoint, 200, bytes);
    } catch (IOException | RuntimeException e) {
      exchange.close(); // the client went away
    }
  }

  private void hold(HttpExchange exchange, String endpoint) {
    held.add(exchange);
    if (settings.timeoutHold().isZero()) {
      return; // never answered: closed with the server
    }
    timer.schedule(() -> {
      if (held.remove(exchange)) {
        try {
          sendError(exchange, endpoint, 504, "server_error", "timeout", "The request timed out (injected)");
        } catch (IOException | RuntimeException e) {
          exchange.close();
        }
      }
    }, settings.timeoutHold().toNanos(), TimeUnit.NANOSECONDS);
  }

  // ---- responses

  private void sendError(HttpExchange exchange, String endpoint, int status, String type, String code,
                         String message) throws IOException {
    ObjectNode body = json.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    sendJson(exchange, endpoint, status, json.writeValueAsBytes(body));
  }

  private void sendJson(HttpExchange exchange, String endpoint, int status, byte[] body) throws IOException {
    send(exchange, endpoint, status, "application/json", body);
  }

  private void send(HttpExchange exchange, String endpoint, int status, String contentType, byte[] body)
      throws IOException {
    stats.request(endpoint, status);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
