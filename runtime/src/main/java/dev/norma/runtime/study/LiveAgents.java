package dev.norma.runtime.study;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.pattern.Patterns;

/**
 * How many agents are live actors on a node, over every run's shard region there: what
 * passivation leaves up; and passivating them all once their runs are over, to measure what idle
 * agents cost. Asked from outside the actors (benchmarks, tests), never by them.
 */
public final class LiveAgents {
  private LiveAgents() {
  }

  /** Agents live on {@code system}'s node now. */
  public static int count(ActorSystem<?> system) throws Exception {
    return visit(system, (region, id) -> { });
  }

  /**
   * Passivates every in-memory agent live on {@code system}'s node, of runs that are over (a
   * turn still coming would spawn its agent again), and waits until none is live.
   *
   * @throws IllegalStateException when some are still live after {@code patience}
   */
  public static void passivateAll(ActorSystem<?> system, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    int left = visit(system, (region, id) -> region.tell(new ShardingEnvelope<>(id, AgentEntity.Rest.INSTANCE),
        ActorRef.noSender()));
    while (left > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(left + " agents still live " + patience.toSeconds() + " s after asked to rest");
      }
      Thread.sleep(100);
      left = count(system);
    }
  }

  /** Calls {@code visitor} with each live agent's region and id; how many there were. */
  private static int visit(ActorSystem<?> system, BiConsumer<ActorRef, String> visitor) throws Exception {
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
        for (String id : shard.getEntityIds()) {
          visitor.accept(region, id);
          live++;
        }
      }
    }
    return live;
  }
}
