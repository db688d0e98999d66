package dev.norma.runtime.study;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.norma.agents.Mind;
import dev.norma.agents.MindState;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.InteractionRecord;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * One agent of a durable study: the same protocol as {@link AgentEntity} (Play, Propose, Answer,
 * each turn taken in the agent's sequence order), with the agent's part of every interaction
 * written to the journal before anyone learns of it. A node that dies takes no finished
 * interaction with it: the agent is recovered elsewhere by replaying its events through its mind.
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
    extends EventSourcedBehavior<AgentEntity.Command, DurableAgentEntity.Event, DurableAgentEntity.State> {

  /** Internal: take up the turns set aside while an event was being written. */
  public enum TakeUp implements AgentEntity.Command {
    INSTANCE
  }

  public sealed interface Event extends Persisted permits Played, Answered {
  }

  /** This agent initiated interaction {@code index}, drew {@code ownWord} and got its partner's side. */
  @JsonTypeName("agent.played")
  public record Played(long index, int partner, int sequence, int ownWord, int partnerWord,
                       boolean success, boolean partnerCommitted, int partnerInventory,
                       int partnerSole, long settledBelow) implements Event {
  }

  /**
   * This agent responded to interaction {@code index}, in which its partner played
   * {@code initiatorWord}.
   *
   * @param decidedWord the word a language-model responder decided ({@link LlmDeliberation#NO_CHOICE}
   *                    when it had none); null when the game's own response applies (a rule-based
   *                    or committed agent, an invalid proposal, or an event written before the field)
   */
  @JsonTypeName("agent.answered")
  public record Answered(long index, int initiator, int sequence, int initiatorWord, long settledBelow,
                         Integer decidedWord) implements Event {
    public Answered(long index, int initiator, int sequence, int initiatorWord, long settledBelow) {
      this(index, initiator, sequence, initiatorWord, settledBelow, null);
    }
  }

  /**
   * The agent's state every {@code norma.agents.snapshot-every} events, so that recovering a
   * long-lived agent replays at most that many events. Its recent interactions are kept in it too:
   * it may still be asked about them.
   */
  @JsonTypeName("agent.snapshot")
  public record Snapshot(MindState mind, int nextSequence, List<KeptInteraction> kept) implements Persisted {
  }

  /** One interaction an agent keeps: the record it reported (initiator) or the answer it gave. */
  public record KeptInteraction(long index, InteractionRecord record, AgentEntity.Answer answer) {
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
        List<KeptInteraction> kept = new ArrayList<>(state.kept.size());
        for (Kept k : state.kept) {
          kept.add(new KeptInteraction(k.index(), k.record(), k.answer()));
        }
        return new Snapshot(state.mind.save(), state.nextSequence, kept);
      }

      @Override
      public State fromJournal(Object from) {
        Snapshot snapshot = (Snapshot) from;
        State state = new State(study.plan().newMind(agentId));
        state.mind.restore(snapshot.mind());
        state.nextSequence = snapshot.nextSequence();
        for (KeptInteraction k : snapshot.kept()) {
          state.kept.addLast(new Kept(k.index(), k.record(), k.answer()));
        }
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
      study.journalFailures().accept(what + ": " + JournaledCoordinator.describe(failure));
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
   * The agent's state. Mutable, as the mind is: events are applied in place. The fields below
   * the line are not part of the durable state; they describe the turn in progress and are
   * rebuilt by re-driving after a failure.
   */
  public static final class State {
    private final Mind mind;
    private int nextSequence;
    /** The agent's recent interactions, in index order, that it may be asked about again. */
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();

    private AgentEntity.Play waitingFor;
    private long drawnFor = -1;
    private int drawnWord;
    private List<AgentEntity.Turn> setAside;
    private InteractionRecord lastRecord;
    private AgentEntity.Answer lastAnswer;
    /** The interaction whose prompt this agent rendered live (its stream drawn already); else -1. */
    private long renderedFor = -1;
    /** A language-model responder waiting for its own decision: the proposal; else null. */
    private AgentEntity.Propose answering;

    State(Mind mind) {
      this.mind = mind;
    }

    public int nextSequence() {
      return nextSequence;
    }

    public Mind mind() {
      return mind;
    }

    /** Interactions kept to answer again for. */
    public int keptCount() {
      return kept.size();
    }

    private Kept find(long index) {
      for (Iterator<Kept> it = kept.descendingIterator(); it.hasNext(); ) {
        Kept k = it.next();
        if (k.index == index) {
          return k;
        }
        if (k.index < index) {
          return null;
        }
      }
      return null;
    }

    private void keep(Kept k, long settledBelow) {
      kept.addLast(k);
      while (!kept.isEmpty() && kept.peekFirst().index < settledBelow) {
        kept.removeFirst();
      }
    }
  }

  /** One recent interaction: the record it reported (as initiator) or the answer it gave. */
  private record Kept(long index, InteractionRecord record, AgentEntity.Answer answer) {
  }

  @Override
  public State emptyState() {
    return new State(study.plan().newMind(agentId));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Played.class, this::applyPlayed)
        .onEvent(Answered.class, this::applyAnswered)
        .build();
  }

  private State applyPlayed(State state, Played event) {
    Game<Mind> game = study.plan().game();
    Mind mind = state.mind;
    boolean committed = mind.committedAt(event.index());
    boolean decides = study.deliberation() != null && !committed;
    int own;
    if (state.drawnFor == event.index()) {
      own = state.drawnWord;
    } else if (decides) {
      if (state.renderedFor != event.index()) {
        study.deliberation().redraw(mind); // the model is not asked again: its word is recorded
      }
      own = event.ownWord();
    } else {
      own = game.produce(mind, event.index());
    }
    if (own != event.ownWord()) {
      throw new IllegalStateException("agent " + agentId + " replayed interaction " + event.index()
          + " and drew " + own + ", not the recorded " + event.ownWord() + ": the journal does not match this study");
    }
    boolean valid = own != LlmDeliberation.NO_CHOICE && event.partnerWord() != LlmDeliberation.NO_CHOICE;
    if (valid) {
      game.conclude(mind, own, new Game.Reply(event.partnerWord(), event.success()), event.index());
    }
    state.nextSequence = event.sequence() + 1;
    state.waitingFor = null;
    state.drawnFor = -1;
    state.renderedFor = -1;
    state.lastRecord = new InteractionRecord(event.index(), agentId, event.partner(), own,
        event.partnerWord(), event.success() && valid, valid, committed, event.partnerCommitted(),
        mind.inventorySize(), event.partnerInventory(), mind.soleWord(), event.partnerSole());
    state.keep(new Kept(event.index(), state.lastRecord, null), event.settledBelow());
    return state;
  }

  private State applyAnswered(State state, Answered event) {
    Mind mind = state.mind;
    boolean committed = mind.committedAt(event.index());
    Game.Reply reply;
    if (event.initiatorWord() == LlmDeliberation.NO_CHOICE) {
      reply = new Game.Reply(LlmDeliberation.NO_CHOICE, false); // an invalid proposal changes nothing
    } else if (event.decidedWord() == null) {
      reply = study.plan().game().respond(mind, event.initiatorWord(), event.index());
    } else {
      LlmDeliberation deliberation = study.deliberation();
      if (deliberation == null) {
        throw new IllegalStateException("agent " + agentId + " replayed interaction " + event.index()
            + ", decided by a language model, in a study without one: the journal does not match this study");
      }
      if (state.renderedFor != event.index()) {
        deliberation.redraw(mind); // the model is not asked again: its word is recorded
      }
      int own = event.decidedWord();
      reply = own == LlmDeliberation.NO_CHOICE ? new Game.Reply(LlmDeliberation.NO_CHOICE, false)
          : deliberation.respond(mind, own, event.initiatorWord(), event.index());
    }
    state.renderedFor = -1;
    state.nextSequence = event.sequence() + 1;
    state.lastAnswer = new AgentEntity.Answer(event.index(), reply.word(), reply.success(), committed,
        mind.inventorySize(), mind.soleWord());
    state.keep(new Kept(event.index(), null, state.lastAnswer), event.settledBelow());
    return state;
  }

  @Override
  public CommandHandler<AgentEntity.Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(AgentEntity.Play.class, this::onPlay)
        .onCommand(AgentEntity.Propose.class, this::onPropose)
        .onCommand(AgentEntity.Answer.class, this::onAnswer)
        .onCommand(AgentEntity.Decided.class, this::onDecided)
        .onCommand(AgentEntity.DecisionAbandoned.class, (state, abandoned) -> Effect().none())
        .onCommand(TakeUp.class, (state, takeUp) -> takeUp(state))
        .onCommand(AgentEntity.Retire.class, (state, retire) -> Effect().stop())
        .build();
  }

  private Effect<Event, State> onPlay(State state, AgentEntity.Play play) {
    if (play.sequence() < state.nextSequence) {
      Kept k = state.find(play.index());
      if (k != null && k.record() != null) {
        // Taken already; its record may have been lost with a node: report it again.
        study.registry().tell(new NormRegistry.InteractionFinished(k.record()));
      }
      return Effect().none();
    }
    if (state.waitingFor != null && state.waitingFor.index() == play.index()) {
      // Re-driven while waiting: the proposal or its answer was lost, or the partner moved. (Still
      // deciding: the proposal goes when the decision comes.)
      state.waitingFor = play;
      if (state.drawnFor == play.index()) {
        propose(state, play);
      }
      return Effect().none();
    }
    if (state.waitingFor != null || state.answering != null || play.sequence() != state.nextSequence) {
      setAside(state, play);
      return Effect().none();
    }
    start(state, play);
    return Effect().none();
  }

  private void start(State state, AgentEntity.Play play) {
    state.waitingFor = play;
    if (study.deliberation() != null && !state.mind.committedAt(play.index())) {
      state.drawnFor = -1;
      deliberate(state, play.index(), LlmRequest.INITIATOR);
      return;
    }
    state.drawnWord = study.plan().game().produce(state.mind, play.index());
    state.drawnFor = play.index();
    propose(state, play);
  }

  /** Asks the agent's language model; the decision comes back as {@link AgentEntity.Decided}. */
  private void deliberate(State state, long index, String role) {
    state.renderedFor = index;
    context.pipeToSelf(study.deliberation().decide(state.mind, index, role),
        (word, failure) -> AgentEntity.decided(index, word, failure));
  }

  private Effect<Event, State> onDecided(State state, AgentEntity.Decided decided) {
    if (state.answering != null && state.answering.index() == decided.index()) {
      AgentEntity.Propose propose = state.answering;
      state.answering = null;
      return persistAnswer(propose, decided.word());
    }
    if (state.waitingFor != null && state.waitingFor.index() == decided.index() && state.drawnFor != decided.index()) {
      state.drawnWord = decided.word();
      state.drawnFor = decided.index();
      propose(state, state.waitingFor);
      return Effect().none();
    }
    context.getLog().debug("agent {} got a decision for interaction {} it is not deciding", agentId, decided.index());
    return Effect().none();
  }

  private void propose(State state, AgentEntity.Play play) {
    study.agents().tell(new ShardingEnvelope<>(Integer.toString(play.partner()),
        new AgentEntity.Propose(play.index(), agentId, state.drawnWord, play.partnerSequence(), self,
            play.settledBelow())));
  }

  private Effect<Event, State> onPropose(State state, AgentEntity.Propose propose) {
    if (propose.sequence() < state.nextSequence) {
      Kept k = state.find(propose.index());
      if (k != null && k.answer() != null) {
        propose.replyTo().tell(k.answer());
      }
      return Effect().none();
    }
    if (state.answering != null && state.answering.index() == propose.index()) {
      state.answering = propose; // re-driven while deciding: answer the latest address
      return Effect().none();
    }
    if (state.waitingFor != null || state.answering != null || propose.sequence() != state.nextSequence) {
      setAside(state, propose);
      return Effect().none();
    }
    return answer(state, propose);
  }

  private Effect<Event, State> answer(State state, AgentEntity.Propose propose) {
    if (study.deliberation() != null && propose.word() != LlmDeliberation.NO_CHOICE
        && !state.mind.committedAt(propose.index())) {
      state.answering = propose;
      deliberate(state, propose.index(), LlmRequest.RESPONDER);
      return Effect().none();
    }
    return persistAnswer(propose, null);
  }

  private Effect<Event, State> persistAnswer(AgentEntity.Propose propose, Integer decidedWord) {
    return Effect().persist(new Answered(propose.index(), propose.initiator(), propose.sequence(),
            propose.word(), propose.settledBelow(), decidedWord))
        .thenRun(state -> {
          propose.replyTo().tell(state.lastAnswer);
          takeUpLater(state);
        });
  }

  private Effect<Event, State> onAnswer(State state, AgentEntity.Answer answer) {
    AgentEntity.Play play = state.waitingFor;
    if (play == null || play.index() != answer.index()) {
      return Effect().none(); // a repeated answer to a proposal sent twice
    }
    return Effect().persist(new Played(play.index(), play.partner(), play.sequence(), state.drawnWord,
            answer.word(), answer.success(), answer.committed(), answer.inventory(), answer.soleWord(),
            play.settledBelow()))
        .thenRun(updated -> {
          study.registry().tell(new NormRegistry.InteractionFinished(updated.lastRecord));
          takeUpLater(updated);
        });
  }

  /**
   * A written event cannot be followed by another effect in the same step, so the next set-aside
   * turn is taken up from a message to self (after anything stashed during the write).
   */
  private void takeUpLater(State state) {
    if (state.setAside != null) {
      self.tell(TakeUp.INSTANCE);
    }
  }

  private Effect<Event, State> takeUp(State state) {
    if (state.waitingFor != null || state.answering != null || state.setAside == null) {
      return Effect().none();
    }
    AgentEntity.Turn next = null;
    for (int i = 0; i < state.setAside.size(); i++) {
      if (state.setAside.get(i).sequence() == state.nextSequence) {
        next = state.setAside.remove(i);
        break;
      }
    }
    if (state.setAside.isEmpty()) {
      state.setAside = null;
    }
    if (next instanceof AgentEntity.Play play) {
      start(state, play);
      return Effect().none();
    } else if (next instanceof AgentEntity.Propose propose) {
      return answer(state, propose);
    }
    return Effect().none();
  }

  /** Sets a turn aside; a turn seen again replaces the earlier copy (its reply address may be new). */
  private static void setAside(State state, AgentEntity.Turn turn) {
    if (state.setAside == null) {
      state.setAside = new ArrayList<>(2);
    }
    for (int i = 0; i < state.setAside.size(); i++) {
      AgentEntity.Turn other = state.setAside.get(i);
      if (other.sequence() == turn.sequence() && other.getClass() == turn.getClass()) {
        state.setAside.set(i, turn);
        return;
      }
    }
    state.setAside.add(turn);
  }
}
