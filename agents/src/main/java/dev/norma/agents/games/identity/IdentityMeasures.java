package dev.norma.agents.games.identity;

import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.measure.Agreement;
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
 * With a judge and the word lists beside it ({@code scoring: both}) the stance and sentiment above
 * are the judge's, and each condition has the rules' too, and how the two agree:
 *
 * <ul>
 *   <li>{@code C_cooperativeRules}, {@code C_adversarialRules}, {@code C_weAreRules},
 *       {@code C_theyAreRules}: the same figures by the word lists, over the same lines (so a
 *       replay under {@code scoring: rules} writes them as its {@code C_cooperative}, ...);</li>
 *   <li>{@code C_stanceAgreement} and {@code C_stanceKappa}: over the messages the judge gave a
 *       verdict on, the share whose stance the judge and the rules read alike, and Cohen's kappa
 *       of the two ({@link Agreement}, pooled over the condition's debates; NaN when both read one
 *       and the same stance throughout).</li>
 * </ul>
 *
 * A figure with nothing to average is NaN. Counts start again each round.
 */
final class IdentityMeasures implements EncounterMeasures {
  static final List<String> FIGURES = List.of("wePer1k", "wePer1kLow", "wePer1kHigh", "wePerTurn", "weDrift",
      "cooperative", "adversarial", "weAre", "theyAre", "invalid");
  /** The figures a condition adds with the rules beside a judge ({@code scoring: both}). */
  static final List<String> COMPARED = List.of("cooperativeRules", "adversarialRules", "weAreRules",
      "theyAreRules", "stanceAgreement", "stanceKappa");

  private final List<String> conditions;
  private final long seed;
  private final boolean rulesBeside;
  private final List<String> figures;
  private final List<List<DebateTally>> debates = new ArrayList<>();

  IdentityMeasures(List<String> conditions, long seed) {
    this(conditions, seed, false);
  }

  /** The measures of {@code conditions}; {@code rulesBeside}: the rules read beside a judge. */
  IdentityMeasures(List<String> conditions, long seed, boolean rulesBeside) {
    this.conditions = List.copyOf(conditions);
    this.seed = seed;
    this.rulesBeside = rulesBeside;
    List<String> figures = new ArrayList<>(FIGURES);
    if (rulesBeside) {
      figures.addAll(COMPARED);
    }
    this.figures = List.copyOf(figures);
    for (int c = 0; c < conditions.size(); c++) {
      debates.add(new ArrayList<>());
    }
  }

  @Override
  public List<String> columns() {
    List<String> columns = new ArrayList<>(List.of("wePer1k", "cooperative"));
    for (String condition : conditions) {
      for (String figure : figures) {
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
    double[] row = new double[2 + conditions.size() * figures.size()];
    List<DebateTally> all = new ArrayList<>();
    debates.forEach(all::addAll);
    row[0] = mean(rates(all));
    row[1] = share(all, true);
    for (int c = 0; c < conditions.size(); c++) {
      List<DebateTally> of = debates.get(c);
      double[] rates = rates(of);
      Intervals.Interval interval = Intervals.bootstrapMean(rates, Streams.mix64(seed ^ Streams.mix64(round * 1_000_003L
          + c)));
      int at = 2 + c * figures.size();
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
      if (rulesBeside) {
        compared(of, row, at + FIGURES.size());
      }
      of.clear();
    }
    return row;
  }

  /** The rules' figures beside the judge's, and their agreement on stance, from {@code at} in {@code row}. */
  private static void compared(List<DebateTally> debates, double[] row, int at) {
    int turns = debates.stream().mapToInt(DebateTally::turns).sum();
    row[at] = turns == 0 ? Double.NaN : debates.stream().mapToInt(d -> d.rules().cooperative()).sum() / (double) turns;
    row[at + 1] = turns == 0 ? Double.NaN : debates.stream().mapToInt(d -> d.rules().adversarial()).sum()
        / (double) turns;
    row[at + 2] = mean(debates.stream().mapToDouble(d -> d.rules().weAre()).filter(value -> !Double.isNaN(value))
        .toArray());
    row[at + 3] = mean(debates.stream().mapToDouble(d -> d.rules().theyAre()).filter(value -> !Double.isNaN(value))
        .toArray());
    long[][] pooled = null;
    for (DebateTally debate : debates) {
      long[][] table = debate.rules().stanceTable();
      if (pooled == null) {
        pooled = table;
      } else {
        for (int i = 0; i < table.length; i++) {
          for (int j = 0; j < table.length; j++) {
            pooled[i][j] += table[i][j];
          }
        }
      }
    }
    Agreement agreement = pooled == null ? new Agreement(0, Double.NaN, Double.NaN) : Agreement.of(pooled);
    row[at + 4] = agreement.observed();
    row[at + 5] = agreement.kappa();
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
