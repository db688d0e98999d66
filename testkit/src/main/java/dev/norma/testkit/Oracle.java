package dev.norma.testkit;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.function.Consumer;

/**
 * The oracle every actor run, resumed run and failed-over cluster run must equal: the agents'
 * single-threaded plain loop of a spec at the spec's seed. It hands over each interaction and
 * each round row as the loop records them; whoever compares a run directory with it writes them
 * with the same writer as the run (the runtime's tests do, through their own small helper, since
 * this module cannot see the runtime).
 */
public final class Oracle {
  private final StudyPlan plan;

  public Oracle(ExperimentSpec spec) {
    this.plan = new StudyPlan(spec, spec.seed());
  }

  /** The plan of the spec: its game and population size, for a writer of the same files. */
  public StudyPlan plan() {
    return plan;
  }

  /** Plays the whole study; what the population measured at its end. */
  public PopulationObserver run(Consumer<InteractionRecord> onInteraction, Consumer<RoundRow> onRound) {
    return new PlainLoop(plan).run(onInteraction, onRound);
  }
}
