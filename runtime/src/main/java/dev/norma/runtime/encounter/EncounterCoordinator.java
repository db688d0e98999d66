package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
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
 */
final class EncounterCoordinator extends AbstractBehavior<EncounterCoordinator.Command> {

  /** What the coordinator is told. */
  interface Command {
  }

  /** Stop admitting and end the run as interrupted, with everything recorded so far. */
  record Interrupt() implements Command {
  }

  /** What a run needs. */
  record Setup(ExperimentSpec spec, EncounterGame<? extends Mind> game, int populationSize,
               ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, EncounterFiles files,
               ProgressListener progress, CompletableFuture<Summary> done) {
  }

  static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> new EncounterCoordinator(context, setup));
  }

  private final Setup setup;
  private final EncounterGame<Mind> game;
  private final EncounterSchedule schedule;
  private final EncounterMeasures measures;
  private final int[] turns;
  private final long perRound;
  private final long maxRounds;
  private final int window;
  private final Encounter.Finished[] pending;
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
    this.pending = new Encounter.Finished[window];
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
        .onSignal(ChildFailed.class, failed -> {
          end(RunOutcome.FAILED, "an encounter failed: " + failed.getCause());
          return this;
        })
        .onSignal(Terminated.class, stopped -> this)
        .build();
  }

  private void admit() {
    while (!ended && nextSlot - recordedSlot < window) {
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
        Encounter.create(plan, game, setup.agents(), getContext().getSelf()));
    getContext().watch(encounter);
  }

  private Behavior<Command> onFinished(Encounter.Finished finished) {
    if (ended) {
      return this;
    }
    pending[(int) (finished.plan().slot() % window)] = finished;
    while (!ended) {
      int at = (int) (recordedSlot % window);
      Encounter.Finished next = pending[at];
      if (next == null || next.plan().slot() != recordedSlot) {
        break;
      }
      pending[at] = null;
      recordedSlot++;
      record(next);
    }
    admit();
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
    List<String> columns = measures.columns();
    setup.progress().update(new ProgressListener.Snapshot(roundsEnded, maxRounds, recordedEncounters, Double.NaN,
        columns.isEmpty() ? "" : columns.get(0), row.length == 0 ? Double.NaN : row[0], perSecond()));
    String reason = measures.stopAfter(round, row);
    if (reason != null) {
      end(RunOutcome.COMPLETED, reason);
    } else if (roundsEnded >= maxRounds) {
      end(RunOutcome.COMPLETED, EncounterLoop.MAX_ROUNDS);
    }
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
        reason, wall, recordedEncounters / Math.max(1e-9, wall), last, null);
    try {
      setup.files().report();
      setup.files().summary(summary);
      setup.files().close();
      setup.progress().finished(summary);
      setup.done().complete(summary);
    } catch (Exception e) {
      setup.done().completeExceptionally(e);
    }
  }
}
