package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.ClusterNodes;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node run as an operator runs it (a JVM of its own, a token, credentials in its environment and
 * its secrets directory, one allowed endpoint and one allowed directory) takes specs written to
 * steal its secrets and files. A local listener stands in for the endpoint a submitter controls;
 * sentinel secrets are looked for in every byte the node logs, writes, answers and sends.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeSecretsTest {
  private static final String TOKEN = "t0ken-for-secrets-test";
  /** A file of the node's, outside the directories it allows. */
  private static final String FILE_SECRET = "sentinel-file-7c2e";
  /** A variable of the node's environment. */
  private static final String ENV_SECRET = "sentinel-env-41d9";
  /** A credential file that holds two lines. */
  private static final String TWO_LINES = "sentinel-twolines-b3a0";
  /** The key the operator gives the allowed endpoint: it goes there, and nowhere else. */
  private static final String GOOD_KEY = "sk-allowed-5e11";
  private static final List<String> SENTINELS = List.of(FILE_SECRET, ENV_SECRET, TWO_LINES);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path temp;

  private static HttpServer listener;
  /** Every request the listener got: request line, headers and body. */
  private static final StringBuffer heard = new StringBuffer();
  /** Every response body the node gave. */
  private static final StringBuffer answered = new StringBuffer();
  private static ClusterNodes nodes;
  private static ClusterNodes.Node node;
  private static String endpoint;
  private static Path allowed;
  private static Path outside;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    listener.createContext("/", exchange -> {
      StringBuilder request = new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n");
      exchange.getRequestHeaders().forEach((name, values) -> request.append(name).append(": ").append(values).append('\n'));
      request.append(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      heard.append(request);
      // Under /echo it refuses, quoting the key it was sent, as some servers do.
      boolean echo = exchange.getRequestURI().getPath().contains("/echo/");
      byte[] body = (echo ? "{\"error\": {\"message\": \"invalid key " + exchange.getRequestHeaders()
          .getFirst("Authorization") + "\"}}" : "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\","
          + " \"content\": \"Q\"}}], \"usage\": {\"prompt_tokens\": 10, \"completion_tokens\": 1}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(echo ? 401 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    listener.start();
    endpoint = "http://127.0.0.1:" + listener.getAddress().getPort() + "/v1";

    allowed = Files.createDirectories(temp.resolve("allowed"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Path secretFile = Files.writeString(outside.resolve("secret.txt"), FILE_SECRET + "\n");
    Files.createDirectories(allowed.resolve("templates"));
    Files.createSymbolicLink(allowed.resolve("model.gguf"), secretFile);
    Path linked = Files.createDirectories(allowed.resolve("linked-templates"));
    Files.createSymbolicLink(linked.resolve("system.txt"), secretFile);
    Path secrets = Files.createDirectories(temp.resolve("secrets"));
    Files.writeString(secrets.resolve("two-lines"), TWO_LINES + "\n" + TWO_LINES + "\n");

    nodes = new ClusterNodes(temp, "jdbc:h2:file:" + temp.resolve("db/norma"),
        Map.of("NORMA_CREDENTIAL_GOOD", GOOD_KEY, "NODE_SECRET", ENV_SECRET));
    node = nodes.start(List.of("--token", TOKEN, "--allow-endpoint", endpoint, "--allow-dir", allowed.toString(),
        "--secrets-dir", secrets.toString()));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (listener != null) {
      listener.stop(0);
    }
  }

  /** A language-model study with one endpoint, as given. */
  private static String spec(String endpointFields, String llmFields) {
    return "name: hostile\nseed: 7\ndurability: none\npopulation: {size: 4}\ngame: {names: [Q, M]}\n"
        + "stop: {maxRounds: 2, onConvergence: false}\n"
        + "policy: {kind: llm, llm: {parseRetries: 0" + llmFields + "}}\n"
        + "inference: {endpoints: [{name: e, model: m" + endpointFields + "}]}\n";
  }

  private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    answered.append(response.body()).append('\n');
    return response;
  }

  @Test
  void specsReachingForTheNodesSecretsOrFilesAreRefusedNamingTheFieldAndNothingLeaks() throws Exception {
    String url = ", url: '" + endpoint + "'";
    Map<String, String> hostile = new java.util.LinkedHashMap<>();
    hostile.put(spec(url + ", apiKeyFile: '" + outside.resolve("secret.txt") + "'", ""),
        "inference.endpoints[0].apiKeyFile: a spec submitted to a cluster cannot name a key file");
    hostile.put(spec(url + ", apiKeyFile: /etc/shadow", ""), "inference.endpoints[0].apiKeyFile");
    hostile.put(spec(url + ", apiKeyEnv: NODE_SECRET", ""), "inference.endpoints[0].apiKeyEnv");
    hostile.put(spec(url + ", apiKeyEnv: PATH", ""), "inference.endpoints[0].apiKeyEnv");
    hostile.put(spec(url + ", credential: two-lines", ""),
        "inference.endpoints[0].credential: credential two-lines (file ");
    hostile.put(spec(url + ", credential: NODE_SECRET", ""), "inference.endpoints[0].credential: no credential");
    hostile.put(spec(", url: '" + endpoint + "0', credential: good", ""),
        "inference.endpoints[0].url: '" + endpoint + "0' is not under an endpoint URL this node allows");
    hostile.put(spec(", url: 'http://127.0.0.1.evil.example:" + listener.getAddress().getPort() + "/v1',"
        + " credential: good", ""), "inference.endpoints[0].url");
    hostile.put(spec(", url: 'http://127.0.0.1:9/v1', credential: good", ""), "inference.endpoints[0].url");
    hostile.put(spec(url, ", templates: '" + outside + "'"), "policy.llm.templates: '" + outside + "' is outside");
    hostile.put(spec(url, ", templates: '" + allowed + "/../outside'"), "policy.llm.templates");
    hostile.put(spec(url, ", templates: '" + allowed.resolve("linked-templates") + "'"),
        "policy.llm.templates: '" + allowed.resolve("linked-templates") + "' holds system.txt, which leads outside");
    hostile.put(spec(", kind: local", "").replace("model: m", "model: '" + allowed.resolve("model.gguf") + "'"),
        "inference.endpoints[0].model: '" + allowed.resolve("model.gguf") + "' leads outside");
    for (Map.Entry<String, String> spec : hostile.entrySet()) {
      HttpResponse<String> response = send("POST", "/runs", spec.getKey(), TOKEN);
      assertThat(response.statusCode()).as(spec.getKey()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").asText()).as(spec.getKey()).contains(spec.getValue())
          .doesNotContain("\n");
    }

    // What the operator allows runs, and its key goes to its endpoint only; an endpoint that
    // quotes the key back in its errors gets it quoted nowhere.
    HttpResponse<String> submitted = send("POST", "/runs",
        spec(url + ", credential: good", ", templates: '" + allowed.resolve("templates") + "'"), TOKEN);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    HttpResponse<String> echoed = send("POST", "/runs",
        spec(url.replace("/v1", "/v1/echo") + ", credential: good", ""), TOKEN);
    assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(201);
    String runId = JSON.readTree(submitted.body()).get("runId").asText();
    JsonNode status = awaitEnd(runId);
    assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("completed");
    awaitEnd(JSON.readTree(echoed.body()).get("runId").asText());
    assertThat(heard.toString()).contains("Bearer " + GOOD_KEY).contains("/v1/echo/chat/completions");
    assertThat(send("GET", "/runs/" + runId + "/files/calls.jsonl.gz", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/runs/" + runId + "/files/summary.json", null, TOKEN).statusCode()).isEqualTo(200);

    assertNoSecretIn("what the endpoint heard", heard.toString(), false);
    assertNoSecretIn("what the node answered", answered.toString(), true);
    assertNoSecretIn("the node's log", Files.readString(node.log(), StandardCharsets.ISO_8859_1), true);
    try (var files = Files.walk(temp.resolve("node1"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertNoSecretIn(file.toString(), read(file), true);
      }
    }
  }

  private static void assertNoSecretIn(String where, String text, boolean noKeyEither) {
    for (String secret : SENTINELS) {
      assertThat(text).as(where).doesNotContain(secret);
    }
    if (noKeyEither) {
      assertThat(text).as(where).doesNotContain(GOOD_KEY);
    }
  }

  private JsonNode awaitEnd(String runId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      status = JSON.readTree(send("GET", "/runs/" + runId, null, TOKEN).body());
      if (status.has("summary") && !status.get("summary").isNull()) {
        return status;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the run did not end: " + status + "\n" + ClusterNodes.tail(node.log()));
  }

  private static String read(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    if (file.toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        bytes = in.readAllBytes();
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aFetchCarriesTheTokenOnlyToTheNodeHoldingTheResults() throws Exception {
    // Two stand-ins for nodes: one says the results are on the other; each redirects every file
    // to the listener, which no cluster names.
    StringBuffer seen = new StringBuffer();
    HttpServer asked = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpServer holder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String holderUrl = "http://127.0.0.1:" + holder.getAddress().getPort();
    for (HttpServer server : List.of(asked, holder)) {
      String name = server == asked ? "asked" : "holder";
      server.createContext("/", exchange -> {
        seen.append(name).append(' ').append(exchange.getRequestURI()).append(' ')
            .append(exchange.getRequestHeaders().getFirst("Authorization")).append('\n');
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/runs/r1")) {
          byte[] body = ("{\"resultsNode\": \"" + holderUrl + "\"}").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        } else if (server == asked) {
          exchange.getResponseHeaders().add("Location", holderUrl + path);
          exchange.sendResponseHeaders(307, -1);
        } else if (path.endsWith("/spec.yaml")) {
          exchange.getResponseHeaders().add("Location", endpoint + "/steal" + path);
          exchange.sendResponseHeaders(307, -1);
        } else {
          exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
      });
      server.start();
    }
    try {
      StringWriter err = new StringWriter();
      NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "fetch", "r1",
          "--to", "127.0.0.1:" + asked.getAddress().getPort(), "--token", TOKEN, "--out",
          temp.resolve("fetched").toString());
    } finally {
      asked.stop(0);
      holder.stop(0);
    }
    assertThat(seen.toString()).contains("holder /runs/r1/files/summary.json Bearer " + TOKEN)
        .contains("asked /runs/r1/files/summary.json Bearer " + TOKEN);
    assertThat(heard.toString()).contains("/steal/runs/r1/files/spec.yaml").doesNotContain(TOKEN);
  }
}
