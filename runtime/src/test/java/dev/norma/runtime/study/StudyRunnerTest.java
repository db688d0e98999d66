package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local runner's one-member cluster ({@code one-node.conf}): it starts and ends without what
 * only a cluster of several needs, and a setting given as a system property keeps its value.
 * That a run on it computes what the plain loop does is ActorRunEqualsPlainLoopTest's.
 */
class StudyRunnerTest {

  @Test
  void aOneMemberClusterLeavesAtTheLeadersNextShortTick() {
    Config nodeDefaults = ConfigFactory.load();
    assertThat(nodeDefaults.getDuration("pekko.cluster.leader-actions-interval")).isEqualTo(Duration.ofSeconds(1));
    try (StudyRunner runner = new StudyRunner(nodeDefaults)) {
      Config config = runner.system().settings().config();
      assertThat(config.getDuration("pekko.cluster.leader-actions-interval")).isEqualTo(Duration.ofMillis(100));
      assertThat(config.getBoolean("pekko.cluster.jmx.enabled")).isFalse();
      assertThat(config.getDuration("pekko.cluster.sharding.coordinator-singleton.hand-over-retry-interval"))
          .isEqualTo(Duration.ofMillis(100));
      assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
    }
  }

  @Test
  void aSystemPropertyKeepsItsValue() {
    String key = "pekko.cluster.leader-actions-interval";
    System.setProperty(key, "250ms");
    ConfigFactory.invalidateCaches();
    try (StudyRunner runner = new StudyRunner()) {
      assertThat(runner.system().settings().config().getDuration(key)).isEqualTo(Duration.ofMillis(250));
    } finally {
      System.clearProperty(key);
      ConfigFactory.invalidateCaches();
    }
  }
}
