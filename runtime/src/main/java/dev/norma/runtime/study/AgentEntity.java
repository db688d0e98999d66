package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.wire.CborSerializable;
import dev.norma.protocols.wire.CompactSerializable;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One agent of a study: a cluster-sharded entity with its own mailbox and mind (context window or
 * inventory, random stream). Entity ids are agent ids; the entity type is scoped by run id.
 *
 * <p>Protocol, peer to peer (two sharded hops per interaction): the matchmaker sends
 * {@link Play} to the initiator; the initiator produces its word and sends {@link Propose} to the
 * responder through sharding; the responder answers with {@link Answer} straight to the
 * initiator's ref; the initiator concludes and reports the {@link InteractionRecord} to its node's
 * norm registry.
 *
 * <p>Order: interactions may overlap across the population, but each agent applies its own in
 * index order. Every message carries the agent's sequence number for that interaction (assigned
 * by the matchmaker); an entity sets aside messages that arrive early and takes them up in turn,
 * and sets aside everything while it waits for its partner's answer. So a run equals, interaction
 * for interaction, the single-threaded loop of the same seed. (The lowest unfinished interaction
 * can always proceed: all earlier ones of both its agents are finished. No deadlock.) That logic
 * lives in {@link AgentCore}, shared with {@link DurableAgentEntity}; this shell applies what the
 * core settles at once and sends the messages.
 *
 * <p>Language-model agents ({@link StudyContext#deliberation()} set) decide asynchronously: the
 * initiator renders its prompt and asks the node's inference gateway before it proposes; the
 * responder does the same before it answers. The answer comes back as a {@link Decided} message
 * piped to the agent itself, and until then the agent sets aside every other turn, as while it
 * waits for an answer. A decision that is {@link LlmDeliberation#NO_CHOICE} makes the interaction
 * invalid: the responder of an invalid proposal does not decide, neither side changes its memory,
 * and the record says {@code valid=false}. Committed agents are never prompted. The rule-based
 * path is unchanged: no extra message.
 *
 * <p>Lifecycle: spawned by sharding on its first message, built from the run's plan; never
 * passivated while its run lasts (a non-durable agent's mind lives only here). On failure it is
 * restarted by sharding with a fresh mind — durable recovery comes with persistence.
 *
 * <p>It extends {@link ExtensibleBehavior} rather than {@code AbstractBehavior}: a study may hold
 * millions of idle agents, and a per-instance receive builder costs about 300 bytes each.
 */
public final class AgentEntity extends ExtensibleBehavior<AgentEntity.Command> implements AgentCore.Shell {

  /** The entity type of one run's agents. */
  public static EntityTypeKey<Command> typeKey(String runId) {
    return EntityTypeKey.create(Command.class, "agent-" + runId);
  }

  public sealed interface Command extends CborSerializable
      permits Turn, Answer, Retire, Decided, DecisionAbandoned, DurableAgentEntity.TakeUpSetAsideTurns {
  }

  /** Stop: sharding's stop message for this entity type (handoff, end of run). */
  public enum Retire implements Command {
    INSTANCE
  }

  /** A message that starts this agent's part in an interaction, taken up in sequence order. */
  public sealed interface Turn extends Command permits Play, Propose {
    /** This agent's sequence number for the interaction: its count of earlier interactions. */
    int sequence();
  }

  /**
   * To the initiator: play interaction {@code index} with {@code partner}.
   *
   * @param settledBelow every interaction below this index is recorded for good, so a durable
   *                     agent may forget what it kept to answer again for them (0: unknown)
   */
  public record Play(long index, int partner, int sequence, int partnerSequence, long settledBelow)
      implements Turn, CompactSerializable {
    public Play(long index, int partner, int sequence, int partnerSequence) {
      this(index, partner, sequence, partnerSequence, 0);
    }
  }

  /** To the responder: the initiator's word for interaction {@code index}. */
  public record Propose(long index, int initiator, int word, int sequence,
                        ActorRef<Command> replyTo, long settledBelow) implements Turn, CompactSerializable {
    public Propose(long index, int initiator, int word, int sequence, ActorRef<Command> replyTo) {
      this(index, initiator, word, sequence, replyTo, 0);
    }
  }

  /** The agent's own language-model decision for interaction {@code index}; never crosses nodes. */
  record Decided(long index, int word) implements Command {
  }

  /**
   * Internal: the decision for interaction {@code index} was cut short because the run is
   * stopping (its gateway closed). Nothing is decided: the turn is asked again when a durable run
   * resumes, and an ended run does not need it.
   */
  record DecisionAbandoned(long index) implements Command {
  }

  /** What a finished decision becomes: the word, no choice (a failed call), or nothing (stopping). */
  static Command decided(long index, Integer word, Throwable failure) {
    if (failure != null && dev.norma.runtime.inference.GatewayClosedException.causedBy(failure)) {
      return new DecisionAbandoned(index);
    }
    return new Decided(index, failure == null ? word : LlmDeliberation.NO_CHOICE);
  }

  /**
   * To the initiator, directly: the responder's side of interaction {@code index}; {@code word} is
   * {@link LlmDeliberation#NO_CHOICE} when the responder had no usable answer.
   */
  public record Answer(long index, int word, boolean success, boolean committed, int inventory,
                       int soleWord) implements Command, CompactSerializable {
  }

  /** Starts (on this node) the shard region of one run's agents. */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system, String runId, RunSettings settings, IntFunction<Behavior<Command>> behaviorFor) {
    return ClusterSharding.get(system).init(
        Entity.of(typeKey(runId), entityContext -> behaviorFor.apply(AgentShards.parseAgentId(entityContext.getEntityId())))
            .withStopMessage(Retire.INSTANCE)
            .withSettings(settings.shardingSettings(system))
            .withMessageExtractor(new AgentShards(settings.shards())));
  }

  /** A fresh agent; its mind is built from the run's plan. */
  public static Behavior<Command> create(int agentId, StudyContext study) {
    return new AgentEntity(agentId, study);
  }

  private final StudyContext study;
  /** Turn order and the game's steps; it keeps nothing to answer again for (no re-drive in memory). */
  private final AgentCore core;
  /** This agent's context (the same for its whole life), kept from its first message. */
  private TypedActorContext<Command> context;

  private AgentEntity(int agentId, StudyContext study) {
    this.study = study;
    this.core = new AgentCore(study, study.plan().newMind(agentId), false);
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> context, Command command) {
    if (this.context == null) {
      this.context = context;
    }
    if (command instanceof Play play) {
      core.onPlay(play, this);
    } else if (command instanceof Propose propose) {
      core.onPropose(propose, this);
    } else if (command instanceof Answer answer) {
      if (!core.onAnswer(answer, this)) {
        context.asJava().getLog().warn("agent {} got an answer for interaction {} it is not waiting for",
            core.mind().id(), answer.index());
      }
    } else if (command instanceof Decided decided) {
      if (!core.onDecided(decided.index(), decided.word(), this)) {
        context.asJava().getLog().warn("agent {} got a decision for interaction {} it is not deciding",
            core.mind().id(), decided.index());
      }
    } else if (command instanceof DecisionAbandoned) {
      return this;
    } else if (command instanceof Retire) {
      return Behaviors.stopped();
    } else {
      return Behaviors.unhandled();
    }
    return this;
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> context, Signal signal) {
    return Behaviors.unhandled();
  }

  @Override
  public void propose(Play play, int word) {
    study.agents().tell(new ShardingEnvelope<>(Integer.toString(play.partner()),
        new Propose(play.index(), core.mind().id(), word, play.partnerSequence(), context.asJava().getSelf())));
  }

  /** Asks the agent's language model; the decision comes back as {@link Decided}. */
  @Override
  public void deliberate(Mind mind, long index, LlmRequest.Role role) {
    context.asJava().pipeToSelf(study.deliberation().decide(mind, index, role),
        (word, failure) -> decided(index, word, failure));
  }

  @Override
  public boolean answerSettled(Propose propose, Integer decidedWord) {
    propose.replyTo().tell(core.applyAnswered(propose.index(), propose.sequence(), propose.word(),
        propose.settledBelow(), decidedWord));
    return true;
  }

  @Override
  public boolean playSettled(Play play, int ownWord, Answer answer) {
    study.registry().tell(new NormRegistry.InteractionFinished(core.applyPlayed(play.index(), play.partner(),
        play.sequence(), ownWord, answer.word(), answer.success(), answer.committed(), answer.inventory(),
        answer.soleWord(), play.settledBelow())));
    return true;
  }

  /** Never asked: an agent in memory keeps nothing to answer again for. */
  @Override
  public void reportAgain(InteractionRecord record) {
    study.registry().tell(new NormRegistry.InteractionFinished(record));
  }

  /** Never asked: an agent in memory keeps nothing to answer again for. */
  @Override
  public void answerAgain(Propose propose, Answer answer) {
    propose.replyTo().tell(answer);
  }
}
