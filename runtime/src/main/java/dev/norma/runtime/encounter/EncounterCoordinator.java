package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.protocols.journal.EncounterEvent;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunParameters;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.study.ProgressListener;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Runs a study of an encounter game: admits encounters from the game's seeded schedule, at most
 * {@code schedule.inFlight} at once, stamping each participant's turn number, so each agent takes
 * its encounters in index order; a population step is admitted after its round's last encounter
 * as a turn of every agent. Each admitted encounter is a short-lived {@link Encounter} child.
 * What they report is recorded in admission order: the game's measures, {@code rounds.csv} at every
 * round's end, the interaction log, progress, and the stop rules (the game's, then
 * {@code stop.maxRounds}). So the files equal those of {@link EncounterLoop} for the seed.
 *
 * <p>Event-sourced whatever the durability: a durable study journals to its database, a
 * non-durable one to a journal that keeps nothing. Its one event is
 * {@link EncounterEvent.Settled}: an encounter over, with all its participants' minds, written
 * once before any participant gets its mind back ({@link EncounterAgent.Return}), so the journal
 * never holds an encounter only some of its participants went through, and no agent holds a mind
 * the journal lacks. The state is an {@link EncounterLedger} (no actor code). A coordinator
 * recovered from its journal ({@code norma run --resume}) rebuilds the run directory from the
 * settled encounters (beside the old files, which the rebuilt ones replace once they hold as many
 * rounds), gives every agent the mind its last settled encounter left it
 * ({@link EncounterAgent.Restore}), draws the schedule again from the start, and admits, in the
 * same order with the same turns, exactly the encounters that were not settled; their
 * language-model turns are answered from the run's call journal where it holds them.
 *
 * <p>A durable run on a cluster that loses a node ({@link NodeLost}) restarts from its ledger as
 * a recovered coordinator does, without reading the journal again: it stops the encounters under
 * way (what they report is dropped, by generation), gives every agent its last settled mind again
 * (those that lived on the lost node are re-created elsewhere by sharding, with their first
 * mind), draws the schedule from the start and admits, with the same slots and turns, every
 * encounter not settled. So the files equal an uninterrupted run's. Messages to the lost node's
 * agents sent before sharding knew of the loss are gone: {@code stallTimeout} after a lost node
 * every agent is given its settled mind again, and until every encounter admitted by then is
 * settled, a run that settles nothing for {@code stallTimeout} restarts so again.
 *
 * <p>With language-model agents the run's gateway sets how many encounters are under way (at most
 * {@code schedule.inFlight}, at most its admission window), a budget reached ends the run as
 * {@code budget-exhausted}, and endpoints that stop answering end it as failed, each with what
 * was recorded so far; the summary carries the call journal's figures. Protocol: {@link Encounter.Finished}
 * from its encounters, {@link Interrupt} (Ctrl-C: stop, keeping what was journaled, so a durable
 * run can be resumed). Lifecycle: it ends the run once, completes {@code done} and stays until
 * its system stops; a journal that cannot be written or read fails the run.
 */
