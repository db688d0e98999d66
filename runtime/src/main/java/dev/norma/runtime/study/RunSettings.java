package dev.norma.runtime.study;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;

/**
 * The runtime's tunables, read once from {@code norma.*} in config.
 *
 * @param shards                number of shards agents are spread over (fixed for a run; about
 *                              ten per node you may grow to)
 * @param registryBatchSize     interactions per batch from a node's norm registry
 * @param registryFlushInterval longest a partial batch waits
 * @param progressInterval      how often progress is reported
 * @param stallTimeout          how long a journaled run may record nothing before it re-drives
 *                              the interactions in flight (after a lost node)
 * @param activeAgentLimit      live in-memory agents a node keeps per run before sharding
 *                              passivates the least recently used (0: no limit); a run of no
 *                              more agents than this keeps them all live
 * @param idleAgentTimeout      how long an in-memory agent may go without a message before it is
 *                              passivated; null: never for that
 * @param churningAgentLimit    live in-memory agents a node keeps per run when the run has more
 *                              agents than {@code activeAgentLimit} (at most that; 0: that)
 * @param inMemoryGiveUp        how long a rule-based run in memory on a cluster may record nothing,
 *                              re-driving every {@code stallTimeout}, before it fails (what was lost
 *                              between nodes cannot all be played again in memory)
 */
public record RunSettings(int shards, int registryBatchSize, Duration registryFlushInterval,
                          Duration progressInterval, Duration stallTimeout, int activeAgentLimit,
                          Duration idleAgentTimeout, int churningAgentLimit, Duration inMemoryGiveUp) {

  /** How much longer than it waits for an entity to stop Pekko gives a shard's whole handoff. */
  static final Duration HANDOFF_BEYOND_FORCED_STOP = Duration.ofSeconds(5);

  public RunSettings {
    if (activeAgentLimit < 0) {
      throw new IllegalArgumentException("norma.agents.passivation.active-limit must be 0 (none) or positive, not "
          + activeAgentLimit);
    }
    if (churningAgentLimit < 0) {
      throw new IllegalArgumentException("norma.agents.passivation.churning-limit must be 0 (the active limit) or "
          + "positive, not " + churningAgentLimit);
    }
  }

  public static RunSettings fromConfig(Config config) {
    Config norma = config.getConfig("norma");
    String idle = norma.getString("agents.passivation.idle-timeout");
    return new RunSettings(
        norma.getInt("agents.shards"),
        norma.getInt("registry.batch-size"),
        norma.getDuration("registry.flush-interval"),
        norma.getDuration("progress.interval"),
        norma.getDuration("recovery.stall-timeout"),
        norma.getInt("agents.passivation.active-limit"),
        "off".equalsIgnoreCase(idle) ? null : norma.getDuration("agents.passivation.idle-timeout"),
        norma.getInt("agents.passivation.churning-limit"),
        norma.getDuration("recovery.in-memory-give-up"));
  }

  /**
   * Whether the in-memory agents of a run of {@code population} agents are passivated: by the idle
   * timeout, or by the active limit when there are more agents than it allows. A run within the
   * limit has no passivation strategy at all, so it pays nothing for it (no recency list per
   * live agent, no store).
   */
  boolean passivates(int population) {
    return idleAgentTimeout != null || (activeAgentLimit > 0 && population > activeAgentLimit);
  }

  /**
   * Live in-memory agents a node keeps for a run of {@code population} agents (0: no limit): the
   * active limit, or the churning limit below it once the population exceeds the active limit.
   * Such a run churns whatever it keeps live (a turn finds its agent live with a chance of about
   * live ÷ population), and live actors that outlast several young collections cost the collector
   * more than the few spawns a larger live set saves.
   */
  int liveLimit(int population) {
    if (activeAgentLimit == 0 || population <= activeAgentLimit || churningAgentLimit == 0) {
      return activeAgentLimit;
    }
    return Math.min(activeAgentLimit, churningAgentLimit);
  }

  /**
   * Sharding of the agents of a run of {@code population}. In-memory agents
   * ({@code passivating}, see {@link #passivates}) are passivated by sharding's own strategy,
   * least recently used beyond the {@link #liveLimit} and after the idle timeout, into the node's
   * {@link PassivatedAgents}. Durable agents are not passivated: one that stopped while it waited
   * for its partner's answer would lose it, and its interaction would wait for the run's re-drive.
   *
   * <p>Agents journaled through the coordinator ({@code restoredByCoordinator}, see
   * {@link AgentLedger}) move when a node joins. One that still waits for an answer when its shard
   * is handed off may wait for good: its partner's proposal can be held in a region for that same
   * shard until the handoff is over. Pekko stops such an agent after the handoff timeout less 5 s
   * (60 s by default, all that time the run stands still). For these agents the handoff timeout is
   * the stall timeout plus 5 s: one that waits is stopped after a stall timeout, and the restart
   * the coordinator makes when nothing is recorded gives its next incarnation its state.
   */
  ClusterShardingSettings shardingSettings(ActorSystem<?> system, int population, boolean passivating,
                                           boolean restoredByCoordinator) {
    ClusterShardingSettings settings = ClusterShardingSettings.create(system);
    if (restoredByCoordinator) {
      settings = settings.withTuningParameters(settings.tuningParameters()
          .withHandOffTimeout(stallTimeout.plus(HANDOFF_BEYOND_FORCED_STOP)));
    }
    if (!passivating) {
      return settings.withNoPassivationStrategy();
    }
    ClusterShardingSettings.PassivationStrategySettings strategy =
        ClusterShardingSettings.PassivationStrategySettings$.MODULE$.disabled();
    int live = liveLimit(population);
    if (live > 0) {
      strategy = strategy.withActiveEntityLimit(live).withLeastRecentlyUsedReplacement();
    }
    if (idleAgentTimeout != null) {
      strategy = strategy.withIdleEntityPassivation(idleAgentTimeout);
    }
    return settings.withPassivationStrategy(strategy);
  }
}
