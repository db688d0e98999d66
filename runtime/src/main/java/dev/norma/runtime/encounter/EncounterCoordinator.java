package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunParameters;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.study.ProgressListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * Runs a study of an encounter game: admits encounters from the game's seeded schedule, at most
 * {@code schedule.inFlight} at once, stamping each participant's turn number, so each agent takes
 * its encounters in index order; a population step is admitted after its round's last encounter
 * as a turn of every agent. Each admitted encounter is a short-lived {@link Encounter} child.
 * What they report is recorded in admission order: the game's measures, {@code rounds.csv} at every
 * round's end, the interaction log, progress, and the stop rules (the game's, then
 * {@code stop.maxRounds}). So the files equal those of {@link EncounterLoop} for the seed.
 *
 * <p>With language-model agents the run's gateway sets how many encounters are under way (at most
 * {@code schedule.inFlight}, at most its admission window), a budget reached ends the run as
 * {@code budget-exhausted}, and endpoints that stop answering end it as failed, each with what
 * was recorded so far; the summary carries the call journal's figures.
 */
final class EncounterCoordinator extends AbstractBehavior<EncounterCoordinator.Command> {

  /** What the coordinator is told. */
  interface Command {
  }

  /** Stop admitting and end the run as interrupted, with everything recorded so far. */
  record Interrupt() implements Command {
  }

  /** Time to check the endpoints and report progress, with language-model agents. */
  private record Tick() implements Command {
  }

  /**
   * What a run needs.
   *
   * @param llm the run's language-model machinery, or null when the game's rule plays
   */
  record Setup(ExperimentSpec spec, EncounterGame<? extends Mind> game, int populationSize,
               ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, EncounterFiles files,
               ProgressListener progress, CompletableFuture<Summary> done, LlmStudy llm) {
  }

  /** How often a study of language-model agents checks its endpoints and reports its calls. */
  private static final java.time.Duration TICK = java.time.Duration.ofSeconds(1);

