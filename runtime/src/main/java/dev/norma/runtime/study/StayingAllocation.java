package dev.norma.runtime.study;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Shard allocation for non-durable agents (and an encounter game's, whose minds the entities hold): a new shard goes to the node holding the fewest, and a
 * shard, once placed, never moves. Rebalancing hands a shard off by stopping its entities, and a
 * non-durable agent's mind lives only in its entity: moving it would lose it silently.
 *
 * <p>A run placed on one node ({@code home}) has every shard allocated to that node's region (to the
 * asking region until the home's has registered), so its agents never message across nodes.
 */
public final class StayingAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
  private final Address home;
  private final Address self;

  /** Spread over the nodes, the least loaded first. */
  public StayingAllocation() {
    this(null, null);
  }

  /**
   * @param home the node every shard goes to, or null to spread them
   * @param self this node's address: a region here is named by a local reference, without one
   */
  public StayingAllocation(Address home, Address self) {
    this.home = home;
    this.self = self;
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                        Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    if (home != null) {
      for (ActorRef region : currentShardAllocations.keySet()) {
        Address at = region.path().address();
        if (home.equals(at.hasLocalScope() ? self : at)) {
          return Futures.successful(region);
        }
      }
      return Futures.successful(requester);
    }
    ActorRef least = requester;
    int fewest = Integer.MAX_VALUE;
    for (Map.Entry<ActorRef, IndexedSeq<String>> entry : currentShardAllocations.entrySet()) {
      int held = entry.getValue().size();
      if (held < fewest || (held == fewest && entry.getKey().compareTo(least) < 0)) {
        least = entry.getKey();
        fewest = held;
      }
    }
    return Futures.successful(least);
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
                                       Set<String> rebalanceInProgress) {
    return Futures.successful(Collections.emptySet());
  }
}
