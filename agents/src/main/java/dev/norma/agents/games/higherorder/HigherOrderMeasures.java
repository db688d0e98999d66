package dev.norma.agents.games.higherorder;

import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.protocols.spec.StopSpec;
import java.util.List;

/**
 * The measures of a study of the higher-order naming game ({@link HigherOrderEncounters}).
 *
 * <p>Columns of {@code rounds.csv}: {@code onA}, {@code onB} and {@code undecided}, the shares of
 * the uncommitted agents that know only A, only B, and both at the round's end (committed agents
 * are always on A and are left out: exactly {@link ConventionShares}); {@code agreement}, the share
 * of the round's encounters whose group agreed.
 *
 * <p>Stop rules, from the spec's {@code stop} section, checked at every round's end:
 * <ul>
 *   <li>{@code converged} ({@code stop.onConvergence}): with a committed minority, every
 *       uncommitted agent knows only A; without one, every agent knows the same single
 *       convention (the population starts there, on B).</li>
 *   <li>{@code flipped} ({@code stop.onFlip}, with a committed minority): the share on A averages
 *       at least {@code stop.flipThreshold} over the latest {@code stop.flipWindowRounds} rounds,
 *       within {@code stop.flipWithinRounds} rounds of the start; with a window of one round, the
 *       round in which the share reaches the threshold.</li>
 *   <li>{@code flip-window-ended} ({@code stop.onFlip}, with a committed minority): no flip within
 *       {@code stop.flipWithinRounds} rounds.</li>
 * </ul>
 * These are the naming games' definitions (the share on A standing for the production of the
 * committed name), and the first that holds is the reason, in this order.
 */
final class HigherOrderMeasures implements EncounterMeasures {
  static final List<String> COLUMNS = List.of("onA", "onB", "undecided", "agreement");
  static final String CONVERGED = "converged";
  static final String FLIPPED = "flipped";
  static final String FLIP_WINDOW_ENDED = "flip-window-ended";

  private final StopSpec stop;
  private final boolean committedMinority;
  /** Uncommitted agents by {@link ConventionMind#state()}: A, B, AB. */
  private final int[] counts = new int[3];
  private int uncommitted;
  private long roundEncounters;
  private long roundAgreements;
  /** The share on A of the latest rounds, a ring of {@code stop.flipWindowRounds}. */
  private final double[] recentOnA;
  private long roundsSeen;
  private boolean converged;
  private boolean flipped;

  HigherOrderMeasures(StopSpec stop, boolean committedMinority) {
    this.stop = stop;
    this.committedMinority = committedMinority;
    this.recentOnA = new double[stop.flipWindowRounds()];
  }

  @Override
  public List<String> columns() {
    return COLUMNS;
  }

  @Override
  public void observed(int agent, double[] before, double[] after) {
    if (after[HigherOrderEncounters.COMMITTED] != 0) {
      return;
    }
    if (before == null) {
      uncommitted++;
    } else {
      counts[(int) before[HigherOrderEncounters.STATE]]--;
    }
    counts[(int) after[HigherOrderEncounters.STATE]]++;
  }

  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    roundEncounters++;
    if (outcome[HigherOrderEncounters.AGREED] != 0) {
      roundAgreements++;
    }
  }

  @Override
  public double[] endRound(long round) {
    // As HigherOrderLoop computes its shares, so that the two give the same doubles.
    double total = Math.max(1, uncommitted);
    double onA = counts[ConventionMind.A] / total;
    double[] row = {onA, counts[ConventionMind.B] / total, counts[ConventionMind.AB] / total,
        roundEncounters == 0 ? 0 : (double) roundAgreements / roundEncounters};
    roundEncounters = 0;
    roundAgreements = 0;
    converged = counts[ConventionMind.A] == uncommitted
        || !committedMinority && counts[ConventionMind.B] == uncommitted;
    observeFlip(onA);
    return row;
  }

  private void observeFlip(double onA) {
    recentOnA[(int) (roundsSeen % recentOnA.length)] = onA;
    roundsSeen++;
    if (!committedMinority || flipped || roundsSeen < recentOnA.length || roundsSeen > stop.flipWithinRounds()) {
      return;
    }
    double sum = 0;
    for (double share : recentOnA) {
      sum += share;
    }
    flipped = sum / recentOnA.length >= stop.flipThreshold();
  }

  @Override
  public String stopAfter(long round, double[] row) {
    if (stop.onConvergence() && converged) {
      return CONVERGED;
    }
    if (committedMinority && stop.onFlip()) {
      if (flipped) {
        return FLIPPED;
      }
      if (round + 1 >= stop.flipWithinRounds()) {
        return FLIP_WINDOW_ENDED;
      }
    }
    return null;
  }
}
