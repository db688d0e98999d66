package dev.norma.runtime.node;

import dev.norma.runtime.testing.ClusterNodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.study.JournalDatabase;
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
 * config discovery, on loopback.
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
    try (NormaNode first = NormaNode.start(settings("one", database, management1), discovery);
         NormaNode second = NormaNode.start(settings("two", database, management2), discovery)) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (Instant.now().isBefore(deadline) && !(upMembers(first) == 2 && upMembers(second) == 2)) {
        Thread.sleep(200);
      }
      assertThat(upMembers(first)).isEqualTo(2);
      assertThat(upMembers(second)).isEqualTo(2);
    }
  }

  private NormaNode.Settings settings(String name, JournalDatabase database, int managementPort) {
    return new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), temp.resolve(name), null, database,
        new NormaNode.Discovery("config", "norma-test", managementPort, 2));
  }

  private static long upMembers(NormaNode node) {
    return java.util.stream.StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }
}
