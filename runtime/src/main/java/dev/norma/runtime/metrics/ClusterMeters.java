package dev.norma.runtime.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's view of the cluster as gauges, read from the membership state at every scrape:
 * {@code norma_cluster_members{status}} (status one of {@link #STATUSES}) and
 * {@code norma_cluster_unreachable_members}. Every node reports its own view, so a dashboard
 * takes the maximum over nodes, and a node whose view differs from the others' stands out.
 */
public final class ClusterMeters {
  /** Member statuses, as tag values. */
  public static final List<String> STATUSES = List.of("joining", "weakly-up", "up", "leaving", "exiting", "down");

  private ClusterMeters() {
  }

  public static void register(MeterRegistry registry, Cluster cluster) {
    for (String status : STATUSES) {
      Gauge.builder("norma.cluster.members", cluster, c -> count(c, status)).tag("status", status)
          .description("cluster members in this status, as this node sees them").register(registry);
    }
    Gauge.builder("norma.cluster.unreachable.members", cluster, c -> c.state().getUnreachable().size())
        .description("members this node's failure detector finds unreachable").register(registry);
  }

  private static long count(Cluster cluster, String status) {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(member -> tag(member).equals(status)).count();
  }

  /** {@code WeaklyUp} becomes {@code weakly-up}. */
  static String tag(Member member) {
    MemberStatus status = member.status();
    return status.toString().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
