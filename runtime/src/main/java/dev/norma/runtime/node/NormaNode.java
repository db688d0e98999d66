package dev.norma.runtime.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.metrics.ClusterMeters;
import dev.norma.runtime.metrics.MetricsServer;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.study.RunSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A long-lived cluster node ({@code norma node}): joins the cluster through its seed nodes (or
 * forms one with itself), serves the HTTP API, and runs its part of every study submitted to the
 * cluster. Durable studies journal to the node's database, which must be the same for every node
 * of a cluster of several (PostgreSQL); a one-node cluster may use an H2 file in its data folder.
 */
public final class NormaNode implements AutoCloseable {
  /** The discovery method that lists the service's pods through the Kubernetes API. */
  public static final String KUBERNETES_API = "kubernetes-api";
  /** The name of the container port that is a node's contact point on Kubernetes. */
  public static final String MANAGEMENT_PORT_NAME = "management";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final String url;
  private final String address;
  private final MetricsServer metrics;
  private final JournalCloser journal;

  /** Closes the journal once; a second caller waits until the first has closed it. */
  private static final class JournalCloser {
    private final JournalDatabase database;
    private boolean closed;

    JournalCloser(JournalDatabase database) {
      this.database = database;
    }

    synchronized void close() {
      if (!closed) {
        closed = true;
        database.shutdown();
      }
    }
  }

  /**
   * Where and how a node runs.
   *
   * @param host      the address other nodes and clients reach this node at
   * @param port      the cluster (Artery) port; 0 for any free port
   * @param httpPort  the HTTP API's port; 0 for any free port
   * @param seedNodes {@code host:port} of nodes to join; empty: this node starts a cluster
   *                  (unless {@code discovery} finds the others)
   * @param dataDir   where run directories of coordinators on this node are written
   * @param token     the token every request but {@code /health} needs (with {@code norma.node.public-reads},
   *                  only submit and cancel), or null
   * @param database  the journal database of durable studies
   * @param discovery how to find the other nodes instead of seed nodes, or null
   * @param metrics   where to serve Prometheus metrics (JVM and cluster membership), or null
   */
  public record Settings(String host, int port, int httpPort, List<String> seedNodes, Path dataDir, String token,
                         JournalDatabase database, Discovery discovery, Metrics metrics) {
    public Settings(String host, int port, int httpPort, List<String> seedNodes, Path dataDir, String token,
                    JournalDatabase database, Discovery discovery) {
      this(host, port, httpPort, seedNodes, dataDir, token, database, discovery, null);
    }

    public Settings(String host, int port, int httpPort, List<String> seedNodes, Path dataDir, String token,
                    JournalDatabase database) {
      this(host, port, httpPort, seedNodes, dataDir, token, database, null, null);
    }
  }

  /**
   * The node's Prometheus endpoint, {@code GET http://HOST:PORT/metrics}.
   *
   * @param host the interface to listen on ({@code 0.0.0.0}: all)
   * @param port the port; 0 for any free port
   */
  public record Metrics(String host, int port) {
  }

  /**
   * Finding the other nodes through Pekko Management's cluster bootstrap instead of seed nodes:
   * each node asks a discovery method for the service's contact points (their management
   * endpoints) and, once {@code requiredContactPoints} of them agree, the lowest address forms
   * the cluster and the others join it (or they join the cluster that already exists).
   *
   * @param method                {@code kubernetes-api} (pods labelled {@code app=SERVICE}, each
   *                              node's contact point is its container port named
   *                              {@code management}), {@code pekko-dns} (SRV records) or
   *                              {@code config}
   * @param serviceName           the service the nodes belong to
   * @param managementPort        the port of this node's management endpoint (contact point)
   * @param requiredContactPoints how many nodes must be found before the first forms a cluster
   */
  public record Discovery(String method, String serviceName, int managementPort, int requiredContactPoints) {
  }

  public static NormaNode start(Settings settings) throws Exception {
    return start(settings, ConfigFactory.load());
  }

