package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.InteractionRecord;
import dev.norma.protocols.wire.CborSerializable;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.ArrayList;
import java.util.List;
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
 * can always proceed: all earlier ones of both its agents are finished. No deadlock.)
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
public final class AgentEntity extends ExtensibleBehavior<AgentEntity.Command> {

  /** The entity type of one run's agents. */
  public static EntityTypeKey<Command> typeKey(String runId) {
    return EntityTypeKey.create(Command.class, "agent-" + runId);
  }

  public sealed interface Command extends CborSerializable
      permits Turn, Answer, Retire, Decided, DecisionAbandoned, DurableAgentEntity.TakeUp {
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
      implements Turn {
    public Play(long index, int partner, int sequence, int partnerSequence) {
      this(index, partner, sequence, partnerSequence, 0);
    }
  }

  /** To the responder: the initiator's word for interaction {@code index}. */
  public record Propose(long index, int initiator, int word, int sequence,
                        ActorRef<Command> replyTo, long settledBelow) implements Turn {
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
                       int soleWord) implements Command {
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
  private final Mind mind;
  private ActorRef<Command> self;
  private int nextSequence;
  /** While waiting for an answer: the pending play; else null. */
  private Play waitingFor;
  private int ownWord;
  private boolean committedNow;
  /** Messages set aside until their turn; null until first needed (most agents never need it). */
  private List<Turn> setAside;
  /** A language-model responder waiting for its own decision: the proposal; else null. */
  private Propose deciding;

  private AgentEntity(int agentId, StudyContext study) {
    this.study = study;
    this.mind = study.plan().newMind(agentId);
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> context, Command command) {
    if (self == null) {
      self = context.asJava().getSelf();
    }
    if (command instanceof Play play) {
      return onPlay(play, context);
    } else if (command instanceof Propose propose) {
      return onPropose(propose, context);
    } else if (command instanceof Answer answer) {
      return onAnswer(answer, context);
    } else if (command instanceof Decided decided) {
      return onDecided(decided, context);
    } else if (command instanceof DecisionAbandoned) {
      return this;
    } else if (command instanceof Retire) {
      return Behaviors.stopped();
    }
    return Behaviors.unhandled();
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> context, Signal signal) {
    return Behaviors.unhandled();
  }

  private Behavior<Command> onPlay(Play play, TypedActorContext<Command> context) {
    if (waitingFor != null || deciding != null || play.sequence() != nextSequence) {
      setAside(play);
      return this;
    }
    start(play, context);
    return this;
  }

  private void start(Play play, TypedActorContext<Command> context) {
    committedNow = mind.committedAt(play.index());
    waitingFor = play;
    if (study.deliberation() != null && !committedNow) {
      deliberate(play.index(), LlmRequest.INITIATOR, context);
      return;
    }
    ownWord = study.plan().game().produce(mind, play.index());
    propose(play);
  }

  private void propose(Play play) {
    study.agents().tell(new ShardingEnvelope<>(Integer.toString(play.partner()),
        new Propose(play.index(), mind.id(), ownWord, play.partnerSequence(), self)));
  }

  /** Asks the agent's language model; the decision comes back as {@link Decided}. */
  private void deliberate(long index, String role, TypedActorContext<Command> context) {
    context.asJava().pipeToSelf(study.deliberation().decide(mind, index, role),
        (word, failure) -> decided(index, word, failure));
  }

  private Behavior<Command> onDecided(Decided decided, TypedActorContext<Command> context) {
    if (deciding != null && deciding.index() == decided.index()) {
      Propose propose = deciding;
      deciding = null;
      reply(propose, decided.word());
      takeUpSetAside(context);
    } else if (waitingFor != null && waitingFor.index() == decided.index()) {
      ownWord = decided.word();
      propose(waitingFor);
    } else {
      context.asJava().getLog().warn("agent {} got a decision for interaction {} it is not deciding", mind.id(),
          decided.index());
    }
    return this;
  }

  private Behavior<Command> onPropose(Propose propose, TypedActorContext<Command> context) {
    if (waitingFor != null || deciding != null || propose.sequence() != nextSequence) {
      setAside(propose);
      return this;
    }
    answer(propose, context);
    takeUpSetAside(context);
    return this;
  }

  private void answer(Propose propose, TypedActorContext<Command> context) {
    boolean committed = mind.committedAt(propose.index());
    if (study.deliberation() != null && !committed && propose.word() != LlmDeliberation.NO_CHOICE) {
      deciding = propose;
      deliberate(propose.index(), LlmRequest.RESPONDER, context);
      return;
    }
    if (propose.word() == LlmDeliberation.NO_CHOICE) {
      reply(propose, LlmDeliberation.NO_CHOICE);
      return;
    }
    Game.Reply reply = study.plan().game().respond(mind, propose.word(), propose.index());
    nextSequence++;
    propose.replyTo().tell(new Answer(propose.index(), reply.word(), reply.success(), committed,
        mind.inventorySize(), mind.soleWord()));
  }

  /** A language-model responder's reply once its choice is known; no choice changes nothing. */
  private void reply(Propose propose, int own) {
    boolean committed = mind.committedAt(propose.index());
    Game.Reply reply = own == LlmDeliberation.NO_CHOICE || propose.word() == LlmDeliberation.NO_CHOICE
        ? new Game.Reply(LlmDeliberation.NO_CHOICE, false)
        : study.deliberation().respond(mind, own, propose.word(), propose.index());
    nextSequence++;
    propose.replyTo().tell(new Answer(propose.index(), reply.word(), reply.success(), committed,
        mind.inventorySize(), mind.soleWord()));
  }

  private Behavior<Command> onAnswer(Answer answer, TypedActorContext<Command> context) {
    Play play = waitingFor;
    if (play == null || play.index() != answer.index()) {
      context.asJava().getLog().warn("agent {} got an answer for interaction {} it is not waiting for",
          mind.id(), answer.index());
      return this;
    }
    boolean valid = ownWord != LlmDeliberation.NO_CHOICE && answer.word() != LlmDeliberation.NO_CHOICE;
    if (valid) {
      study.plan().game().conclude(mind, ownWord, new Game.Reply(answer.word(), answer.success()), play.index());
    }
    waitingFor = null;
    nextSequence++;
    study.registry().tell(new NormRegistry.InteractionFinished(new InteractionRecord(play.index(), mind.id(),
        play.partner(), ownWord, answer.word(), answer.success() && valid, valid, committedNow,
        answer.committed(), mind.inventorySize(), answer.inventory(), mind.soleWord(),
        answer.soleWord())));
    takeUpSetAside(context);
    return this;
  }

  private void setAside(Turn command) {
    if (setAside == null) {
      setAside = new ArrayList<>(2);
    }
    setAside.add(command);
  }

  /** Takes up set-aside messages whose turn has come, until the agent must wait again. */
  private void takeUpSetAside(TypedActorContext<Command> context) {
    while (setAside != null && waitingFor == null && deciding == null) {
      Turn next = null;
      for (int i = 0; i < setAside.size(); i++) {
        if (setAside.get(i).sequence() == nextSequence) {
          next = setAside.remove(i);
          break;
        }
      }
      if (next == null) {
        break;
      }
      if (setAside.isEmpty()) {
        setAside = null;
      }
      if (next instanceof Play play) {
        start(play, context);
      } else if (next instanceof Propose propose) {
        answer(propose, context);
      }
    }
  }
}
