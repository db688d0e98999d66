package dev.norma.protocols.spec;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One inference endpoint: an OpenAI-compatible server (vLLM, SGLang, llama.cpp's server, Ollama,
 * a hosted API), or kind {@code local}, a GGUF model run inside the JVM by llama.cpp. The API key
 * is never part of a spec: it is read, when the run starts, from the environment variable or the
 * file named here, or from the credential named here (on a cluster node, the only way: its
 * operator configures the credentials, and a submitted spec can only name one).
 *
 * @param name              a short name for logs, metrics and the call journal
 * @param url               the API base URL, up to and including {@code /v1}; none for {@code local}
 * @param kind              {@code chat} ({@code /chat/completions}, one prompt per request),
 *                          {@code completions} ({@code /completions}, up to {@code batchSize}
 *                          prompts in one request) or {@code local} (in-process)
 * @param model             the model id sent with each request; for {@code local}, the path of the
 *                          GGUF file (relative to the working directory)
 * @param apiKeyEnv         the environment variable holding the API key
 * @param apiKeyFile        a file holding the API key (not with {@code apiKeyEnv})
 * @param credential        the name of a credential the machine running the study holds: the
 *                          variable {@code NORMA_CREDENTIAL_<NAME>} or the file {@code NAME} in
 *                          its secrets directory (see {@link #credentialVariable})
 * @param maxInFlight       the most prompts outstanding at once (a batched request holds one per
 *                          prompt); the adaptive limit stays below. For {@code local}, the
 *                          sequences decoded at once (llama.cpp's parallel slots)
 * @param requestsPerMinute a rate limit on requests; unset: none
 * @param tokensPerMinute   a rate limit on tokens (prompt and answer); unset: none
 * @param batchSize         prompts per request, {@code completions} only
 * @param acceptsTopK       whether the endpoint takes {@code top_k} (vLLM, SGLang, llama.cpp,
 *                          Ollama do; OpenAI's API does not)
 * @param timeout           seconds a request may take before it is abandoned and retried
 * @param promptPrice       price per million prompt tokens, for estimated cost; unset: 0
 * @param completionPrice   price per million answer tokens, for estimated cost; unset: 0
 * @param threads           {@code local}: CPU threads that decode; unset: llama.cpp's choice
 * @param contextSize       {@code local}: tokens each sequence holds, prompt and answer
 */
public record EndpointSpec(String name, String url, String kind, String model, String apiKeyEnv,
                           String apiKeyFile, String credential, Integer maxInFlight, Integer requestsPerMinute,
                           Integer tokensPerMinute, Integer batchSize, Boolean acceptsTopK, Double timeout,
                           Double promptPrice, Double completionPrice, Integer threads, Integer contextSize) {
  public static final String CHAT = "chat";
  public static final String COMPLETIONS = "completions";
  public static final String LOCAL = "local";
  public static final List<String> KINDS = List.of(CHAT, COMPLETIONS, LOCAL);
  /** The most sequences a local engine decodes at once: each holds a KV cache of contextSize. */
  public static final int MAX_LOCAL_SEQUENCES = 64;

  public EndpointSpec {
    kind = kind == null ? CHAT : kind;
    boolean local = LOCAL.equals(kind);
    // A local engine holds a KV cache per sequence: one unless asked, not a server's 64.
    maxInFlight = maxInFlight == null ? local ? 1 : 64 : maxInFlight;
    batchSize = batchSize == null ? 1 : batchSize;
    // The local engine applies top_k itself.
    acceptsTopK = acceptsTopK == null ? Boolean.valueOf(local) : acceptsTopK;
    timeout = timeout == null ? 60.0 : timeout;
    contextSize = contextSize == null && local ? Integer.valueOf(4096) : contextSize;
  }

  /** An endpoint whose key, if any, is named by variable or file. */
  public EndpointSpec(String name, String url, String kind, String model, String apiKeyEnv, String apiKeyFile,
                      Integer maxInFlight, Integer requestsPerMinute, Integer tokensPerMinute, Integer batchSize,
                      Boolean acceptsTopK, Double timeout, Double promptPrice, Double completionPrice,
                      Integer threads, Integer contextSize) {
    this(name, url, kind, model, apiKeyEnv, apiKeyFile, null, maxInFlight, requestsPerMinute, tokensPerMinute,
        batchSize, acceptsTopK, timeout, promptPrice, completionPrice, threads, contextSize);
  }

  /** An OpenAI-compatible endpoint (no in-process fields). */
  public EndpointSpec(String name, String url, String kind, String model, String apiKeyEnv, String apiKeyFile,
                      Integer maxInFlight, Integer requestsPerMinute, Integer tokensPerMinute, Integer batchSize,
                      Boolean acceptsTopK, Double timeout, Double promptPrice, Double completionPrice) {
    this(name, url, kind, model, apiKeyEnv, apiKeyFile, null, maxInFlight, requestsPerMinute, tokensPerMinute,
        batchSize, acceptsTopK, timeout, promptPrice, completionPrice, null, null);
  }

  /** The variable that holds credential {@code name}: {@code NORMA_CREDENTIAL_} and the name in capitals, '-' as '_'. */
  public static String credentialVariable(String name) {
    return "NORMA_CREDENTIAL_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /** Whether the model runs in this process ({@code kind: local}). */
  public boolean local() {
    return LOCAL.equals(kind);
  }

  /**
   * This endpoint as one of {@code nodes} cluster nodes uses it: its limits (prompts in flight,
   * requests and tokens per minute) are for the whole study, so each node keeps its share,
   * rounded up and at least 1. A {@code local} model is each node's own: its limits stay.
   */
  public EndpointSpec sharedAmong(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes: expected at least 1, got " + nodes);
    }
    if (LOCAL.equals(kind)) {
      return this; // each node runs its own copy of the model
    }
    return new EndpointSpec(name, url, kind, model, apiKeyEnv, apiKeyFile, credential, share(maxInFlight, nodes),
        requestsPerMinute == null ? null : share(requestsPerMinute, nodes),
        tokensPerMinute == null ? null : share(tokensPerMinute, nodes), batchSize, acceptsTopK, timeout,
        promptPrice, completionPrice, threads, contextSize);
  }

  private static int share(int limit, int nodes) {
    return Math.max(1, (limit + nodes - 1) / nodes);
  }

  void validate(SpecErrors errors) {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      errors.add("name", "expected letters, digits, '.', '_' or '-', got " + (name == null ? "nothing" : "'" + name + "'"));
    }
    if (local()) {
      validateLocal(errors);
    } else if (url == null) {
      errors.add("url", "expected the API base URL, e.g. http://127.0.0.1:8000/v1");
    } else {
      try {
        URI uri = URI.create(url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          errors.add("url", "expected an http or https URL with a host, got '" + url + "'");
        } else if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
          errors.add("url", "expected no user, password, query or fragment in the URL (keys go in credential,"
              + " apiKeyEnv or apiKeyFile)");
        } else if (errors.rules() != null && errors.rules().urlProblem(url) != null) {
          errors.add("url", errors.rules().urlProblem(url));
        }
      } catch (IllegalArgumentException e) {
        errors.add("url", "expected a URL, got '" + url + "'");
      }
    }
    if (!KINDS.contains(kind)) {
      errors.add("kind", "expected one of " + KINDS + ", got '" + kind + "'");
    }
    if ((model == null || model.isBlank()) && !local()) {
      errors.add("model", "expected the model id the endpoint serves");
    }
    if (apiKeyEnv != null && apiKeyFile != null) {
      errors.add("apiKeyFile", "give either apiKeyEnv or apiKeyFile, not both");
    }
    if (credential != null && (apiKeyEnv != null || apiKeyFile != null)) {
      errors.add("credential", "give either credential or " + (apiKeyEnv != null ? "apiKeyEnv" : "apiKeyFile")
          + ", not both");
    }
    if (credential != null && !credential.matches("[A-Za-z0-9_-]{1,64}")) {
      errors.add("credential", "expected a credential name of up to 64 letters, digits, '_' or '-', got '"
          + credential + "'");
    } else if (credential != null && !local() && errors.rules() != null
        && errors.rules().credentialProblem(credential) != null) {
      errors.add("credential", errors.rules().credentialProblem(credential));
    }
    if (errors.rules() != null) {
      // The submitter would choose which of the node's files or variables is sent, and to where.
      String instead = "; name a credential the nodes hold instead (credential: NAME, from NORMA_CREDENTIAL_NAME"
          + " or the nodes' secrets directory)";
      if (apiKeyFile != null) {
        errors.add("apiKeyFile", "a spec submitted to a cluster cannot name a key file" + instead);
      }
      if (apiKeyEnv != null) {
        errors.add("apiKeyEnv", "a spec submitted to a cluster cannot name an environment variable" + instead);
      }
    }
    if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      errors.add("apiKeyEnv", "expected the name of an environment variable, got '" + apiKeyEnv + "'");
    }
    if (apiKeyFile != null && apiKeyFile.isBlank()) {
      errors.add("apiKeyFile", "expected a file path, got an empty string");
    }
    if (maxInFlight < 1 || maxInFlight > 100_000) {
      errors.add("maxInFlight", "expected 1..100000 requests, got " + maxInFlight);
    }
    if (requestsPerMinute != null && requestsPerMinute < 1) {
      errors.add("requestsPerMinute", "expected at least 1, got " + requestsPerMinute);
    }
    if (tokensPerMinute != null && tokensPerMinute < 1) {
      errors.add("tokensPerMinute", "expected at least 1, got " + tokensPerMinute);
    }
    if (batchSize < 1 || batchSize > 4096) {
      errors.add("batchSize", "expected 1..4096 prompts per request, got " + batchSize);
    } else if (batchSize > 1 && local()) {
      errors.add("batchSize", "expected 1 for kind: local (it decodes up to maxInFlight prompts at once instead), got "
          + batchSize);
    } else if (batchSize > 1 && !COMPLETIONS.equals(kind)) {
      errors.add("batchSize", "expected 1 for a chat endpoint (only kind: completions takes a list of prompts), got " + batchSize);
    }
    if (timeout.isNaN() || timeout <= 0 || timeout > 86_400) {
      errors.add("timeout", "expected seconds in (0, 86400], got " + timeout);
    }
    if (promptPrice != null && (promptPrice.isNaN() || promptPrice < 0 || promptPrice.isInfinite())) {
      errors.add("promptPrice", "expected a price of 0 or more, got " + promptPrice);
    }
    if (completionPrice != null && (completionPrice.isNaN() || completionPrice < 0 || completionPrice.isInfinite())) {
      errors.add("completionPrice", "expected a price of 0 or more, got " + completionPrice);
    }
    if (!local() && (threads != null || contextSize != null)) {
      errors.add(threads != null ? "threads" : "contextSize", "expected only with kind: local (a server sets its own)");
    }
  }

  /**
   * The fields of an in-process engine. The model file must exist here; the API-key, URL and
   * rate-limit fields of a server mean nothing for it and are refused rather than ignored.
   */
  private void validateLocal(SpecErrors errors) {
    if (url != null) {
      errors.add("url", "expected no url for kind: local (the model runs in this process), got '" + url + "'");
    }
    if (model == null || model.isBlank()) {
      errors.add("model", "expected the path of a GGUF model file, e.g. models/qwen2.5-0.5b-instruct-q4_k_m.gguf");
    } else if (errors.rules() != null && errors.rules().pathProblem(model, false) != null) {
      errors.add("model", errors.rules().pathProblem(model, false));
    } else if (!isRegularFile(model)) {
      errors.add("model", "expected an existing GGUF model file, got '" + model + "' (no such file; download one"
          + " and give its path, relative to the working directory)");
    }
    if (apiKeyEnv != null || apiKeyFile != null || credential != null) {
      errors.add(apiKeyEnv != null ? "apiKeyEnv" : apiKeyFile != null ? "apiKeyFile" : "credential",
          "expected no API key for kind: local");
    }
    if (requestsPerMinute != null || tokensPerMinute != null) {
      errors.add(requestsPerMinute != null ? "requestsPerMinute" : "tokensPerMinute",
          "expected no rate limit for kind: local (maxInFlight bounds it)");
    }
    if (maxInFlight > MAX_LOCAL_SEQUENCES) {
      errors.add("maxInFlight", "expected 1.." + MAX_LOCAL_SEQUENCES + " sequences for kind: local, got "
          + maxInFlight);
    }
    if (threads != null && (threads < 1 || threads > 1024)) {
      errors.add("threads", "expected 1..1024 threads, got " + threads);
    }
    if (contextSize < 64 || contextSize > 1_048_576) {
      errors.add("contextSize", "expected 64..1048576 tokens, got " + contextSize);
    }
  }

  private static boolean isRegularFile(String path) {
    try {
      return Files.isRegularFile(Path.of(path));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }
}
