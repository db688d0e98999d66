package dev.norma.runtime.study;

import dev.norma.protocols.wire.CompactSerializable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * One run's crossings on one node: the plays, proposals and answers this node's agents (and its
 * matchmaker) send to agents on another node leave together, one {@link Delivery} per other node
 * for all that was sent to it since the last, and the deliveries from other nodes are handed to
 * the agents here. Artery then frames, queues and addresses one message per batch instead of one
 * per agent message, and the recipient of a crossing is named by its agent id, not by a reference
 * resolved on arrival.
 *
 * <p>Where an agent lives is learned as the run goes ({@link AgentsOnNode#learn}): from the
 * initiator's reference on a proposal that came through sharding, and from the sender named in
 * every crossing of a delivery. Until a shard's node is known, its agents are reached through
 * sharding as before. Only for runs whose shards never move (in memory, {@link StayingAllocation}),
 * so what was learned stays true; a turn that reaches a node whose agent is not live is handed to
 * the shard region there, which takes it to the agent wherever it is.
 *
 * <p>Batching costs no waiting: the first crossing put in an empty outbox asks this actor to
 * {@link Flush} it, and everything put in the outbox until the flush is taken up goes with it
 * (under load, that is many crossings per delivery; when idle, one). A delivery holds at most
 * {@link #MAX_DELIVERY} crossings, far below Artery's largest frame.
 *
 * <p>Order: crossings may overtake each other and messages sent through sharding; agents take
 * their turns in sequence order whatever order they arrive in, and an initiator waits for exactly
 * one answer. Lifecycle: a system actor at the same path on every node ({@link #name}), started
 * with the run's registry on the node and stopped with it.
 */
public final class Crossings extends AbstractBehavior<Crossings.Command> {
  /** The most crossings in one delivery: about 40 bytes each, so at most 40 KiB a frame. */
  static final int MAX_DELIVERY = 1024;

  public sealed interface Command permits Flush, Delivery {
  }

  /** Send what is in {@code outbox}; local only. */
  record Flush(AgentsOnNode.Outbox outbox) implements Command {
  }

  /**
   * One agent message for agent {@code to}, from agent {@code from} (-1: from the matchmaker).
   * {@code message} is a {@link AgentEntity.Play}, an {@link AgentEntity.Propose} (whose reply
   * reference does not cross: the answer goes back through crossings, to agent {@code from}) or
   * an {@link AgentEntity.Answer}.
   */
  public record Crossing(int to, int from, AgentEntity.Command message) {
  }

  /** Crossings from the node of {@code from} (its crossings actor) to this node's agents. */
  public record Delivery(ActorRef<Command> from, List<Crossing> crossings) implements Command, CompactSerializable {
  }

  /**
   * The node's counts of what it sent across, over all its runs: {@code norma_node_crossings_sent_total}
   * agent messages in {@code norma_node_crossing_deliveries_sent_total} deliveries (their ratio is
   * how many a delivery held on average).
   */
  public record Meters(Counter crossings, Counter deliveries) {
    public static Meters on(MeterRegistry registry) {
      return new Meters(
          Counter.builder("norma.node.crossings.sent")
              .description("Agent messages (plays, proposals, answers) this node sent to another node's agents in deliveries")
              .register(registry),
          Counter.builder("norma.node.crossing.deliveries.sent")
              .description("Deliveries of agent messages this node sent to other nodes").register(registry));
    }
  }

  /** The name of a run's crossings actor under {@code /system}, the same on every node. */
  static String name(String runId) {
    return "crossings-" + runId;
  }

  /**
   * @param here     the run's agents on this node, where deliveries go and what was learned is kept
   * @param agents   the run's shard region on this node, for a turn whose agent is not live here
   * @param registry the run's registry on this node: this actor stops when it does
   * @param meters   where it counts what it sends, or null
   */
  static Behavior<Command> create(AgentsOnNode here, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                                  ActorRef<?> registry, Meters meters) {
    return Behaviors.setup(context -> {
      context.watch(registry);
      return new Crossings(context, here, agents, meters);
    });
  }

  private final AgentsOnNode here;
  private final ActorRef<ShardingEnvelope<AgentEntity.Command>> agents;
  private final Meters meters;

  private Crossings(ActorContext<Command> context, AgentsOnNode here,
                    ActorRef<ShardingEnvelope<AgentEntity.Command>> agents, Meters meters) {
    super(context);
    this.here = here;
    this.agents = agents;
    this.meters = meters;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Flush.class, this::onFlush)
        .onMessage(Delivery.class, this::onDelivery)
        .onSignal(Terminated.class, terminated -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onFlush(Flush flush) {
    AgentsOnNode.Outbox outbox = flush.outbox();
    List<Crossing> crossings;
    while (!(crossings = outbox.drain(MAX_DELIVERY)).isEmpty()) {
      outbox.to().tell(new Delivery(getContext().getSelf(), crossings));
      if (meters != null) {
        meters.crossings().increment(crossings.size());
        meters.deliveries().increment();
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onDelivery(Delivery delivery) {
    for (Crossing crossing : delivery.crossings()) {
      if (crossing.from() >= 0) {
        here.learn(crossing.from(), delivery.from());
      }
      ActorRef<AgentEntity.Command> live = here.get(crossing.to());
      if (live != null) {
        live.tell(crossing.message());
      } else if (crossing.message() instanceof AgentEntity.Turn turn) {
        agents.tell(new ShardingEnvelope<>(Integer.toString(crossing.to()), turn));
      } else {
        // An answer for an initiator that is not live: it stopped, and its turn with it.
        getContext().getLog().warn("agent {} got an answer for interaction {} after it stopped", crossing.to(),
            ((AgentEntity.Answer) crossing.message()).index());
      }
    }
    return Behaviors.same();
  }
}