final class EncounterCoordinator
    extends EventSourcedBehavior<EncounterCoordinator.Command, EncounterEvent, EncounterLedger> {

  /** What the coordinator is told. */
  interface Command {
  }

  /** Stop admitting and end the run as interrupted, with everything recorded so far. */
  record Interrupt() implements Command {
  }

  /** End the run now as {@code status}, for {@code reason}, with everything recorded so far. */
  record End(RunOutcome status, String reason) implements Command {
  }

  /**
   * Node {@code address} left the cluster: its agents' minds, and messages to and from them, are
   * gone; restart from the settled encounters (a durable run only).
   */
  record NodeLost(String address) implements Command {
  }

  /** Time to see whether the run settled anything since a node was lost. */
  private record CheckStall() implements Command {
  }

  /** Time to check the endpoints and report progress, with language-model agents. */
  private record Tick() implements Command {
  }

  /** The journal has been read back: the run goes on from there. */
  private record Recovered() implements Command {
  }

  /**
   * What a run needs.
   *
   * @param runId           names the coordinator's journal (kept in the run directory of a durable run)
   * @param journalPluginId the journal, or null for the configured default (a durable run's database)
   * @param durable         whether the journal keeps anything (then the ledger keeps each agent's mind)
   * @param llm             the run's language-model machinery, or null when the game's rule plays
   * @param stallTimeout    after a lost node, how long the run may settle nothing before it restarts again
   */
  record Setup(String runId, ExperimentSpec spec, EncounterGame<? extends Mind> game, int populationSize,
               ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, EncounterFiles files,
               ProgressListener progress, CompletableFuture<Summary> done, LlmStudy llm,
               String journalPluginId, boolean durable, java.time.Duration stallTimeout) {
  }

  /** How often a study of language-model agents checks its endpoints and reports its calls. */
  private static final java.time.Duration TICK = java.time.Duration.ofSeconds(1);

  static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      if (setup.llm() != null) {
        timers.startTimerWithFixedDelay(new Tick(), TICK);
      }
      return new EncounterCoordinator(context, timers, setup);
    }));
  }

  /** The persistence id of run {@code runId}'s coordinator. */
  static PersistenceId persistenceId(String runId) {
    return PersistenceId.ofUniqueId("encounters-" + runId);
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Setup setup;
  private final EncounterGame<Mind> game;
  private EncounterSchedule schedule;
  private final int[] turns;
  private final long perRound;
  private final long maxRounds;
  private final int window;
  private final long startNanos = System.nanoTime();
  /** The run goes on from its journal: encounters are admitted (until then nothing is). */
  private boolean recovered;
  private long nextSlot;
  private long nextIndex;
  /** A population step is due before the next encounter: after round {@code stepRound}. */
  private boolean stepDue;
  private long stepRound;
  private boolean ended;
  /** How many times the run restarted from its ledger: what encounters of an earlier one report is dropped. */
  private int generation;
  /** The encounters under way, to stop on a restart. */
  private final Set<ActorRef<Encounter.Command>> underWay = new HashSet<>();
  /** The nodes lost so far: each restarts the run once. */
  private final Set<String> lostNodes = new HashSet<>();
  /** After a lost node: the settled slots at the last check, and the slot every admitted encounter must pass. */
  private long settledAtCheck = -1;
  private long watchUntilSlot = -1;

  @SuppressWarnings("unchecked")
  private EncounterCoordinator(ActorContext<Command> context,
                               TimerScheduler<Command> timers, Setup setup) {
    super(persistenceId(setup.runId()));
    this.context = context;
    this.timers = timers;
    this.setup = setup;
    this.game = (EncounterGame<Mind>) setup.game();
    this.schedule = game.newSchedule();
    this.turns = new int[setup.populationSize()];
    this.perRound = game.encountersPerRound();
    this.maxRounds = setup.spec().stop().maxRounds();
    this.window = setup.spec().schedule().inFlight();
  }

  /** Nothing is snapshotted: the run directory is rebuilt from every event anyway. */
  @Override
  public String snapshotPluginId() {
    return "pekko.persistence.no-snapshot-store";
  }

  @Override
  public String journalPluginId() {
    return setup.journalPluginId() == null ? "" : setup.journalPluginId();
  }

  @Override
  public EncounterLedger emptyState() {
    return new EncounterLedger(game, setup.populationSize(), maxRounds, setup.durable());
  }

  @Override
  public EventHandler<EncounterLedger, EncounterEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onAnyEvent((state, event) -> state.settled((EncounterEvent.Settled) event));
  }

  @Override
  public SignalHandler<EncounterLedger> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // The journal has been read back whole: the files are rebuilt from it and may replace the old ones.
          write(state);
          setup.files().journalRead();
          context.getSelf().tell(new Recovered());
        })
        .onSignal(org.apache.pekko.persistence.typed.RecoveryFailed.class, (state, failed) ->
            fail(state, "cannot read the journal back: " + failed.getFailure().getMessage()))
        .onSignal(org.apache.pekko.persistence.typed.JournalPersistFailed.class, (state, failed) ->
            fail(state, "cannot write to the journal: " + failed.getFailure().getMessage()))
        .onSignal(ChildFailed.class, (state, failed) -> end(state, RunOutcome.FAILED,
            "an encounter failed: " + failed.getCause()))
        .onSignal(Terminated.class, (state, stopped) -> underWay.remove(stopped.getRef()))
        .onSignal(PostStop.instance(), state -> {
          if (!setup.done().isDone()) {
            setup.done().completeExceptionally(new IllegalStateException("the run's coordinator stopped"));
          }
        })
        .build();
  }

  @Override
  public CommandHandler<Command, EncounterEvent, EncounterLedger> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Recovered.class, (state, message) -> onRecovered(state))
        .onCommand(Encounter.Finished.class, this::onFinished)
        .onCommand(Interrupt.class, (state, interrupt) -> {
          end(state, RunOutcome.INTERRUPTED, "interrupted");
          return Effect().none();
        })
        .onCommand(End.class, (state, stop) -> {
          end(state, stop.status(), stop.reason());
          return Effect().none();
        })
        .onCommand(Tick.class, (state, tick) -> onTick(state))
        .onCommand(NodeLost.class, this::onNodeLost)
        .onCommand(CheckStall.class, (state, check) -> onCheckStall(state))
        .build();
  }

  /**
   * Gives every agent whose encounters were settled in an earlier session its mind back, ends a
   * run whose journal reached its end, and admits the rest.
   */
  private Effect<EncounterEvent, EncounterLedger> onRecovered(EncounterLedger state) {
    restoreEveryone(state);
    recovered = true;
    if (state.stopReason() != null) {
      end(state, RunOutcome.COMPLETED, state.stopReason());
    } else {
      admit(state);
    }
    return Effect().none();
  }

  /** Gives every agent with a settled encounter the mind its last one left it. */
  private void restoreEveryone(EncounterLedger state) {
    for (int agent = 0; agent < setup.populationSize(); agent++) {
      MindState mind = state.mind(agent);
      if (mind != null) {
        setup.agents().tell(new ShardingEnvelope<>(Integer.toString(agent),
            new EncounterAgent.Restore(state.nextTurn(agent), mind)));
      }
    }
  }

  /**
   * A node left: a durable run restarts from its ledger (once per node), and watches that it
   * settles again. Before the journal is read back there is nothing to restart: the recovery
   * restores everyone.
   */
  private Effect<EncounterEvent, EncounterLedger> onNodeLost(EncounterLedger state, NodeLost lost) {
    if (ended || !setup.durable() || !lostNodes.add(lost.address())) {
      return Effect().none();
    }
    if (recovered) {
      context.getLog().info("run {}: node {} left; redoing the encounters under way from slot {}", setup.runId(),
          lost.address(), state.recordedSlot());
      restart(state);
    }
    settledAtCheck = -1;
    watchUntilSlot = -1;
    timers.startTimerWithFixedDelay(new CheckStall(), setup.stallTimeout());
    return Effect().none();
  }

  /**
   * Stops the encounters under way, gives every agent its settled mind again and admits, from the
   * schedule's start, every encounter not settled: what a coordinator recovered from its journal
   * does, with the ledger it has.
   */
  private void restart(EncounterLedger state) {
    generation++;
    for (ActorRef<Encounter.Command> encounter : underWay) {
      context.unwatch(encounter);
      context.stop(encounter);
    }
    underWay.clear();
    schedule = game.newSchedule();
    Arrays.fill(turns, 0);
    nextSlot = 0;
    nextIndex = 0;
    stepDue = false;
    restoreEveryone(state);
    admit(state);
  }

  /**
   * After a lost node, messages to agents sent before sharding knew of the loss are gone. At the
   * first check, when sharding has long heard of it, every agent is given its settled mind again:
   * a Restore lost so would leave an agent made again elsewhere at its first turn, waiting for
   * ever, whenever it is next asked. (A Restore is safe at any time: no agent is ahead of the
   * ledger, and one behind it catches up.) A run that settled nothing since the last check
   * restarts again, for a Lend lost so; the watch ends once every encounter admitted by the
   * first check is settled.
   */
  private Effect<EncounterEvent, EncounterLedger> onCheckStall(EncounterLedger state) {
    if (ended || !recovered) {
      return Effect().none();
    }
    long settled = state.recordedSlot();
    if (watchUntilSlot < 0) {
      restoreEveryone(state);
      watchUntilSlot = nextSlot;
    } else if (settled >= watchUntilSlot) {
      timers.cancel(new CheckStall());
      return Effect().none();
    }
    if (settled == settledAtCheck) {
      context.getLog().info("run {}: nothing settled for {} after a lost node; redoing from slot {}", setup.runId(),
          setup.stallTimeout(), settled);
      restart(state);
      watchUntilSlot = -1;
    }
    settledAtCheck = settled;
    return Effect().none();
  }

  /**
   * Admits encounters while the window has room, in the schedule's order. After a recovery the
   * schedule is drawn again from its start: encounters the journal holds are passed over (their
   * draws and turns counted), the others admitted again, exactly as the first session did.
   */
  private void admit(EncounterLedger state) {
    if (!recovered) {
      return;
    }
    int inFlight = setup.llm() == null ? window : Math.max(1, Math.min(window, setup.llm().admissionWindow()));
    while (!ended && nextSlot - state.recordedSlot() < inFlight) {
      if (stepDue) {
        stepDue = false;
        int n = turns.length;
        int[] everyone = new int[n];
        int[] stepTurns = new int[n];
        for (int id = 0; id < n; id++) {
          everyone[id] = id;
          stepTurns[id] = turns[id]++;
        }
        start(state, new Encounter.Plan(nextSlot++, -1, stepRound, everyone, stepTurns, generation));
        continue;
      }
      if (nextIndex >= maxRounds * perRound) {
        return;
      }
      int[] seats = new int[game.participants()];
      // Fewer when agents have left (a room with empty seats), none when all have.
      int[] members = Arrays.copyOf(seats, schedule.nextPresent(seats));
      int[] memberTurns = new int[members.length];
      for (int i = 0; i < members.length; i++) {
        memberTurns[i] = turns[members[i]]++;
      }
      long index = nextIndex++;
      start(state, new Encounter.Plan(nextSlot++, index, index / perRound, members, memberTurns, generation));
      if (nextIndex % perRound == 0 && game.populationStepAfter(nextIndex / perRound - 1)) {
        stepDue = true;
        stepRound = nextIndex / perRound - 1;
      }
    }
  }

  private void start(EncounterLedger state, Encounter.Plan plan) {
    if (state.isSettled(plan.slot())) {
      return;
    }
    ActorRef<Encounter.Command> encounter = context.spawnAnonymous(
        Encounter.create(plan, game, setup.llm() == null ? null : setup.llm().deliberation(), setup.agents(),
            context.getSelf()));
    context.watch(encounter);
    underWay.add(encounter);
  }

  /** Journals the settled encounter; then gives the participants their minds and records what it lets through. */
  private Effect<EncounterEvent, EncounterLedger> onFinished(EncounterLedger state, Encounter.Finished finished) {
    EncounterEvent.Settled settled = finished.settled();
    if (ended || finished.generation() != generation || state.isSettled(settled.slot())) {
      return Effect().none();
    }
    return Effect().persist(settled).thenRun(after -> {
      for (int i = 0; i < settled.members().length; i++) {
        setup.agents().tell(new ShardingEnvelope<>(Integer.toString(settled.members()[i]),
            new EncounterAgent.Return(settled.slot(), settled.states().get(i))));
      }
      if (ended) {
        return;
      }
      write(after);
      if (after.stopReason() != null) {
        end(after, RunOutcome.COMPLETED, after.stopReason());
      } else if (setup.llm() != null && setup.llm().budgetExhausted()) {
        end(after, RunOutcome.BUDGET_EXHAUSTED, RunOutcome.BUDGET_EXHAUSTED.wireName());
      }
      admit(after);
    });
  }

  /** Writes the rows the ledger recorded since the last time to the run directory. */
  private void write(EncounterLedger state) {
    for (EncounterLedger.Row row : state.takeRows()) {
      if (row instanceof EncounterLedger.EncounterRow encounter) {
        setup.files().transcript(encounter.index(), encounter.transcript());
        setup.files().encounter(encounter.index(), encounter.members(), encounter.outcome());
      } else if (row instanceof EncounterLedger.RoundRow round) {
        setup.files().round(round.round(), round.encounters(), round.row());
        setup.progress().update(snapshot(state));
      }
    }
  }

  /** Ends a run whose endpoints stopped answering; reports progress with the calls' figures. */
  private Effect<EncounterEvent, EncounterLedger> onTick(EncounterLedger state) {
    if (ended || !recovered) {
      return Effect().none();
    }
    String unreachable = setup.llm().unreachable();
    if (unreachable != null) {
      end(state, RunOutcome.FAILED, unreachable);
      return Effect().none();
    }
    setup.progress().update(snapshot(state).withInference(setup.llm().progress()));
    admit(state); // the admission window may have grown
    return Effect().none();
  }

  private ProgressListener.Snapshot snapshot(EncounterLedger state) {
    List<String> columns = state.columns();
    double[] lastRow = state.lastRow();
    return new ProgressListener.Snapshot(state.roundsEnded(), maxRounds, state.recordedEncounters(), Double.NaN,
        columns.isEmpty() ? "" : columns.get(0), lastRow == null || lastRow.length == 0 ? Double.NaN : lastRow[0],
        perSecond(state));
  }

  private double perSecond(EncounterLedger state) {
    return state.recordedEncounters() / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  /** A journal that cannot be used ends the run as failed, with what its files hold. */
  private void fail(EncounterLedger state, String reason) {
    end(state, RunOutcome.FAILED, reason);
  }

  private void end(EncounterLedger state, RunOutcome status, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    timers.cancel(new CheckStall());
    ExperimentSpec spec = setup.spec();
    Map<String, Double> last = new LinkedHashMap<>();
    List<String> columns = state.columns();
    double[] lastRow = state.lastRow();
    for (int c = 0; lastRow != null && c < columns.size(); c++) {
      last.put(columns.get(c), lastRow[c]);
    }
    long recorded = state.recordedEncounters();
    double wall = (System.nanoTime() - startNanos) / 1e9;
    if (setup.llm() != null) {
      setup.llm().close(); // calls still under way are not part of the results
    }
    // Turns asked of a model again after a resume or a restart (every session's, from the call journal).
    long reissued = setup.llm() == null ? 0 : setup.llm().reissuedCalls();
    Summary summary = new Summary(Summary.FORMAT, status, spec.name(), spec.seed(), spec.game().kind(),
        spec.policy().resolvedKind(spec.game()), "encounters", setup.populationSize(), game.committedCount(),
        recorded, state.roundsEnded(), 0, reissued, "converged".equals(reason), null, null, null, Map.of(), null,
        null, reason, wall, recorded / Math.max(1e-9, wall), last, null,
        RunParameters.of(spec, spec.committed().resolvedName(spec.game().resolvedNames()), game.committedCount()));
    if (setup.llm() != null) {
      summary = summary.withInference(setup.llm().summary());
    }
    try {
      setup.files().report(summary);
      setup.files().close();
      setup.files().tables();
      setup.files().summary(summary);
      setup.progress().finished(summary);
      setup.done().complete(summary);
    } catch (Exception e) {
      setup.done().completeExceptionally(e);
    }
  }
}
