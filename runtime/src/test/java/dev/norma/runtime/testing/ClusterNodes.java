package dev.norma.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.cli.NormaCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real cluster nodes for tests: {@code norma node} in JVMs of their own on loopback, with small
 * heaps and short failure-detection timings, sharing one journal database.
 */
public final class ClusterNodes implements AutoCloseable {
  private static final Pattern UP = Pattern.compile("norma node up: (pekko://\\S+) · (http://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dir;
  private final String dbUrl;
  private final Map<String, String> environment;
  private final List<Node> nodes = new ArrayList<>();

  public record Node(Process process, Path log, String address, String url) {
    public String hostPort() {
      return url.substring("http://".length());
    }

    public int clusterPort() {
      return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
  }

  /**
   * @param dbUrl       the journal every node uses
   * @param environment extra environment (database credentials)
   */
  public ClusterNodes(Path dir, String dbUrl, Map<String, String> environment) {
    this.dir = dir;
    this.dbUrl = dbUrl;
    this.environment = environment;
  }

  /**
   * Nodes in {@code dir} sharing one journal: an H2 server in this JVM, reached over TCP, its files
   * in {@code dir/db}; {@link #close()} stops it after the nodes.
   */
  public static ClusterNodes withJournalServer(Path dir) throws Exception {
    return withJournalServer(dir, Map.of());
  }

  /** {@link #withJournalServer(Path)} with extra environment for every node. */
  public static ClusterNodes withJournalServer(Path dir, Map<String, String> environment) throws Exception {
    org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(freePort()),
        "-ifNotExists", "-baseDir", dir.resolve("db").toString()).start();
    ClusterNodes nodes = new ClusterNodes(dir, "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/cluster",
        environment);
    nodes.journalServer = server;
    return nodes;
  }

  /** The journal server this object started, or null. */
  private org.h2.tools.Server journalServer;

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts a node; the first one starts the cluster, the others join it. */
  public Node start() throws Exception {
    return start(List.of());
  }

  /** Starts a node with more {@code norma node} options (e.g. {@code --metrics-port P}). */
  public Node start(List<String> options) throws Exception {
    int index = nodes.size() + 1;
    Path log = dir.resolve("node" + index + ".log");
    List<String> args = new ArrayList<>(List.of("node", "--host", "127.0.0.1", "--port", "0", "--http-port", "0",
        "--data", dir.resolve("node" + index).toString(), "--db-url", dbUrl));
    args.addAll(options);
    if (!nodes.isEmpty()) {
      args.add("--seed-nodes");
      args.add("127.0.0.1:" + nodes.get(0).clusterPort());
    }
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("NORMA_SBR_STABLE_AFTER", "2s");
    env.put("NORMA_HEARTBEAT_PAUSE", "2s");
    Process process = JavaProcesses.start(log, List.of("-Xmx256m", "-XX:+UseSerialGC",
        "-Dnorma.recovery.stall-timeout=1s", "-Dnorma.agents.shards=30",
        "-Dpekko.cluster.sharding.rebalance-interval=2s"), NormaCli.class, args, env);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("node " + index + " exited: " + tail(log));
      }
      Matcher m = UP.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        Node node = new Node(process, log, m.group(1), m.group(2));
        nodes.add(node);
        return node;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node " + index + " did not start: " + tail(log));
  }

  /** Starts {@code count} nodes (the first the oldest) and waits until each sees them all up. */
  public List<Node> startMembers(int count) throws Exception {
    List<Node> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(start());
    }
    for (Node node : started) {
      awaitMembersUp(node, nodes.size());
    }
    return started;
  }

  /** Waits until {@code via} sees {@code count} members up. */
  public void awaitMembersUp(Node via, int count) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      JsonNode cluster = get(via, "/cluster");
      long up = 0;
      for (JsonNode member : cluster.get("members")) {
        if ("Up".equals(member.get("status").asText())) {
          up++;
        }
      }
      if (up == count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the cluster did not reach " + count + " members up");
  }

  public JsonNode get(Node via, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(via.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** Waits until the run, seen through {@code via}, has recorded {@code interactions} and is still running. */
  public void awaitInteractions(Node via, String runId, long interactions) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      JsonNode status = get(via, "/runs/" + runId);
      if (status.has("interactions") && status.get("interactions").asLong() >= interactions) {
        if (!status.get("summary").isNull()) {
          throw new AssertionError("the run ended before " + interactions + " interactions were seen");
        }
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the run did not reach " + interactions + " interactions: " + tail(nodes.get(0).log()));
  }

  /**
   * Kills {@code victim} with SIGKILL once it holds agents of the run, and waits for the run's end
   * as {@code survivor} sees it.
   */
  public JsonNode killAndAwaitEnd(Node victim, Node survivor, String runId, Duration timeout) throws Exception {
    if (get(victim, "/runs/" + runId + "/shards").get("shards").isEmpty()) {
      throw new AssertionError("the node to be killed holds no agents of run " + runId);
    }
    victim.process().destroyForcibly();
    return awaitEnd(survivor, runId, timeout);
  }

  /** Waits until the run, seen through {@code via}, has a summary, and returns its status. */
  public JsonNode awaitEnd(Node via, String runId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode status = null;
    while (Instant.now().isBefore(deadline)) {
      status = get(via, "/runs/" + runId);
      if (status.has("summary") && !status.get("summary").isNull()) {
        return status;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the run did not end; last status " + status + "\n" + tail(via.log()));
  }

  public List<Node> nodes() {
    return nodes;
  }

  public static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      node.process().destroyForcibly();
    }
    for (Node node : nodes) {
      try {
        node.process().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (journalServer != null) {
      journalServer.stop();
    }
  }
}
