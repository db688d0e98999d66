package dev.norma.agents.games.identity;

import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.measure.Intervals;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of the in-group identity study, per population round, from the debates' tallies
 * ({@link DebateTally}, each encounter's outcome): first over all debates, {@code wePer1k} (the
 * mean over debates of first-person plural forms per 1,000 tokens) and {@code cooperative} (the
 * share of debate turns with a text that are cooperative); then for each condition C, in the
 * spec's order:
 *
 * <ul>
 *   <li>{@code C_wePer1k}, with {@code C_wePer1kLow} and {@code C_wePer1kHigh}, its 95% percentile
 *       bootstrap interval across the condition's debates (each pair a replicate;
 *       {@link Intervals#bootstrapMean}, seeded by the run, round and condition);</li>
 *   <li>{@code C_wePerTurn}: plural forms per debate turn with a text, pooled;</li>
 *   <li>{@code C_weDrift}: the mean over debates of the last half's rate per 1,000 tokens less the
 *       first half's (positive: the debaters say "we" more as the debate goes on);</li>
 *   <li>{@code C_cooperative}, {@code C_adversarial}: shares of debate turns with a text, pooled;</li>
 *   <li>{@code C_weAre}, {@code C_theyAre}: the mean sentiment of the "We are…" and "They are…"
 *       completions, over the debates that have one scored (NaN without word lists);</li>
 *   <li>{@code C_invalid}: turns without a usable answer.</li>
 * </ul>
 *
 * A figure with nothing to average is NaN. Counts start again each round.
 */
final class IdentityMeasures implements EncounterMeasures {
  static final List<String> FIGURES = List.of("wePer1k", "wePer1kLow", "wePer1kHigh", "wePerTurn", "weDrift",
      "cooperative", "adversarial", "weAre", "theyAre", "invalid");

  private final List<String> conditions;
  private final long seed;
  private final List<List<DebateTally>> debates = new ArrayList<>();

  IdentityMeasures(List<String> conditions, long seed) {
    this.conditions = List.copyOf(conditions);
    this.seed = seed;
    for (int c = 0; c < conditions.size(); c++) {
      debates.add(new ArrayList<>());
    }
  }

  @Override
  public List<String> columns() {
    List<String> columns = new ArrayList<>(List.of("wePer1k", "cooperative"));
    for (String condition : conditions) {
      for (String figure : FIGURES) {
        columns.add(condition + "_" + figure);
      }
    }
    return columns;
  }

  @Override
  public void observed(int agent, double[] before, double[] after) {
  }

  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    DebateTally tally = DebateTally.of(outcome);
    debates.get(tally.condition()).add(tally);
  }

  @Override
  public double[] endRound(long round) {
    double[] row = new double[2 + conditions.size() * FIGURES.size()];
    List<DebateTally> all = new ArrayList<>();
    debates.forEach(all::addAll);
    row[0] = mean(rates(all));
    row[1] = share(all, true);
    for (int c = 0; c < conditions.size(); c++) {
      List<DebateTally> of = debates.get(c);
      double[] rates = rates(of);
      Intervals.Interval interval = Intervals.bootstrapMean(rates, Streams.mix64(seed ^ Streams.mix64(round * 1_000_003L
          + c)));
      int at = 2 + c * FIGURES.size();
      row[at] = interval.estimate();
      row[at + 1] = interval.low();
      row[at + 2] = interval.high();
      int turns = of.stream().mapToInt(DebateTally::turns).sum();
      row[at + 3] = turns == 0 ? Double.NaN : of.stream().mapToInt(DebateTally::plural).sum() / (double) turns;
      row[at + 4] = mean(of.stream().mapToDouble(DebateTally::drift).filter(value -> !Double.isNaN(value)).toArray());
      row[at + 5] = share(of, true);
      row[at + 6] = share(of, false);
      row[at + 7] = mean(of.stream().mapToDouble(DebateTally::weAre).filter(value -> !Double.isNaN(value)).toArray());
      row[at + 8] = mean(of.stream().mapToDouble(DebateTally::theyAre).filter(value -> !Double.isNaN(value))
          .toArray());
      row[at + 9] = of.stream().mapToInt(DebateTally::invalid).sum();
      of.clear();
    }
    return row;
  }

  private static double[] rates(List<DebateTally> debates) {
    return debates.stream().mapToDouble(DebateTally::pluralPerThousand).filter(value -> !Double.isNaN(value))
        .toArray();
  }

  private static double share(List<DebateTally> debates, boolean cooperative) {
    int turns = debates.stream().mapToInt(DebateTally::turns).sum();
    int counted = debates.stream().mapToInt(cooperative ? DebateTally::cooperative : DebateTally::adversarial).sum();
    return turns == 0 ? Double.NaN : counted / (double) turns;
  }

  private static double mean(double[] values) {
    return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum() / values.length;
  }
}