  static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> setup.llm() == null ? new EncounterCoordinator(context, setup)
        : Behaviors.withTimers(timers -> {
          timers.startTimerWithFixedDelay(new Tick(), TICK);
          return new EncounterCoordinator(context, setup);
        }));
  }

  private final Setup setup;
  private final EncounterGame<Mind> game;
  private final EncounterSchedule schedule;
  private final EncounterMeasures measures;
  private final int[] turns;
  private final long perRound;
  private final long maxRounds;
  private final int window;
  /** Encounters that finished before an earlier one, by slot, until it is recorded. */
  private final Map<Long, Encounter.Finished> pending = new java.util.HashMap<>();
  private final long startNanos = System.nanoTime();
  private long nextSlot;
  private long nextIndex;
  /** A population step is due before the next encounter: after round {@code stepRound}. */
  private boolean stepDue;
  private long stepRound;
  private long recordedSlot;
  private long recordedEncounters;
  private long roundsEnded;
  private double[] lastRow;
  private boolean ended;

  @SuppressWarnings("unchecked")
  private EncounterCoordinator(ActorContext<Command> context, Setup setup) {
    super(context);
    this.setup = setup;
    this.game = (EncounterGame<Mind>) setup.game();
    this.schedule = game.newSchedule();
    this.measures = game.newMeasures();
    this.turns = new int[setup.populationSize()];
    this.perRound = game.encountersPerRound();
    this.maxRounds = setup.spec().stop().maxRounds();
    this.window = setup.spec().schedule().inFlight();
    for (int id = 0; id < setup.populationSize(); id++) {
      measures.observed(id, null, game.observe(game.newMind(id)));
    }
    admit();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Encounter.Finished.class, this::onFinished)
        .onMessage(Interrupt.class, interrupt -> {
          end(RunOutcome.INTERRUPTED, "interrupted");
          return this;
        })
        .onMessage(Tick.class, tick -> onTick())
        .onSignal(ChildFailed.class, failed -> {
          end(RunOutcome.FAILED, "an encounter failed: " + failed.getCause());
          return this;
        })
        .onSignal(Terminated.class, stopped -> this)
        .build();
  }

  private void admit() {
    int inFlight = setup.llm() == null ? window : Math.max(1, Math.min(window, setup.llm().admissionWindow()));
    while (!ended && nextSlot - recordedSlot < inFlight) {
      if (stepDue) {
        stepDue = false;
        int n = turns.length;
        int[] everyone = new int[n];
        int[] stepTurns = new int[n];
        for (int id = 0; id < n; id++) {
          everyone[id] = id;
          stepTurns[id] = turns[id]++;
        }
        start(new Encounter.Plan(nextSlot++, -1, stepRound, everyone, stepTurns));
        continue;
      }
      if (nextIndex >= maxRounds * perRound) {
        return;
      }
      int[] members = new int[game.participants()];
      schedule.next(members);
      int[] memberTurns = new int[members.length];
      for (int i = 0; i < members.length; i++) {
        memberTurns[i] = turns[members[i]]++;
      }
      long index = nextIndex++;
      start(new Encounter.Plan(nextSlot++, index, index / perRound, members, memberTurns));
      if (nextIndex % perRound == 0 && game.populationStepAfter(nextIndex / perRound - 1)) {
        stepDue = true;
        stepRound = nextIndex / perRound - 1;
      }
    }
  }

  private void start(Encounter.Plan plan) {
    ActorRef<Encounter.Command> encounter = getContext().spawnAnonymous(
        Encounter.create(plan, game, setup.llm() == null ? null : setup.llm().deliberation(), setup.agents(),
            getContext().getSelf()));
    getContext().watch(encounter);
  }

  private Behavior<Command> onFinished(Encounter.Finished finished) {
    if (ended) {
      return this;
    }
    pending.put(finished.plan().slot(), finished);
    while (!ended) {
      Encounter.Finished next = pending.remove(recordedSlot);
      if (next == null) {
        break;
      }
      recordedSlot++;
      record(next);
    }
    if (!ended && setup.llm() != null && setup.llm().budgetExhausted()) {
      end(RunOutcome.BUDGET_EXHAUSTED, RunOutcome.BUDGET_EXHAUSTED.wireName());
    }
    admit();
    return this;
  }

  /** Ends a run whose endpoints stopped answering; reports progress with the calls' figures. */
  private Behavior<Command> onTick() {
    if (ended) {
      return this;
    }
    String unreachable = setup.llm().unreachable();
    if (unreachable != null) {
      end(RunOutcome.FAILED, unreachable);
      return this;
    }
    setup.progress().update(snapshot().withInference(setup.llm().progress()));
    admit(); // the admission window may have grown
    return this;
  }

  private void record(Encounter.Finished finished) {
    Encounter.Plan plan = finished.plan();
    int[] members = plan.members();
    for (int i = 0; i < members.length; i++) {
      measures.observed(members[i], finished.before()[i], finished.after()[i]);
    }
    if (plan.step()) {
      endRound(plan.round());
      return;
    }
    measures.encounter(plan.index(), members, finished.outcome());
    setup.files().transcript(plan.index(), finished.transcript());
    setup.files().encounter(plan.index(), members, finished.outcome());
    recordedEncounters++;
    long round = plan.index() / perRound;
    if (recordedEncounters % perRound == 0 && !game.populationStepAfter(round)) {
      endRound(round);
    }
  }

  private void endRound(long round) {
    double[] row = measures.endRound(round);
    lastRow = row;
    roundsEnded = round + 1;
    setup.files().round(round, recordedEncounters, row);
    setup.progress().update(snapshot());
    String reason = measures.stopAfter(round, row);
    if (reason != null) {
      end(RunOutcome.COMPLETED, reason);
    } else if (roundsEnded >= maxRounds) {
      end(RunOutcome.COMPLETED, EncounterLoop.MAX_ROUNDS);
    }
  }

  private ProgressListener.Snapshot snapshot() {
    List<String> columns = measures.columns();
    return new ProgressListener.Snapshot(roundsEnded, maxRounds, recordedEncounters, Double.NaN,
        columns.isEmpty() ? "" : columns.get(0), lastRow == null || lastRow.length == 0 ? Double.NaN : lastRow[0],
        perSecond());
  }

  private double perSecond() {
    return recordedEncounters / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  private void end(RunOutcome status, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    ExperimentSpec spec = setup.spec();
    Map<String, Double> last = new LinkedHashMap<>();
    List<String> columns = measures.columns();
    for (int c = 0; lastRow != null && c < columns.size(); c++) {
      last.put(columns.get(c), lastRow[c]);
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    Summary summary = new Summary(Summary.FORMAT, status, spec.name(), spec.seed(), spec.game().kind(),
        spec.policy().resolvedKind(spec.game()), "encounters", setup.populationSize(), game.committedCount(),
        recordedEncounters, roundsEnded, 0, 0, "converged".equals(reason), null, null, null, Map.of(), null, null,
        reason, wall, recordedEncounters / Math.max(1e-9, wall), last, null,
        RunParameters.of(spec, spec.committed().resolvedName(spec.game().resolvedNames()), game.committedCount()));
    if (setup.llm() != null) {
      setup.llm().close(); // calls still under way are not part of the results
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
