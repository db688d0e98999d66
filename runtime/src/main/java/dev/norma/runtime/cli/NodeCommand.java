package dev.norma.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.node.NodeAccess;
import dev.norma.runtime.node.NormaNode;
import dev.norma.runtime.study.JournalDatabase;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code norma node}: a long-lived cluster node with the HTTP API. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Starts a cluster node: joins the seed nodes (or starts a cluster), serves the HTTP API",
        "and runs its part of every study submitted. Stops on SIGTERM (leaving the cluster cleanly)."})
public final class NodeCommand implements Callable<Integer> {

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "${env:NORMA_HOST:-127.0.0.1}",
      description = "address other nodes and clients reach this node at (NORMA_HOST; default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:NORMA_PORT:-2552}",
      description = "cluster port, 0 for any (NORMA_PORT; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:NORMA_HTTP_PORT:-8558}",
      description = "HTTP API port, 0 for any (NORMA_HTTP_PORT; default ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--seed-nodes", paramLabel = "HOST:PORT,...", defaultValue = "${env:NORMA_SEED_NODES:-}",
      description = "nodes to join, comma-separated (NORMA_SEED_NODES); none: this node starts a cluster")
  String seedNodes;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:NORMA_DATA:-norma-data}",
      description = "where run directories are written, and the H2 journal without --db-url (NORMA_DATA; default ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--db-url", paramLabel = "JDBC-URL", defaultValue = "${env:NORMA_DB_URL:-}",
      description = "journal of durable studies, e.g. jdbc:postgresql://db:5432/norma (NORMA_DB_URL;"
          + " user and password from NORMA_DB_USER, NORMA_DB_PASSWORD); default: an H2 file in DIR/journal,"
          + " for a one-node cluster")
  String dbUrl;

  @Option(names = "--discovery", paramLabel = "METHOD", defaultValue = "${env:NORMA_DISCOVERY:-}",
      description = "find the other nodes through Pekko Management's cluster bootstrap instead of seed nodes:"
          + " kubernetes-api (pods labelled app=SERVICE), pekko-dns or config (NORMA_DISCOVERY)")
  String discovery;

  @Option(names = "--service-name", paramLabel = "SERVICE", defaultValue = "${env:NORMA_SERVICE_NAME:-norma}",
      description = "with --discovery: the service the nodes belong to (NORMA_SERVICE_NAME; default ${DEFAULT-VALUE})")
  String serviceName;

  @Option(names = "--management-port", paramLabel = "PORT", defaultValue = "${env:NORMA_MANAGEMENT_PORT:-7626}",
      description = "with --discovery: this node's management port, its contact point (NORMA_MANAGEMENT_PORT;"
          + " default ${DEFAULT-VALUE})")
  int managementPort;

  @Option(names = "--contact-points", paramLabel = "N", defaultValue = "${env:NORMA_REQUIRED_CONTACT_POINTS:-2}",
      description = "with --discovery: nodes to find before the first one forms the cluster"
          + " (NORMA_REQUIRED_CONTACT_POINTS; default ${DEFAULT-VALUE})")
  int contactPoints;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:NORMA_METRICS_PORT:-}",
      description = "serve Prometheus metrics (JVM, cluster members) at http://HOST:PORT/metrics, 0 for any"
          + " (NORMA_METRICS_PORT; NORMA_METRICS_HOST sets the interface, default all); none: no metrics")
  String metricsPort;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:NORMA_TOKEN:-}",
      description = "a token every request but /health must present (NORMA_TOKEN); none: no token needed")
  String token;

  @Option(names = "--max-agents", paramLabel = "N", defaultValue = "${env:NORMA_MAX_AGENTS:-0}",
      description = "refuse studies of more agents than this (NORMA_MAX_AGENTS; 0: only the heap limits them:"
          + " a study whose memory estimate exceeds 70% of the max heap is refused either way)")
  long maxAgents;

  @Option(names = "--public-reads", defaultValue = "${env:NORMA_PUBLIC_READS:-false}",
      description = "with --token: listing runs, their status and files needs no token (NORMA_PUBLIC_READS)")
  boolean publicReads;

  @Option(names = "--allow-endpoint", paramLabel = "URL-PREFIX", split = ",",
      defaultValue = "${env:NORMA_ALLOW_ENDPOINTS:-}",
      description = "an endpoint URL prefix submitted studies may call, e.g. http://gpu-1:8000/v1 (repeatable;"
          + " NORMA_ALLOW_ENDPOINTS, comma-separated); none: no endpoint")
  List<String> allowEndpoints = new java.util.ArrayList<>();

  @Option(names = "--allow-dir", paramLabel = "DIR", split = ",", defaultValue = "${env:NORMA_ALLOW_DIRS:-}",
      description = "a directory whose files (prompt templates, local models) submitted studies may name, links"
          + " resolved (repeatable; NORMA_ALLOW_DIRS, comma-separated); none: no file")
  List<String> allowDirs = new java.util.ArrayList<>();

  @Option(names = "--secrets-dir", paramLabel = "DIR", defaultValue = "${env:NORMA_SECRETS_DIR:-}",
      description = "where credential NAME is read from (the file NAME) when NORMA_CREDENTIAL_NAME is not set,"
          + " e.g. a mounted Kubernetes Secret (NORMA_SECRETS_DIR)")
  String secretsDir;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec command;

  /**
   * Why {@code norma node ARGS} would refuse to start, in the line it would print, or null when it
   * would start: the options are parsed and checked as the command does before anything starts.
   * For programs that build a node's command line ({@code norma bench cluster}) and their tests.
   */
  public static String refusal(List<String> args) {
    NodeCommand node = new NodeCommand();
    try {
      new picocli.CommandLine(node).parseArgs(args.toArray(String[]::new));
    } catch (picocli.CommandLine.ParameterException e) {
      return "norma node: " + e.getMessage();
    }
    return node.refusal();
  }

  /** The first reason these options cannot start a node, or null; nothing is started. */
  private String refusal() {
    if ((discovered() || !seeds().isEmpty()) && (dbUrl == null || dbUrl.isBlank())) {
      // Durable agents move between nodes and must find their events wherever they land.
      return "norma: a node that joins a cluster needs the cluster's database"
          + " (--db-url or NORMA_DB_URL, e.g. jdbc:postgresql://db:5432/norma); an H2 file of its own is for a"
          + " one-node cluster";
    }
    if (metricsPort != null && !metricsPort.isBlank()
        && (!metricsPort.strip().matches("\\d{1,5}") || Integer.parseInt(metricsPort.strip()) > RunCommand.MAX_PORT)) {
      return "norma: --metrics-port (NORMA_METRICS_PORT) must be a port number in 0.." + RunCommand.MAX_PORT
          + ", not '" + metricsPort + "'";
    }
    if (maxAgents < 0) {
      return "norma: --max-agents must be 0 (no limit) or more, not " + maxAgents;
    }
    try {
      NodeAccess.fromConfig(config()); // a prefix or directory that cannot be used stops the node here, in one line
    } catch (IllegalArgumentException e) {
      return "norma: " + e.getMessage();
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    String refusal = refusal();
    if (refusal != null) {
      command.commandLine().getErr().println(refusal);
      return NormaCli.EXIT_BAD_INPUT;
    }
    List<String> seeds = seeds();
    boolean discovered = discovered();
    JournalDatabase database = dbUrl == null || dbUrl.isBlank() ? JournalDatabase.h2(data.resolve("journal"))
        : JournalDatabase.at(dbUrl);
    NormaNode.Discovery found = discovered
        ? new NormaNode.Discovery(discovery, serviceName, managementPort, contactPoints) : null;
    NormaNode.Metrics metrics = metricsPort == null || metricsPort.isBlank() ? null
        : new NormaNode.Metrics(envOr("NORMA_METRICS_HOST", "0.0.0.0"), Integer.parseInt(metricsPort.strip()));
    Config base = config();
    NormaNode node = NormaNode.start(
        new NormaNode.Settings(host, port, httpPort, seeds, data, token, database, found, metrics), base);
    System.out.println("norma node up: " + node.address() + " · " + node.url() + " · journal " + database
        + (discovered ? " · finding service " + serviceName + " by " + discovery
            : seeds.isEmpty() ? " · started a cluster" : " · joining " + String.join(",", seeds))
        + (metrics == null ? "" : " · metrics at http://" + host + ":" + node.metricsPort() + "/metrics"));
    System.out.flush();
    node.awaitTermination();
    return NormaCli.EXIT_OK;
  }

  private List<String> seeds() {
    return seedNodes == null || seedNodes.isBlank() ? List.of()
        : Arrays.stream(seedNodes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private boolean discovered() {
    return discovery != null && !discovery.isBlank();
  }

  /** The node's configuration: the access options over what is configured. */
  private Config config() {
    return accessConfig().withFallback(ConfigFactory.load());
  }

  /** The options on what submitted studies may use, as the {@code norma.node} settings they set. */
  private Config accessConfig() {
    Map<String, Object> values = new HashMap<>();
    // Unset options leave the settings as configured (-D through NORMA_JAVA_OPTS, reference.conf).
    if (!nonBlank(allowEndpoints).isEmpty()) {
      values.put("norma.node.allow-endpoints", nonBlank(allowEndpoints));
    }
    if (!nonBlank(allowDirs).isEmpty()) {
      values.put("norma.node.allow-dirs", nonBlank(allowDirs));
    }
    if (publicReads) {
      values.put("norma.node.public-reads", true);
    }
    if (secretsDir != null && !secretsDir.isBlank()) {
      values.put("norma.inference.secrets-dir", secretsDir);
    }
    if (maxAgents > 0) {
      values.put("norma.limits.max-agents", maxAgents);
    }
    return ConfigFactory.parseMap(values);
  }

  /** The values given, without the empty one an unset variable leaves. */
  private static List<String> nonBlank(List<String> values) {
    return values == null ? List.of() : values.stream().map(String::strip).filter(value -> !value.isEmpty()).toList();
  }

  private static String envOr(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null ? otherwise : value;
  }
}
