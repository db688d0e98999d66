package dev.norma.runtime.study;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * How many agents are live actors on a node, over every run's shard region there: what
 * passivation leaves up. Asked from outside the actors (benchmarks, tests), never by them.
 */
public final class LiveAgents {
  private LiveAgents() {
  }

  /** Agents live on {@code system}'s node now. */
  public static int count(ActorSystem<?> system) throws Exception {
    ClusterSharding sharding = ClusterSharding.get(Adapter.toClassic(system));
    int live = 0;
    for (String typeName : sharding.getShardTypeNames()) {
      if (!typeName.startsWith(AgentEntity.TYPE_NAME_PREFIX)) {
        continue;
      }
      ActorRef region = sharding.shardRegion(typeName);
      CompletionStage<Object> state = Patterns.ask(region, ShardRegion.getShardRegionStateInstance(),
          Duration.ofSeconds(10));
      for (ShardRegion.ShardState shard
          : ((ShardRegion.CurrentShardRegionState) state.toCompletableFuture().get()).getShards()) {
        live += shard.getEntityIds().size();
      }
    }
    return live;
  }
}
