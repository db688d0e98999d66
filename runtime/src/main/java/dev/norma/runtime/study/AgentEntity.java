package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.protocols.journal.AgentSnapshot;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.wire.CborSerializable;
import dev.norma.protocols.wire.CompactSerializable;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
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
 * norm registry. A partner on the same node is told directly ({@link AgentsOnNode}); in memory, one
 * on another node whose node is known is told through {@link Crossings}, batched with the node's
 * other messages there, and then a proposal carries no reference: the answer goes back the same way.
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
 * <p>Lifecycle: spawned by sharding on its first message, built from the run's plan. Sharding
 * passivates it when its node holds more live agents than {@code norma.agents.passivation} allows
 * (or it has been idle that long): its mind and turn count go to the node's
 * {@link PassivatedAgents} and it stops; its next turn spawns it again from there. It stops only
 * while it waits for nothing — a partner's answer or its own decision comes straight to this
 * incarnation, not through the shard — so on the stop message it first finishes the turn in
 * progress (the shard holds its later turns meanwhile), and what it had set aside goes back
 * through its shard, which hands it to the next incarnation with whatever arrived in between
 * (turns are taken in sequence order, so nothing is lost and their order does not matter). While
 * the system shuts down, or once a decision was abandoned, it stops at once. On failure it is
 * restarted by sharding from the state it last passivated with, or a fresh mind — durable
 * recovery comes with persistence.
 *
 * <p>In a durable run of rule-based agents on a seeded schedule it is journaled through its
 * coordinator ({@link AgentLedger}): it holds every turn until the coordinator gives it its state
 * ({@link Restore}, at the run's start and at every restart), keeps its recent interactions to
 * answer again for, and, handed off to another node, sends its state to the coordinator, which
 * gives it to its next incarnation (as passivation would, with the coordinator as the store).
 *
 * <p>It extends {@link ExtensibleBehavior} rather than {@code AbstractBehavior}: a study may hold
 * millions of idle agents, and a per-instance receive builder costs about 300 bytes each.
 */
public final class AgentEntity extends ExtensibleBehavior<AgentEntity.Command> implements AgentCore.Shell {

  /** What the entity type names of runs' agents start with. */
  static final String TYPE_NAME_PREFIX = "agent-";

  /** The entity type of one run's agents. */
  public static EntityTypeKey<Command> typeKey(String runId) {
    return EntityTypeKey.create(Command.class, TYPE_NAME_PREFIX + runId);
  }

  public sealed interface Command extends CborSerializable
      permits Turn, Answer, Retire, Rest, Restore, Decided, DecisionAbandoned, DurableAgentEntity.TakeUpSetAsideTurns {
  }

  /**
   * From the coordinator of a run whose agents are journaled through it ({@link AgentLedger}):
   * take this state — the mind (the plan's first mind when {@code mind} is null), the sequence
   * number of the next turn and the interactions kept to answer again for — forgetting the turn in
   * progress and everything set aside, and say so to {@code replyTo}. Such an agent takes no turn
   * before its first restore: it holds them until then.
   *
   * @param generation which of the coordinator's restarts this is, echoed in the reply
   */
  public record Restore(long generation, MindState mind, int nextSequence, List<AgentSnapshot.Kept> kept,
                        ActorRef<RunCoordinator.Command> replyTo) implements Command {
  }

  /**
   * Be passivated now, as the active limit would: the agent asks its shard, which then sends it
   * {@link Retire}. For a node whose run is over ({@link LiveAgents#passivateAll}); local only.
   */
  public enum Rest implements Command {
    INSTANCE
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

  /**
   * Starts (on this node) the shard region of one run's agents.
   *
   * @param population            the run's agents
   * @param passivating           whether sharding passivates them (in-memory agents made with a
   *                              {@link PassivatedAgents} store)
   * @param restoredByCoordinator whether they are journaled through the coordinator (see
   *                              {@link RunSettings#shardingSettings})
   */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system, String runId, RunSettings settings, int population, boolean passivating,
      boolean restoredByCoordinator, IntFunction<Behavior<Command>> behaviorFor) {
    return ClusterSharding.get(system).init(
        entity(system, runId, settings, population, passivating, restoredByCoordinator, behaviorFor));
  }

  /** The sharded entity of one run's agents, for {@link ClusterSharding#init}. */
  static Entity<Command, ShardingEnvelope<Command>> entity(ActorSystem<?> system, String runId, RunSettings settings,
                                                          int population, boolean passivating,
                                                          boolean restoredByCoordinator,
                                                          IntFunction<Behavior<Command>> behaviorFor) {
    return Entity.of(typeKey(runId),
            entityContext -> behaviorFor.apply(AgentShards.parseAgentId(entityContext.getEntityId())))
        .withStopMessage(Retire.INSTANCE)
        .withSettings(settings.shardingSettings(system, population, passivating, restoredByCoordinator))
        .withMessageExtractor(new AgentShards(settings.shards()));
  }

  /** A fresh agent that is never passivated; its mind is built from the run's plan. */
  public static Behavior<Command> create(int agentId, StudyContext study) {
    return create(agentId, study, null);
  }

  /**
   * The agent as it was passivated into {@code passivated}, or fresh (its mind built from the
   * run's plan) when it never was.
   *
   * @param passivated where it goes when sharding passivates it; null: it just stops
   */
  static Behavior<Command> create(int agentId, StudyContext study, PassivatedAgents passivated) {
    return new AgentEntity(agentId, study, passivated);
  }

  private final StudyContext study;
  /**
   * Turn order and the game's steps. In memory it keeps nothing to answer again for (no re-drive);
   * journaled through the coordinator it keeps its recent interactions, as a durable agent does.
   */
  private AgentCore core;
  /** What came before its first restore, taken up after it; null when nothing did. */
  private List<Command> beforeRestore;
  /** The coordinator that restored it last, told its state when it stops; null before its first restore. */
  private ActorRef<RunCoordinator.Command> coordinator;
  private final PassivatedAgents passivated;
  /** This agent's context (the same for its whole life), kept from its first message. */
  private TypedActorContext<Command> context;
  /** Asked to stop while busy: it stops as soon as it waits for nothing. */
  private boolean retiring;
  /** A decision was cut short: the run is stopping and the turn in progress will not finish. */
  private boolean abandoned;

  private AgentEntity(int agentId, StudyContext study, PassivatedAgents passivated) {
    this.study = study;
    this.passivated = passivated;
    this.core = new AgentCore(study, study.plan().newMind(agentId), study.restoredByCoordinator());
    if (passivated != null) {
      passivated.restore(core);
    }
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> context, Command command) {
    if (this.context == null) {
      this.context = context;
      if (study.local() != null) {
        study.local().register(core.mind().id(), context.asJava().getSelf());
      }
    }
    Behavior<Command> next = handle(context, command);
    if (retiring && next == this && !core.busy()) {
      return rest();
    }
    // Behaviors.same(), not this: the supervisor around the entity is an interceptor, which builds
    // itself again around any other behavior returned (four objects per message).
    return next == this ? Behaviors.same() : next;
  }

  private Behavior<Command> handle(TypedActorContext<Command> context, Command command) {
    if (command instanceof Restore restore) {
      restore(restore);
      List<Command> held = beforeRestore;
      beforeRestore = null;
      if (held != null) {
        for (Command c : held) {
          handle(context, c);
        }
      }
      return this;
    }
    if (awaitingRestore() && (command instanceof Turn || command instanceof Answer)) {
      // Held: rule-based turns on a seeded schedule have one outcome, whichever state the restore
      // gives (the journal's, or ahead of it), so they are taken as the restored run would.
      if (beforeRestore == null) {
        beforeRestore = new java.util.ArrayList<>(2);
      }
      beforeRestore.add(command);
      return this;
    }
    if (command instanceof Play play) {
      core.onPlay(play, this);
    } else if (command instanceof Propose propose) {
      if (study.local() != null && propose.replyTo() != null) {
        study.local().learn(propose.initiator(), propose.replyTo());
      }
      core.onPropose(propose, this);
    } else if (command instanceof Answer answer) {
      if (!core.onAnswer(answer, this) && !study.restoredByCoordinator()) {
        // (Restored agents forget the turn in progress: its answer may come after.)
        context.asJava().getLog().warn("agent {} got an answer for interaction {} it is not waiting for",
            core.mind().id(), answer.index());
      }
    } else if (command instanceof Decided decided) {
      if (!core.onDecided(decided.index(), decided.word(), this)) {
        context.asJava().getLog().warn("agent {} got a decision for interaction {} it is not deciding",
            core.mind().id(), decided.index());
      }
    } else if (command instanceof DecisionAbandoned) {
      abandoned = true;
      return retiring ? Behaviors.stopped() : this;
    } else if (command instanceof Rest) {
      // The entity's parent is its shard: the classic request is what typed sharding's own sends.
      Adapter.toClassic(context.asJava()).parent().tell(new ShardRegion.Passivate(Retire.INSTANCE),
          Adapter.toClassic(context.asJava().getSelf()));
    } else if (command instanceof Retire) {
      if (awaitingRestore() && beforeRestore != null) {
        // Its next incarnation takes them (an answer held here is lost: the run restarts then).
        String self = Integer.toString(core.mind().id());
        for (Command held : beforeRestore) {
          if (held instanceof Turn turn) {
            study.agents().tell(new ShardingEnvelope<>(self, turn));
          }
        }
        beforeRestore = null;
      }
      if ((passivated == null && coordinator == null) || abandoned
          || CoordinatedShutdown.get(context.asJava().getSystem()).getShutdownReason().isPresent()) {
        return stopped();
      }
      if (core.busy()) {
        retiring = true;
        return this;
      }
      return rest();
    } else {
      return Behaviors.unhandled();
    }
    return this;
  }

  /** Takes the state the coordinator gives it, and says so. */
  private void restore(Restore restore) {
    int id = core.mind().id();
    core = new AgentCore(study, study.plan().newMind(id), true);
    if (restore.mind() != null) {
      core.restore(restore.mind(), restore.nextSequence(), restore.kept());
    }
    coordinator = restore.replyTo();
    coordinator.tell(new RunCoordinator.AgentRestored(restore.generation(), id));
  }

  /** Journaled through the coordinator and not restored yet: it takes no turn. */
  private boolean awaitingRestore() {
    return study.restoredByCoordinator() && coordinator == null;
  }

  /** Stops; a partner on this node reaches its next incarnation through sharding. */
  private Behavior<Command> stopped() {
    if (study.local() != null && context != null) {
      study.local().unregister(core.mind().id(), context.asJava().getSelf());
    }
    return Behaviors.stopped();
  }

  /**
   * Passivated: the turns it set aside go back through its shard (which holds them for its next
   * incarnation), its mind and turn count to the node's store, and it stops.
   */
  private Behavior<Command> rest() {
    List<Turn> setAside = core.takeSetAside();
    if (!setAside.isEmpty()) {
      String self = Integer.toString(core.mind().id());
      for (Turn turn : setAside) {
        study.agents().tell(new ShardingEnvelope<>(self, turn));
      }
    }
    if (passivated != null) {
      passivated.keep(core);
    } else {
      // Journaled through the coordinator, handed off to another node: the coordinator gives its
      // state to its next incarnation (after the run, it lets it go).
      coordinator.tell(new RunCoordinator.AgentHandedOver(core.mind().id(), core.mind().save(), core.nextSequence(),
          core.keptInteractions()));
    }
    return stopped();
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> context, Signal signal) {
    if (signal instanceof PostStop && study.local() != null && this.context != null) {
      // However it stopped — its own stop, or its shard stopping it (a handoff that waited too
      // long for it, a failure): partners on this node must not tell a stopped agent directly,
      // or every turn they give it is lost and the run waits for it for good.
      study.local().unregister(core.mind().id(), context.asJava().getSelf());
    }
    return Behaviors.unhandled();
  }

  @Override
  public void propose(Play play, int word) {
    Propose propose = new Propose(play.index(), core.mind().id(), word, play.partnerSequence(),
        context.asJava().getSelf(), play.settledBelow());
    ActorRef<Command> partner = study.local() == null ? null : study.local().get(play.partner());
    if (partner != null) {
      partner.tell(propose);
    } else if (study.local() == null || !study.local().sendAcross(play.partner(), core.mind().id(), propose)) {
      study.agents().tell(new ShardingEnvelope<>(Integer.toString(play.partner()), propose));
    }
  }

  /** Asks the agent's language model; the decision comes back as {@link Decided}. */
  @Override
  public void deliberate(Mind mind, long index, LlmRequest.Role role) {
    context.asJava().pipeToSelf(study.deliberation().decide(mind, index, role),
        (word, failure) -> decided(index, word, failure));
  }

  @Override
  public boolean answerSettled(Propose propose, Integer decidedWord) {
    reply(propose, core.applyAnswered(propose.index(), propose.sequence(), propose.word(),
        propose.settledBelow(), decidedWord));
    return true;
  }

  /**
   * Answers a proposal: to the initiator's reference, or back through crossings when the proposal
   * came that way (whose node it came from was learned as it arrived).
   */
  private void reply(Propose propose, Answer answer) {
    if (propose.replyTo() != null) {
      propose.replyTo().tell(answer);
    } else if (study.local() == null || !study.local().sendAcross(propose.initiator(), core.mind().id(), answer)) {
      context.asJava().getLog().error("agent {} cannot answer agent {} for interaction {}: its node is not known",
          core.mind().id(), propose.initiator(), propose.index());
    }
  }

  @Override
  public boolean playSettled(Play play, int ownWord, Answer answer) {
    study.registry().tell(new NormRegistry.InteractionFinished(core.applyPlayed(play.index(), play.partner(),
        play.sequence(), ownWord, answer.word(), answer.success(), answer.committed(), answer.inventory(),
        answer.soleWord(), play.settledBelow())));
    return true;
  }

  /** Asked only of an agent journaled through the coordinator: one in memory keeps nothing to answer again for. */
  @Override
  public void reportAgain(InteractionRecord record) {
    study.registry().tell(new NormRegistry.InteractionFinished(record));
  }

  /** Asked only of an agent journaled through the coordinator. */
  @Override
  public void answerAgain(Propose propose, Answer answer) {
    reply(propose, answer);
  }
}
