package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The CLI's side of a node's HTTP API ({@code submit}, {@code status}, {@code cancel}, {@code fetch}). */
final class ClusterClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();
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

  String submit(String specYaml) throws IOException, InterruptedException {
    HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/runs")))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(specYaml, StandardCharsets.UTF_8)).build();
    return json(send(request)).get("runId").asText();
  }

  JsonNode status(String runId) throws IOException, InterruptedException {
    return json(send(HttpRequest.newBuilder(URI.create(base + "/runs/" + runId)).GET().build()));
  }

  JsonNode cancel(String runId) throws IOException, InterruptedException {
    HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/runs/" + runId + "/cancel")))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return json(send(request));
  }

  /** Downloads the run directory's files into {@code dir}; returns how many there were. */
  int fetch(String runId, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int fetched = 0;
    for (String file : RunDirectory.SERVED) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/runs/" + runId + "/files/" + file)).GET().build();
      Path tmp = dir.resolve(file + ".part");
      HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(tmp));
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

  private static String error(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.has("error") ? node.get("error").asText() : body;
    } catch (IOException e) {
      return body;
    }
  }

  private static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }
}
