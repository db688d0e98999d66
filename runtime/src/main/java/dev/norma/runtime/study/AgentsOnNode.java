package dev.norma.runtime.study;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * The live agents of one run on this node, by id: each agent registers its own reference when it
 * takes its first message, and a partner on the same node is then told directly instead of
 * through the run's shard region and shard (two mailboxes fewer per proposal). Only for runs
 * whose agents stay where they are while the run lasts: in memory, not passivated (a population
 * within the active limit), on shards that never move ({@link StayingAllocation}); or journaled
 * through the coordinator ({@link AgentLedger}), whose agents move only when a node joins and
 * unregister as they stop, however they stop (a turn told to one in that moment is lost, and the
 * coordinator's restart after a stall admits it again). An agent not registered here — not
 * started yet, or on another node — is reached through sharding as before.
 * A turn that overtakes an earlier one this way is set aside until its turn, as any early turn is.
 *
 * <p>With {@linkplain #startCrossings crossings} (in memory, shards spread over nodes) it also
 * keeps which node holds each shard, as far as this node has learned it, and an {@link Outbox}
 * per other node: an agent on another node is then reached through {@link Crossings}, many
 * messages in one.
 */
public final class AgentsOnNode {
  private final AtomicReferenceArray<ActorRef<AgentEntity.Command>> agents;
  /** By shard: the outbox to the node holding it, once learned; null here or without crossings. */
  private final AtomicReferenceArray<Outbox> routes;
  private final ConcurrentHashMap<Address, Outbox> outboxes = new ConcurrentHashMap<>();
  /** This node's crossings actor; null until started (and for good without crossings). */
  private volatile ActorRef<Crossings.Command> crossings;
  private volatile ActorRefResolver resolver;
  private volatile String crossingsName;

  AgentsOnNode(int population) {
    this(population, 0);
  }

  /** @param shards the run's shard count, when it may use crossings (0: never) */
  AgentsOnNode(int population, int shards) {
    this.agents = new AtomicReferenceArray<>(population);
    this.routes = shards > 0 ? new AtomicReferenceArray<>(shards) : null;
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

  /**
   * From now on, agents on other nodes are reached through {@code self}, this node's crossings
   * actor of run {@code runId}, once their node is learned.
   */
  void startCrossings(ActorRefResolver resolver, String runId, ActorRef<Crossings.Command> self) {
    if (routes == null) {
      throw new IllegalStateException("this run's agents were not set up for crossings");
    }
    this.resolver = resolver;
    this.crossingsName = Crossings.name(runId);
    this.crossings = self;
  }

  /**
   * Agent {@code agent} lives where {@code ref} does: {@code ref} is the agent's own reference,
   * or the crossings actor of its node. Nothing to learn without crossings, when known already or
   * when {@code ref} is on this node.
   */
  void learn(int agent, ActorRef<?> ref) {
    if (routes == null || crossings == null) {
      return;
    }
    int shard = Math.floorMod(agent, routes.length());
    if (routes.get(shard) != null) {
      return;
    }
    Address address = ref.path().address();
    if (address.hasLocalScope()) {
      return;
    }
    boolean isCrossings = ref.path().name().equals(crossingsName);
    routes.set(shard, outboxes.computeIfAbsent(address, at -> new Outbox(isCrossings
        ? ref.unsafeUpcast()
        : resolver.resolveActorRef(at + "/system/" + crossingsName))));
  }

  /**
   * Sends {@code message} to agent {@code to} on another node through crossings, when its node is
   * known; false when it is not (then reach it through sharding).
   *
   * @param from the sending agent, or -1 for the matchmaker
   */
  boolean sendAcross(int to, int from, AgentEntity.Command message) {
    ActorRef<Crossings.Command> self = crossings;
    if (self == null) {
      return false;
    }
    Outbox outbox = routes.get(Math.floorMod(to, routes.length()));
    if (outbox == null) {
      return false;
    }
    if (outbox.add(new Crossings.Crossing(to, from, message))) {
      self.tell(new Crossings.Flush(outbox));
    }
    return true;
  }

  /** What waits to cross to one other node, and that node's crossings actor. */
  static final class Outbox {
    private final ActorRef<Crossings.Command> to;
    private List<Crossings.Crossing> pending = new ArrayList<>();

    Outbox(ActorRef<Crossings.Command> to) {
      this.to = to;
    }

    ActorRef<Crossings.Command> to() {
      return to;
    }

    /** Adds a crossing; true when the outbox was empty (then ask for a flush). */
    synchronized boolean add(Crossings.Crossing crossing) {
      pending.add(crossing);
      return pending.size() == 1;
    }

    /** Takes out at most {@code max} crossings, the oldest first; empty when there are none. */
    synchronized List<Crossings.Crossing> drain(int max) {
      List<Crossings.Crossing> out;
      if (pending.size() <= max) {
        out = pending;
        pending = new ArrayList<>(Math.min(Math.max(16, out.size()), max));
      } else {
        List<Crossings.Crossing> head = pending.subList(0, max);
        out = new ArrayList<>(head);
        head.clear();
      }
      return out;
    }
  }
}
