package dev.norma.agents.sweep;

import dev.norma.agents.measure.Intervals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep's statistical stop, {@code --until 'halfwidth(FIGURE) <= BOUND'}: a point has enough
 * replicates once the half-width of the 95% interval of FIGURE over its finished runs is at most
 * BOUND. A yes/no figure ({@code flipped}, {@code converged}) takes Wilson's interval of its share,
 * any other (a number of {@code runs.csv}: {@code convergenceRound}, {@code measure.meanOffer}...)
 * the bootstrap interval of its mean. Runs without the figure (a failed run, a round of a run that
 * did not converge) are left out; a point with none is never satisfied.
 *
 * @param figure the summary figure, named as its {@code runs.csv} column
 * @param bound  the largest half-width that satisfies
 */
public record StoppingRule(String figure, double bound) {
  private static final Pattern RULE = Pattern.compile(
      "\\s*halfwidth\\s*\\(\\s*([A-Za-z][A-Za-z0-9_.-]*)\\s*\\)\\s*<=\\s*([+]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)\\s*");
  /** Figures whose interval is a proportion's. */
  public static final Set<String> PROPORTIONS = Set.of("flipped", "converged");
  /** Number figures of a summary; an encounter game's measures are {@code measure.<name>}. */
  public static final Set<String> NUMBERS = Set.of("interactions", "populationRounds", "convergenceInteraction",
      "convergenceRound", "flipRound", "invalidInteractions", "wallSeconds", "interactionsPerSecond");
  /** The bootstrap's seed: a point's decision is the same each time it is taken on the same runs. */
  static final long BOOTSTRAP_SEED = 1;

  /**
   * Reads {@code --until}.
   *
   * @throws IllegalArgumentException naming the option, when it cannot be read
   */
  public static StoppingRule parse(String text) {
    Matcher m = RULE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("--until '" + text + "': expected halfwidth(FIGURE) <= NUMBER,"
          + " e.g. 'halfwidth(flipped) <= 0.05' or 'halfwidth(convergenceRound) <= 5'");
    }
    String figure = m.group(1);
    if (!PROPORTIONS.contains(figure) && !NUMBERS.contains(figure)
        && !(figure.startsWith(SweepRunRow.MEASURE) && figure.length() > SweepRunRow.MEASURE.length())) {
      List<String> known = new ArrayList<>(PROPORTIONS);
      known.addAll(NUMBERS);
      known.sort(null);
      throw new IllegalArgumentException("--until '" + text + "': unknown figure '" + figure + "'; known: "
          + String.join(", ", known) + ", or measure.<name> of an encounter game");
    }
    double bound = Double.parseDouble(m.group(2));
    if (!(bound > 0)) {
      throw new IllegalArgumentException("--until '" + text + "': the bound must be above 0");
    }
    return new StoppingRule(figure, bound);
  }

  /** The interval of the figure over {@code runs} (one point's), leaving out the runs without it. */
  public Intervals.Interval interval(List<SweepRunRow> runs) {
    if (PROPORTIONS.contains(figure)) {
      long trials = 0;
      long successes = 0;
      for (SweepRunRow run : runs) {
        if (run.figure(figure) instanceof Boolean yes) {
          trials++;
          successes += yes ? 1 : 0;
        }
      }
      return Intervals.wilson(successes, trials);
    }
    double[] values = runs.stream().map(run -> run.figure(figure)).filter(v -> v instanceof Number)
        .mapToDouble(v -> ((Number) v).doubleValue()).filter(Double::isFinite).toArray();
    return Intervals.bootstrapMean(values, BOOTSTRAP_SEED);
  }

  /** Whether a point with these finished runs has enough of them. */
  public boolean satisfied(List<SweepRunRow> runs) {
    if (runs.stream().noneMatch(run -> run.figure(figure) != null)) {
      return false;
    }
    double half = interval(runs).halfWidth();
    return Double.isFinite(half) && half <= bound;
  }

  /**
   * How many replicates a point that is not yet satisfied gets next: a batch of {@code batch},
   * no more than {@code maxReplicates} in all; 0 when it is satisfied or at the cap.
   *
   * @param runs      the point's finished runs (failed ones included: they count towards the cap)
   * @param scheduled replicates the point has had so far
   */
  public int more(List<SweepRunRow> runs, int scheduled, int maxReplicates, int batch) {
    List<SweepRunRow> finished = runs.stream().filter(run -> !run.failed()).toList();
    if (scheduled >= maxReplicates || satisfied(finished)) {
      return 0;
    }
    return Math.min(batch, maxReplicates - scheduled);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "halfwidth(%s) <= %s", figure, bound);
  }
}
