package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.protocols.journal.AgentEvent;
import dev.norma.protocols.journal.AgentSnapshot;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One agent of a durable study whose agents journal themselves: language-model agents (whose
 * decided words are written with their events) and the {@code continuous} schedule. (Rule-based
 * agents on a seeded schedule are journaled through their coordinator instead, see
 * {@link AgentLedger}.) The same protocol as {@link AgentEntity} (Play, Propose, Answer,
 * each turn taken in the agent's sequence order), with the agent's part of every interaction
 * written to the journal before anyone learns of it. A node that dies takes no finished
 * interaction with it: the agent is recovered elsewhere by replaying its events through its mind.
 * What it does with its turns is {@link AgentCore}'s, shared with {@link AgentEntity}; this shell
 * writes each event the core settles, then applies it, and sends what follows once it is written.
 *
 * <p>Events: {@link Played} (this agent initiated an interaction and concluded it) and
 * {@link Answered} (it responded). Replaying them re-runs the game's deterministic steps on the
 * mind, random stream included, so the recovered agent is the agent that was lost.
 *
 * <p>Idempotence. Each interaction is identified by (run, index). After a failure the coordinator
 * re-drives the interactions it is missing, so an agent may see a turn again: a turn it already
 * took is answered from what it keeps of its recent interactions (the record it reported, the
 * answer it gave) and never applied twice; a turn it is waiting on is re-sent to its partner; a
 * turn already set aside is replaced (the partner may have moved, and so may its reply address).
 * It keeps interactions from the lowest index the coordinator may still ask about
 * ({@code settledBelow}, carried by every turn) on.
 *
 * <p>While it waits for its partner's answer the agent has already drawn its own word (the
 * mind's stream advanced): that draw is kept and not repeated when the event is applied. If the
 * agent fails before the event is written, it is recovered from the journal, which does not
 * include the draw, and draws the same word again when the turn is re-driven.
 *
 * <p>Language-model agents ({@link StudyContext#deliberation()} set) decide asynchronously, as
 * {@link AgentEntity}'s do: the initiator asks the gateway when it starts its turn and proposes
 * when its {@link AgentEntity.Decided} arrives; the responder asks, then writes its answer with the
 * word it decided ({@link Answered#decidedWord()}). A decision that is
 * {@link LlmDeliberation#NO_CHOICE} is written too, as an invalid interaction that changes no
 * memory. Replaying never asks a model again: the recorded words are applied, and the draws that
 * rendering the prompt made from the agent's stream are made again ({@link LlmDeliberation#redraw}).
 * A turn re-driven after a failure whose decision was not written is asked again (a reissued call,
 * unless the call journal answers it).
 *
 * <p>Lifecycle: spawned by sharding on its first message and recovered from the journal; stopped
 * by sharding's stop message on handoff or at the end of the run; stopped when the journal
 * fails, and rebuilt and recovered by sharding when its turn is re-driven.
 */
public final class DurableAgentEntity
    extends EventSourcedBehavior<AgentEntity.Command, AgentEvent, DurableAgentEntity.State>
    implements AgentCore.Shell {

  /**
   * Internal, to self: an event was written; take up the turns set aside meanwhile. (A written
   * event cannot be followed by another effect in the same step.)
   */
  public enum TakeUpSetAsideTurns implements AgentEntity.Command {
    INSTANCE
  }

  /** The persistence id of one agent of one run. */
  public static PersistenceId persistenceId(String runId, int agentId) {
    return PersistenceId.of("agent-" + runId, Integer.toString(agentId));
  }

  public static Behavior<AgentEntity.Command> create(int agentId, StudyContext study) {
    return create(agentId, study, null);
  }

  /**
   * A durable agent. A journal failure stops it, and sharding builds it again (a new behavior,
   * so a new mind from {@link #emptyState()}) on the next message, the re-driven turn: the state
   * is mutable, and Pekko's own restart would replay onto the state it had.
   *
   * @param journalPluginId the journal to use, or null for the configured default
   */
  public static Behavior<AgentEntity.Command> create(int agentId, StudyContext study, String journalPluginId) {
    return Behaviors.setup(context -> new DurableAgentEntity(context, agentId, study, journalPluginId));
  }

  private final ActorRef<AgentEntity.Command> self;
  private final ActorContext<AgentEntity.Command> context;
  private final StudyContext study;
  private final int agentId;
  private final String journalPluginId;
  private final int snapshotEvery;
  /** The effect the command being handled ends with: an event the core asked to write; else null. */
  private Effect<AgentEvent, State> settled;

  private DurableAgentEntity(ActorContext<AgentEntity.Command> context, int agentId, StudyContext study,
                             String journalPluginId) {
    super(persistenceId(study.runId(), agentId));
    this.self = context.getSelf();
    this.context = context;
    this.study = study;
    this.agentId = agentId;
    this.journalPluginId = journalPluginId;
    this.snapshotEvery = context.getSystem().settings().config().getInt("norma.agents.snapshot-every");
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return snapshotEvery > 0 ? RetentionCriteria.snapshotEvery(snapshotEvery, 1) : RetentionCriteria.disabled();
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        AgentCore core = state.core;
        return new AgentSnapshot(core.mind().save(), core.nextSequence(), core.keptInteractions());
      }

      @Override
      public State fromJournal(Object from) {
        AgentSnapshot snapshot = (AgentSnapshot) from;
        State state = emptyState();
        state.core.restore(snapshot.mind(), snapshot.nextSequence(), snapshot.kept());
        return state;
      }
    };
  }

  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryFailed.class, (state, failed) ->
            journalFailed("cannot read agent " + agentId + " back from the journal", failed.getFailure()))
        .onSignal(org.apache.pekko.persistence.typed.JournalPersistFailed.class, (state, failed) ->
            journalFailed("cannot write agent " + agentId + "'s event to the journal", failed.getFailure()))
        .build();
  }

  private void journalFailed(String what, Throwable failure) {
    if (study.journalFailures() != null) {
      study.journalFailures().accept(what + ": " + RunCoordinator.describe(failure));
    }
  }

  /** Without snapshots, no snapshot store: a recovery costs one query, not two. */
  @Override
  public String snapshotPluginId() {
    return snapshotEvery > 0 ? "" : "pekko.persistence.no-snapshot-store";
  }

  @Override
  public String journalPluginId() {
    return journalPluginId == null ? "" : journalPluginId;
  }

  /**
   * The agent's state: its {@link AgentCore} (mutable, as the mind is: events are applied in
   * place), which keeps its recent interactions to answer again for. Only the mind, the sequence
   * and those interactions are durable; the turn in progress is rebuilt by re-driving after a
   * failure.
   */
  public static final class State {
    private final AgentCore core;
    /** What the last event applied gives to send once it is written. */
    private InteractionRecord lastRecord;
    private AgentEntity.Answer lastAnswer;

    State(AgentCore core) {
      this.core = core;
    }

    public int nextSequence() {
      return core.nextSequence();
    }

    public Mind mind() {
      return core.mind();
    }

    /** Interactions kept to answer again for. */
    public int keptCount() {
      return core.keptCount();
    }
  }

  @Override
  public State emptyState() {
    return new State(new AgentCore(study, study.plan().newMind(agentId), true));
  }

  @Override
  public EventHandler<State, AgentEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(AgentEvent.Played.class, (state, event) -> {
          state.lastRecord = state.core.applyPlayed(event.index(), event.partner(), event.sequence(),
              event.ownWord(), event.partnerWord(), event.success(), event.partnerCommitted(),
              event.partnerInventory(), event.partnerSole(), event.settledBelow());
          return state;
        })
        .onEvent(AgentEvent.Answered.class, (state, event) -> {
          state.lastAnswer = state.core.applyAnswered(event.index(), event.sequence(), event.initiatorWord(),
              event.settledBelow(), event.decidedWord());
          return state;
        })
        .build();
  }

  @Override
  public CommandHandler<AgentEntity.Command, AgentEvent, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(AgentEntity.Play.class, (state, play) -> {
          state.core.onPlay(play, this);
          return settledEffect();
        })
        .onCommand(AgentEntity.Propose.class, (state, propose) -> {
          state.core.onPropose(propose, this);
          return settledEffect();
        })
        .onCommand(AgentEntity.Answer.class, (state, answer) -> {
          state.core.onAnswer(answer, this); // not waiting for it: a repeated answer to a proposal sent twice
          return settledEffect();
        })
        .onCommand(AgentEntity.Decided.class, (state, decided) -> {
          if (!state.core.onDecided(decided.index(), decided.word(), this)) {
            context.getLog().debug("agent {} got a decision for interaction {} it is not deciding", agentId,
                decided.index());
          }
          return settledEffect();
        })
        .onCommand(AgentEntity.DecisionAbandoned.class, (state, abandoned) -> Effect().none())
        .onCommand(TakeUpSetAsideTurns.class, (state, takeUp) -> {
          state.core.takeUp(this);
          return settledEffect();
        })
        .onCommand(AgentEntity.Retire.class, (state, retire) -> Effect().stop())
        .build();
  }

  /** The effect the command just handled ends with: the event to write, if the core settled one. */
  private Effect<AgentEvent, State> settledEffect() {
    Effect<AgentEvent, State> effect = settled;
    settled = null;
    return effect != null ? effect : Effect().none();
  }

  @Override
  public void propose(AgentEntity.Play play, int word) {
    study.agents().tell(new ShardingEnvelope<>(Integer.toString(play.partner()),
        new AgentEntity.Propose(play.index(), agentId, word, play.partnerSequence(), self, play.settledBelow())));
  }

  /** Asks the agent's language model; the decision comes back as {@link AgentEntity.Decided}. */
  @Override
  public void deliberate(Mind mind, long index, LlmRequest.Role role) {
    context.pipeToSelf(study.deliberation().decide(mind, index, role),
        (word, failure) -> AgentEntity.decided(index, word, failure));
  }

  /** Writes the answer before anyone learns of it; the partner gets it once written. */
  @Override
  public boolean answerSettled(AgentEntity.Propose propose, Integer decidedWord) {
    settled = Effect().persist(new AgentEvent.Answered(propose.index(), propose.initiator(), propose.sequence(),
            propose.word(), propose.settledBelow(), decidedWord))
        .thenRun(state -> {
          propose.replyTo().tell(state.lastAnswer);
          takeUpLater(state);
        });
    return false;
  }

  /** Writes the concluded interaction before anyone learns of it; the record is reported once written. */
  @Override
  public boolean playSettled(AgentEntity.Play play, int ownWord, AgentEntity.Answer answer) {
    settled = Effect().persist(new AgentEvent.Played(play.index(), play.partner(), play.sequence(), ownWord,
            answer.word(), answer.success(), answer.committed(), answer.inventory(), answer.soleWord(),
            play.settledBelow()))
        .thenRun(state -> {
          study.registry().tell(new NormRegistry.InteractionFinished(state.lastRecord));
          takeUpLater(state);
        });
    return false;
  }

  @Override
  public void reportAgain(InteractionRecord record) {
    study.registry().tell(new NormRegistry.InteractionFinished(record));
  }

  @Override
  public void answerAgain(AgentEntity.Propose propose, AgentEntity.Answer answer) {
    propose.replyTo().tell(answer);
  }

  /** The set-aside turns are taken up from a message to self (after anything stashed during the write). */
  private void takeUpLater(State state) {
    if (state.core.hasSetAside()) {
      self.tell(TakeUpSetAsideTurns.INSTANCE);
    }
  }
}
