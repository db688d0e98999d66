package dev.norma.runtime.study;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunParameters;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.LinkedHashMap;

/** Builds a run's {@link Summary} from its population measures, the same way for every coordinator. */
public final class RunSummaries {
  private RunSummaries() {
  }

  public static Summary summarize(ExperimentSpec spec, StudyPlan plan, PopulationObserver observer,
                                  RunOutcome status, String stopReason, double wallSeconds, long reissuedCalls) {
    boolean committed = observer.hasCommittedMinority();
    long n = plan.populationSize();
    return new Summary(Summary.FORMAT, status, spec.name(), plan.seed(), spec.game().kind(),
        spec.policy().resolvedKind(spec.game()), spec.schedule().kind(), plan.populationSize(),
        plan.committedCount(), observer.recorded(), observer.recorded() / n,
        observer.invalidInteractions(), reissuedCalls, observer.converged(),
        observer.converged() ? observer.convergenceIndex() : null,
        observer.converged() ? observer.convergenceIndex() / n : null, observer.winner(),
        new LinkedHashMap<>(observer.finalShares()), committed ? observer.flipped() : null,
        committed && observer.flipped() ? observer.flipRound() : null, stopReason, wallSeconds,
        observer.recorded() / Math.max(1e-9, wallSeconds))
        .withParameters(RunParameters.of(spec, observer.committedName(), plan.committedCount()));
  }
}
