package dev.norma.runtime.study;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The live agents of one run on this node, by id: each agent registers its own reference when it
 * takes its first message, and a partner on the same node is then told directly instead of
 * through the run's shard region and shard (two mailboxes fewer per proposal). Only for runs
 * whose agents stay where they are while the run lasts: in memory, not passivated (a population
 * within the active limit), on shards that never move ({@link StayingAllocation}); or journaled
 * through the coordinator ({@link AgentLedger}), whose agents move only when a node joins and
 * unregister as they stop (a turn told to one in that moment is lost, and the coordinator's
 * restart after a stall admits it again). An agent not registered here — not started yet, or on
 * another node — is reached through sharding as before.
 * A turn that overtakes an earlier one this way is set aside until its turn, as any early turn is.
 */
public final class AgentsOnNode {
  private final AtomicReferenceArray<ActorRef<AgentEntity.Command>> agents;

  AgentsOnNode(int population) {
    this.agents = new AtomicReferenceArray<>(population);
  }

  void register(int agent, ActorRef<AgentEntity.Command> self) {
    agents.set(agent, self);
  }

  /** The agent stopped: reach its next incarnation through sharding (unless another registered since). */
  void unregister(int agent, ActorRef<AgentEntity.Command> self) {
    agents.compareAndSet(agent, self, null);
  }

  /** The agent's reference on this node, or null: reach it through sharding. */
  ActorRef<AgentEntity.Command> get(int agent) {
    return agents.get(agent);
  }
}