  public static NormaNode start(Settings settings, Config base) throws Exception {
    Files.createDirectories(settings.dataDir());
    String repaired = settings.database().finishRecovery();
    if (repaired != null) {
      org.slf4j.LoggerFactory.getLogger(NormaNode.class).warn(repaired);
    }
    settings.database().ensureSchema();
    Config config = config(settings, base);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "norma", config);
    // An embedded journal is closed by its owner once the actors that write to it are gone,
    // however the node stops (SIGTERM, downed by the split-brain resolver, close()).
    JournalCloser journal = new JournalCloser(settings.database());
    system.getWhenTerminated().thenRun(journal::close);
    Discovery discovery = settings.discovery();
    MetricsServer metrics = null;
    try {
      Cluster cluster = Cluster.get(system);
      if (settings.metrics() != null) {
        metrics = MetricsServer.start(settings.metrics().host(), settings.metrics().port());
        ClusterMeters.register(metrics.registry(), cluster);
        // Stops with the node, however it stops (SIGTERM, downed by the split-brain resolver).
        MetricsServer served = metrics;
        system.getWhenTerminated().thenRun(served::close);
      }
      if (discovery != null) {
        org.apache.pekko.actor.ActorSystem classic = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
        org.apache.pekko.management.javadsl.PekkoManagement.get(classic).start()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap.get(classic).start();
      } else if (settings.seedNodes().isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      } else {
        List<Address> seeds = new ArrayList<>();
        for (String seed : settings.seedNodes()) {
          seeds.add(AddressFromURIString.parse("pekko://norma@" + seed.strip()));
        }
        cluster.manager().tell(new JoinSeedNodes(seeds));
      }
      RunSettings runSettings = RunSettings.fromConfig(system.settings().config());
      NodeAccess access = NodeAccess.fromConfig(system.settings().config());
      Map<String, RunHandle> handles = new ConcurrentHashMap<>();
      // Every member's HTTP API by cluster address, for GET /cluster.
      Map<String, String> nodeUrls = new ConcurrentHashMap<>();
      // The HTTP address is known only once bound; NodeStudies needs it first, so bind a route
      // that reaches NodeStudies through a holder.
      NodeApi[] api = new NodeApi[1];
      ServerBinding binding = Http.get(system).newServerAt(bindHostname(settings, config), settings.httpPort())
          .bind(new NodeApiRoute(() -> api[0]).route())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      InetSocketAddress bound = binding.localAddress();
      String url = "http://" + settings.host() + ":" + bound.getPort();
      ActorRef<NodeStudies.Command> studies = system.systemActorOf(
          NodeStudies.create(runSettings, settings.dataDir(), url, handles, metrics == null ? null : metrics.registry(),
              access),
          "studies",
          org.apache.pekko.actor.typed.Props.empty());
      system.systemActorOf(NodeDirectory.create(url, nodeUrls), "node-directory",
          org.apache.pekko.actor.typed.Props.empty());
      system.systemActorOf(LostMessages.create(metrics == null ? null : metrics.registry()), "lost-messages",
          org.apache.pekko.actor.typed.Props.empty());
      NodeApi nodeApi = new NodeApi(system, studies, handles, nodeUrls, settings.dataDir(), settings.token(),
          access.publicReads());
      nodeApi.selfUrl(url);
      api[0] = nodeApi;
      return new NormaNode(system, binding, url, cluster.selfMember().address().toString(), metrics, journal);
    } catch (Exception e) {
      if (metrics != null) {
        metrics.close();
      }
      system.terminate();
      throw e;
    }
  }

  /** The actor system's configuration: the node's settings over its database's over {@code base}. */
  public static Config config(Settings settings, Config base) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("pekko.remote.artery.canonical.hostname", settings.host());
    overrides.put("pekko.remote.artery.canonical.port", settings.port());
    Discovery discovery = settings.discovery();
    if (discovery != null) {
      String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
      overrides.put("pekko.management.http.hostname", settings.host());
      overrides.put("pekko.management.http.bind-hostname", bindHostname(settings, base));
      overrides.put("pekko.management.http.port", discovery.managementPort());
      overrides.put(bootstrap + "discovery-method", discovery.method());
      overrides.put(bootstrap + "service-name", discovery.serviceName());
      overrides.put(bootstrap + "required-contact-point-nr", discovery.requiredContactPoints());
      overrides.put("pekko.discovery.kubernetes-api.pod-label-selector", "app=%s");
      if (KUBERNETES_API.equals(discovery.method())) {
        // The pod spec names the management port; a pod without such a port is not a contact point.
        overrides.put(bootstrap + "port-name", MANAGEMENT_PORT_NAME);
      }
    }
    // A node leaves the cluster cleanly on SIGTERM (its shards move before it goes).
    overrides.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "on");
    return ConfigFactory.parseMap(overrides).withFallback(settings.database().config()).withFallback(base);
  }

  /** Where the HTTP API and management listen: {@code norma.node.bind-hostname}, else the node's host. */
  private static String bindHostname(Settings settings, Config config) {
    String bind = config.getString("norma.node.bind-hostname");
    return bind.isBlank() ? settings.host() : bind;
  }

  private NormaNode(ActorSystem<Void> system, ServerBinding binding, String url, String address,
                    MetricsServer metrics, JournalCloser journal) {
    this.journal = journal;
    this.system = system;
    this.binding = binding;
    this.url = url;
    this.address = address;
    this.metrics = metrics;
  }

  /** The port of the node's Prometheus endpoint, or -1 without one. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The HTTP API's base URL. */
  public String url() {
    return url;
  }

  /** The node's cluster address ({@code pekko://norma@host:port}). */
  public String address() {
    return address;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Blocks until the node stops (SIGTERM, or {@link #close()}). */
  public void awaitTermination() throws Exception {
    system.getWhenTerminated().toCompletableFuture().get();
  }

  @Override
  public void close() {
    binding.unbind();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      // Shutting down anyway.
    }
    journal.close();
  }
}
