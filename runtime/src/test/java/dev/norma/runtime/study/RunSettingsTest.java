package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  private static RunSettings settings(int activeLimit, int churningLimit) {
    return new RunSettings(100, 256, Duration.ofMillis(20), Duration.ofMillis(250), Duration.ofSeconds(10),
        activeLimit, null, churningLimit, Duration.ofSeconds(30));
  }

  /** A run within the active limit keeps all its agents live; a larger one keeps the churning limit. */
  @Test
  void liveLimitIsTheChurningLimitOnlyBeyondTheActiveLimit() {
    RunSettings settings = settings(100_000, 10_000);
    assertThat(settings.passivates(100_000)).isFalse();
    assertThat(settings.passivates(100_001)).isTrue();
    assertThat(settings.liveLimit(100_001)).isEqualTo(10_000);
    assertThat(settings.liveLimit(1_000_000)).isEqualTo(10_000);
  }

  /** The churning limit never raises the active limit, and 0 leaves the active limit alone. */
  @Test
  void churningLimitIsCappedAndOptional() {
    assertThat(settings(6, 10_000).liveLimit(80)).isEqualTo(6);
    assertThat(settings(100_000, 0).liveLimit(1_000_000)).isEqualTo(100_000);
    assertThat(settings(0, 10_000).liveLimit(1_000_000)).isZero();
    assertThatThrownBy(() -> settings(100_000, -1)).hasMessageContaining("norma.agents.passivation.churning-limit");
  }

  /**
   * Agents journaled through the coordinator that wait for an answer while their shard moves are
   * stopped after one stall timeout (Pekko's handoff timeout less 5 s), not Pekko's 55 s.
   */
  @Test
  void agentsRestoredByTheCoordinatorAreStoppedForAHandoffAfterAStallTimeout() {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "settings",
        ConfigFactory.parseString("pekko.actor.provider = cluster").withFallback(ConfigFactory.load()));
    try {
      RunSettings settings = settings(100_000, 10_000);
      ClusterShardingSettings restored = settings.shardingSettings(system, 10_000, false, true);
      assertThat(restored.tuningParameters().handOffTimeout().toMillis())
          .isEqualTo(settings.stallTimeout().plusSeconds(5).toMillis());
      assertThat(settings.shardingSettings(system, 10_000, false, false).tuningParameters().handOffTimeout()
          .toSeconds()).as("Pekko's own").isEqualTo(60);
    } finally {
      system.terminate();
    }
  }
}
