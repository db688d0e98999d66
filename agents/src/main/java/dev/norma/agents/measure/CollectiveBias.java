package dev.norma.agents.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collective bias across replicated runs (Ashery et al. 2025): how the winning names of R runs
 * are spread, and how far that spread is from the individual prior — what one agent with an
 * empty memory would choose. A population whose winners follow the prior only reflects the
 * individual bias; one whose winners depart from it has made a bias of its own (the paper: 26 to
 * 40 of 40 runs converged on one name although first choices were not significantly biased).
 *
 * <p>With q_i the winners' shares and p_i the prior over the game's W names:
 * <ul>
 *   <li>entropy H(q) = −Σ q_i log₂ q_i, plug-in and Miller–Madow corrected ({@link Entropy});</li>
 *   <li>KL divergence D(q ‖ p) = Σ q_i log₂ (q_i / p_i) in bits. Names that never won contribute
 *       0 (0 · log 0 = 0), so the winners need no smoothing; the prior must be positive on every
 *       name (an empirical prior with zero counts is smoothed by {@link #priorFromCounts}). The
 *       plug-in D is biased upward: when the winners are drawn from p, 2R·D (in nats) is the G
 *       statistic, about χ²(W − 1), so E[D] ≈ (W − 1) / (2R ln 2) bits; {@code klExcessBits}
 *       subtracts that (a Miller–Madow-style correction; it may fall below 0);</li>
 *   <li>Pearson's χ² test of the winners' counts against R·p ({@link ChiSquare#goodnessOfFit}),
 *       trustworthy when {@code minExpected} is about 5 or more.</li>
 * </ul>
 *
 * @param names        the game's names, in pool order
 * @param winnerShares q_i, per name in order
 * @param prior        p_i, per name in order
 * @param replicates   R, the runs with a winner
 */
public record CollectiveBias(List<String> names, List<Double> winnerShares, List<Double> prior, long replicates,
                             double entropyBits, double entropyMillerMadowBits, double klBits,
                             double klExcessBits, ChiSquare test, double minExpected) {
  private static final double LN2 = Math.log(2);

  /**
   * @param names   the game's W ≥ 2 names
   * @param winners the number of runs each name won (names absent won none)
   * @param prior   the individual prior by name, summing to 1; null or empty for uniform
   */
  public static CollectiveBias of(List<String> names, Map<String, Long> winners, Map<String, Double> prior) {
    int w = names.size();
    if (w < 2) {
      throw new IllegalArgumentException("names: expected at least 2 names, got " + names);
    }
    for (var entry : winners.entrySet()) {
      if (!names.contains(entry.getKey())) {
        throw new IllegalArgumentException("winners." + entry.getKey() + ": not a name of the game " + names);
      }
      if (entry.getValue() == null || entry.getValue() < 0) {
        throw new IllegalArgumentException("winners." + entry.getKey() + ": expected a count >= 0, got "
            + entry.getValue());
      }
    }
    double[] p = priorOver(names, prior);
    long[] counts = new long[w];
    int[] intCounts = new int[w];
    long total = 0;
    for (int i = 0; i < w; i++) {
      counts[i] = winners.getOrDefault(names.get(i), 0L);
      intCounts[i] = Math.toIntExact(counts[i]);
      total += counts[i];
    }
    List<Double> shares = new ArrayList<>(w);
    List<Double> priorList = new ArrayList<>(w);
    double kl = 0;
    double minExpected = Double.POSITIVE_INFINITY;
    for (int i = 0; i < w; i++) {
      double q = total == 0 ? 0 : (double) counts[i] / total;
      shares.add(q);
      priorList.add(p[i]);
      if (q > 0) {
        kl += q * Math.log(q / p[i]) / LN2;
      }
      minExpected = Math.min(minExpected, total * p[i]);
    }
    double nullExpectation = total == 0 ? 0 : (w - 1) / (2.0 * total * LN2);
    return new CollectiveBias(List.copyOf(names), List.copyOf(shares), List.copyOf(priorList), total,
        Entropy.plugInBits(intCounts, w), Entropy.millerMadowBits(intCounts, w), kl, kl - nullExpectation,
        ChiSquare.goodnessOfFit(counts, p), minExpected);
  }

  /**
   * The individual prior of the {@code memory} policy: with an empty memory it draws name i with
   * probability w_i / Σ_j w_j over the game's names (MemoryPolicy), w_i being
   * {@code policy.bias} of the name, 1 when the spec does not give one.
   */
  public static Map<String, Double> normalisedBias(List<String> names, Map<String, Double> bias) {
    for (var entry : bias.entrySet()) {
      if (!names.contains(entry.getKey())) {
        throw new IllegalArgumentException("bias." + entry.getKey() + ": not a name of the game " + names);
      }
      if (entry.getValue() == null || !(entry.getValue() > 0)) {
        throw new IllegalArgumentException("bias." + entry.getKey() + ": expected a positive weight, got "
            + entry.getValue());
      }
    }
    double sum = 0;
    for (String name : names) {
      sum += bias.getOrDefault(name, 1.0);
    }
    Map<String, Double> prior = new LinkedHashMap<>();
    for (String name : names) {
      prior.put(name, bias.getOrDefault(name, 1.0) / sum);
    }
    return prior;
  }

  /**
   * An empirical prior from counted first choices (agents with an empty memory), smoothed by
   * adding {@code pseudocount} to every name — 0.5 is Jeffreys' choice — so that a name never
   * chosen first keeps a positive probability and D(q ‖ p) stays finite.
   */
  public static Map<String, Double> priorFromCounts(List<String> names, Map<String, Long> firstChoices,
                                                    double pseudocount) {
    if (!(pseudocount > 0)) {
      throw new IllegalArgumentException("pseudocount: expected > 0, got " + pseudocount);
    }
    double total = 0;
    for (String name : names) {
      total += firstChoices.getOrDefault(name, 0L) + pseudocount;
    }
    Map<String, Double> prior = new LinkedHashMap<>();
    for (String name : names) {
      prior.put(name, (firstChoices.getOrDefault(name, 0L) + pseudocount) / total);
    }
    return prior;
  }

  private static double[] priorOver(List<String> names, Map<String, Double> prior) {
    double[] p = new double[names.size()];
    if (prior == null || prior.isEmpty()) {
      Arrays.fill(p, 1.0 / names.size());
      return p;
    }
    for (String name : prior.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("prior." + name + ": not a name of the game " + names);
      }
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      Double value = prior.get(names.get(i));
      if (value == null || !(value > 0)) {
        throw new IllegalArgumentException("prior." + names.get(i) + ": expected a positive probability, got " + value);
      }
      p[i] = value;
      sum += value;
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("prior: expected probabilities summing to 1, got " + sum);
    }
    return p;
  }
}
