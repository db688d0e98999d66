package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.RunDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's side of a node's HTTP API ({@code submit}, {@code status}, {@code cancel}, {@code fetch}).
 * Every request carries the token, when there is one. Redirects are followed here, not by the
 * HTTP client, which would send the token wherever a redirect points: it goes only to the node
 * asked and to the node the cluster names as holding the run's results.
 */
final class ClusterClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Redirects followed for one file: the node asked points at the results' node, which serves it. */
  private static final int MAX_REDIRECTS = 3;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  private final String token;

  /** @param to {@code host:port} or a URL of any node's HTTP API */
  ClusterClient(String to, String token) {
    String url = to.contains("://") ? to : "http://" + to;
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token != null ? token : System.getenv("NORMA_TOKEN");
  }

  /** A problem the node reported, with its HTTP status. */
  static final class ApiException extends IOException {
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Submits a resolved spec; returns the run id. The node keeps the run directory under its own
   * data directory, so the spec's {@code output.dir} (where the client puts its copy) is not sent.
   *
   * @param onOneNode the node asked hosts the run whole, its agents too ({@code placement=node}; a
   *                  non-durable run only); else its agents spread over the cluster
   */
  String submit(ExperimentSpec spec, boolean onOneNode) throws IOException, InterruptedException {
    String yaml = SpecLoader.toYaml(spec.withOutput(spec.output().withDir(null)));
    HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/runs"
            + (onOneNode ? "?placement=node" : ""))))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build();
    return field(json(send(request)), "runId");
  }

  /** This client's node: the address it was given, as a URL. */
  String base() {
    return base;
  }

  /** The HTTP APIs of the members up, as the cluster names them (those it has not heard yet left out). */
  List<String> membersUp() throws IOException, InterruptedException {
    JsonNode cluster = json(send(authorized(HttpRequest.newBuilder(URI.create(base + "/cluster"))).GET().build()));
    List<String> urls = new ArrayList<>();
    for (JsonNode member : cluster.path("members")) {
      if ("Up".equals(member.path("status").asText()) && member.path("http").isTextual()) {
        urls.add(member.get("http").asText());
      }
    }
    return urls;
  }

  /** Whether the node answers {@code GET /health} within {@code timeout}. */
  boolean answers(Duration timeout) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(timeout).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  JsonNode status(String runId) throws IOException, InterruptedException {
    return json(send(authorized(HttpRequest.newBuilder(URI.create(base + "/runs/" + runId))).GET().build()));
  }

  JsonNode cancel(String runId) throws IOException, InterruptedException {
    HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/runs/" + runId + "/cancel")))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return json(send(request));
  }

  /**
   * Downloads the run directory's files into {@code dir}; returns how many there were. An unknown
   * run is an {@link ApiException} (404) and leaves no directory behind.
   */
  int fetch(String runId, Path dir) throws IOException, InterruptedException {
    status(runId); // a 404 for a run the cluster does not know, before anything is made
    boolean made = !Files.exists(dir);
    Files.createDirectories(dir);
    int fetched = 0;
    try {
      fetched = fetchInto(runId, dir);
    } finally {
      if (made && fetched == 0) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isEmpty()) {
            Files.delete(dir);
          }
        }
      }
    }
    return fetched;
  }

  private int fetchInto(String runId, Path dir) throws IOException, InterruptedException {
    int fetched = 0;
    String resultsNode = null;
    for (String file : RunDirectory.SERVED) {
      URI uri = URI.create(base + "/runs/" + runId + "/files/" + file);
      Path tmp = dir.resolve(file + ".part");
      HttpResponse<Path> response = http.send(authorized(HttpRequest.newBuilder(uri)).GET().build(),
          HttpResponse.BodyHandlers.ofFile(tmp));
      for (int redirects = 0; isRedirect(response.statusCode()) && redirects < MAX_REDIRECTS; redirects++) {
        if (resultsNode == null) {
          JsonNode where = status(runId).get("resultsNode");
          resultsNode = where == null || where.isNull() ? "" : where.asText();
        }
        uri = uri.resolve(response.headers().firstValue("Location").orElseThrow(
            () -> new ApiException(502, "a redirect without a Location for " + file)));
        HttpRequest.Builder next = HttpRequest.newBuilder(uri).GET();
        // The token goes to the node asked and to the node holding the results, no further.
        if (sameOrigin(uri, URI.create(base)) || !resultsNode.isEmpty() && sameOrigin(uri, URI.create(resultsNode))) {
          next = authorized(next);
        }
        response = http.send(next.build(), HttpResponse.BodyHandlers.ofFile(tmp));
      }
      if (response.statusCode() == 404) {
        Files.deleteIfExists(tmp);
        continue;
      }
      if (response.statusCode() != 200) {
        String body = Files.readString(tmp);
        Files.deleteIfExists(tmp);
        throw new ApiException(response.statusCode(), error(body));
      }
      Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      fetched++;
    }
    return fetched;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Same scheme, host and port. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return token == null || token.isBlank() ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new ApiException(response.statusCode(), error(response.body()));
    }
    return response.body();
  }

  /** The node's error message, or, from a server that is not a Norma node, the start of its answer. */
  private static String error(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: described below
    }
    return NOT_A_NODE + " (it answered: " + excerpt(body) + ")";
  }

  static final String NOT_A_NODE = "this does not look like a Norma node's HTTP API";

  /** A server that answers, but not as a Norma node does. */
  static final class NotANodeException extends IOException {
    NotANodeException(String message) {
      super(message);
    }
  }

  private static JsonNode json(String body) throws IOException {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new NotANodeException(NOT_A_NODE + " (it answered: " + excerpt(body) + ")");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new NotANodeException(NOT_A_NODE + " (it answered: " + excerpt(body) + ")");
    }
  }

  private static String field(JsonNode node, String name) throws NotANodeException {
    if (!node.hasNonNull(name)) {
      throw new NotANodeException(NOT_A_NODE + " (its answer has no " + name + ")");
    }
    return node.get(name).asText();
  }

  /** The first line of a body, short, for a message. */
  private static String excerpt(String body) {
    String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "nothing" : "'" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "'";
  }
}
