package dev.norma.runtime.study;

import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.StopSpec;
import java.util.Locale;

/**
 * Whether a spec's stop rules can end it in a sane time: a study whose only sure stop is
 * {@code stop.maxRounds}, set far out, would otherwise run for years without a word. The
 * duration is estimated at assumed rates, stated in the warning, not measured: a rough figure
 * that is enough to tell an hour from a decade.
 */
public final class StudyDuration {
  /** Actor runs in memory on a 2-core machine (README, "Benchmarks"). */
  static final double INTERACTIONS_PER_SECOND = 100_000;
  /** Durable runs, bounded by the journal's writes. */
  static final double DURABLE_INTERACTIONS_PER_SECOND = 4_000;
  /** One language-model call, end to end, as a served model of moderate size answers. */
  static final double CALL_SECONDS = 0.5;
  /** Longer than this is not a study anyone waits for. */
  static final double SANE_SECONDS = 24 * 3600;

  private StudyDuration() {
  }

  /** A one-line warning when only {@code stop.maxRounds} is sure to end the study and that takes too long; or null. */
  public static String warning(ExperimentSpec spec) {
    String why = whyOnlyMaxRounds(spec);
    if (why == null) {
      return null;
    }
    StopSpec stop = spec.stop();
    long population = spec.population().size();
    double interactions = (double) stop.maxRounds() * population;
    double seconds;
    String rate;
    if (PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      double committedShare = (double) spec.committed().resolveCount((int) population) / population;
      double calls = 2 * interactions * (1 - committedShare);
      long concurrency = 0;
      for (EndpointSpec endpoint : spec.inference().endpoints()) {
        concurrency += endpoint.maxInFlight();
      }
      concurrency = Math.max(1, Math.min(concurrency, spec.schedule().inFlight()));
      seconds = calls * CALL_SECONDS / concurrency;
      rate = String.format(Locale.ROOT, "%.3g language-model calls at %.1f s each, %,d at once", calls,
          CALL_SECONDS, concurrency);
    } else {
      double perSecond = spec.durable() ? DURABLE_INTERACTIONS_PER_SECOND : INTERACTIONS_PER_SECOND;
      seconds = interactions / perSecond;
      rate = String.format(Locale.ROOT, "%.3g interactions at about %,.0f a second", interactions, perSecond);
    }
    if (seconds <= SANE_SECONDS) {
      return null;
    }
    return String.format(Locale.ROOT, "the stop rules may never end this study before stop.maxRounds = %,d (%s):"
        + " %s take about %s", stop.maxRounds(), why, rate, duration(seconds));
  }

  /** Why no stop rule but {@code maxRounds} can be counted on, or null when one can. */
  private static String whyOnlyMaxRounds(ExperimentSpec spec) {
    StopSpec stop = spec.stop();
    int committed = spec.committed().resolveCount(spec.population().size());
    if (committed > 0 && stop.onFlip()) {
      return null; // a flip, or the end of its window, stops the run
    }
    if (!stop.onConvergence()) {
      return committed > 0 ? "stop.onConvergence and stop.onFlip are false" : "stop.onConvergence is false";
    }
    if (committed > 0) {
      String why = Games.forKind(spec.game().kind())
          .whyItMayNotConverge(spec, (double) committed / spec.population().size());
      if (why != null) {
        return why + ", and stop.onFlip is false";
      }
    }
    return null;
  }

  /** Seconds as the largest unit that keeps the number at least 1 (seconds to years). */
  static String duration(double seconds) {
    double[] sizes = {365.25 * 86400, 86400, 3600, 60, 1};
    String[] names = {"years", "days", "hours", "minutes", "seconds"};
    for (int i = 0; i < sizes.length; i++) {
      if (seconds >= sizes[i]) {
        return String.format(Locale.ROOT, "%,.1f %s", seconds / sizes[i], names[i]);
      }
    }
    return String.format(Locale.ROOT, "%.1f seconds", seconds);
  }
}
