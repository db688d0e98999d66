package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.ClusterNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes find each other without seed nodes, through Pekko Management's cluster bootstrap (as on
 * Kubernetes, where the discovery method is kubernetes-api); here the contact points come from
 * config discovery, on loopback. The management endpoint also answers Kubernetes' probes.
 */
class ClusterBootstrapTest {
  @TempDir
  Path temp;

  @Test
  void twoNodesFindEachOtherThroughTheirContactPointsAndFormOneCluster() throws Exception {
    int management1 = ClusterNodes.freePort();
    int management2 = ClusterNodes.freePort();
    Config discovery = ConfigFactory.parseString("""
        pekko.discovery.config.services.norma-test.endpoints = [
          {host = "127.0.0.1", port = %d}, {host = "127.0.0.1", port = %d}]
        pekko.management.cluster.bootstrap.contact-point-discovery {
          interval = 200ms
          stable-margin = 1s
        }
        pekko.management.cluster.bootstrap.contact-point {
          probe-interval = 200ms
          # Both contact points are on one host, on different ports (on Kubernetes each pod has
          # its own address and the same port, and the default filter applies).
          filter-on-fallback-port = false
        }
        """.formatted(management1, management2)).withFallback(ConfigFactory.load());
    JournalDatabase database = JournalDatabase.h2(temp.resolve("journal"));
    try (NormaNode first = NormaNode.start(settings("one", database, management1, "norma-test"), discovery);
         NormaNode second = NormaNode.start(settings("two", database, management2, "norma-test"), discovery)) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (Instant.now().isBefore(deadline) && !(upMembers(first) == 2 && upMembers(second) == 2)) {
        Thread.sleep(200);
      }
      assertThat(upMembers(first)).isEqualTo(2);
      assertThat(upMembers(second)).isEqualTo(2);
      // What the Kubernetes probes ask: both answer once the node is an Up member.
      assertThat(status(management1, "/alive")).isEqualTo(200);
      assertThat(status(management1, "/ready")).isEqualTo(200);
      // What Prometheus scrapes from a node.
      String scrape = get("http://127.0.0.1:" + first.metricsPort() + "/metrics").body();
      assertThat(scrape).containsPattern("norma_cluster_members\\{status=\"up\"\\} 2(\\.0)?\\n")
          .containsPattern("norma_cluster_unreachable_members 0(\\.0)?\\n")
          .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds");
    }
  }

  @Test
  void aNodeThatHasNotFoundEnoughContactPointsIsAliveButNotReady() throws Exception {
    int management = ClusterNodes.freePort();
    // Two contact points are required and discovery lists only this node: it never forms a cluster.
    Config discovery = ConfigFactory.parseString("""
        pekko.discovery.config.services.norma-alone.endpoints = [{host = "127.0.0.1", port = %d}]
        """.formatted(management)).withFallback(ConfigFactory.load());
    try (NormaNode node = NormaNode.start(settings("alone", JournalDatabase.h2(temp.resolve("journal")),
        management, "norma-alone"), discovery)) {
      assertThat(status(management, "/alive")).isEqualTo(200);
      // Pekko Management answers a failed check with 500; any status from 400 fails a probe.
      assertThat(status(management, "/ready")).isEqualTo(500);
    }
  }

  @Test
  void onKubernetesTheContactPointIsThePodPortNamedManagement() {
    NormaNode.Settings settings = new NormaNode.Settings("10.0.0.7", 2552, 8558, List.of(), temp, null,
        JournalDatabase.h2(temp.resolve("journal")),
        new NormaNode.Discovery(NormaNode.KUBERNETES_API, "norma", 7626, 3));
    Config config = NormaNode.config(settings,
        ConfigFactory.parseString("norma.node.bind-hostname = \"0.0.0.0\"").withFallback(ConfigFactory.load()));
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertThat(config.getString(bootstrap + "port-name")).isEqualTo("management");
    assertThat(config.getString(bootstrap + "discovery-method")).isEqualTo("kubernetes-api");
    assertThat(config.getInt(bootstrap + "required-contact-point-nr")).isEqualTo(3);
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-label-selector")).isEqualTo("app=%s");
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("10.0.0.7");
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7626);
    // Listening on every interface lets kubectl port-forward in; other nodes still learn the pod's address.
    assertThat(config.getString("pekko.management.http.bind-hostname")).isEqualTo("0.0.0.0");
    assertThat(NormaNode.config(new NormaNode.Settings("10.0.0.7", 2552, 8558, List.of(), temp, null,
        JournalDatabase.h2(temp.resolve("journal")), settings.discovery()), ConfigFactory.load())
        .getString("pekko.management.http.bind-hostname")).isEqualTo("10.0.0.7");
    // /ready waits for the node to be a member (pekko-management-cluster-http's check).
    assertThat(config.getStringList("pekko.management.cluster.health-check.ready-states")).contains("Up");
    assertThat(config.getString("pekko.management.health-checks.readiness-checks.cluster-membership")).isNotBlank();
  }

  private NormaNode.Settings settings(String name, JournalDatabase database, int managementPort, String service) {
    return new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), temp.resolve(name), null, database,
        new NormaNode.Discovery("config", service, managementPort, 2), new NormaNode.Metrics("127.0.0.1", 0));
  }

  private static int status(int managementPort, String path) throws Exception {
    return get("http://127.0.0.1:" + managementPort + path).statusCode();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long upMembers(NormaNode node) {
    return java.util.stream.StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }
}
