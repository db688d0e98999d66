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
 */
public record RunSettings(int shards, int registryBatchSize, Duration registryFlushInterval,
                          Duration progressInterval, Duration stallTimeout) {

  public static RunSettings fromConfig(Config config) {
    Config norma = config.getConfig("norma");
    return new RunSettings(
        norma.getInt("agents.shards"),
        norma.getInt("registry.batch-size"),
        norma.getDuration("registry.flush-interval"),
        norma.getDuration("progress.interval"),
        norma.getDuration("recovery.stall-timeout"));
  }

  /** Agents are never passivated: a non-durable agent's mind lives only in its entity. */
  ClusterShardingSettings shardingSettings(ActorSystem<?> system) {
    return ClusterShardingSettings.create(system).withNoPassivationStrategy();
  }
}
