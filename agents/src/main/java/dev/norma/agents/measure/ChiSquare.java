package dev.norma.agents.measure;

import java.util.Arrays;

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against the uniform distribution,
 * as used for an LLM's individual bias (Ashery et al. 2025: the first choices of agents with an
 * empty memory, tested against uniform), or against any distribution (the winners of replicated
 * runs against an individual prior: {@link CollectiveBias}).
 *
 * @param statistic        X² = Σ (observed − expected)² / expected
 * @param degreesOfFreedom categories − 1
 * @param pValue           P(χ²(df) ≥ X²): small values reject the expected distribution
 */
public record ChiSquare(double statistic, int degreesOfFreedom, double pValue) {

  /** Tests counts over k ≥ 2 categories against equal probabilities. */
  public static ChiSquare uniform(long[] counts) {
    double[] equal = new double[counts.length];
    Arrays.fill(equal, 1.0 / Math.max(1, counts.length));
    return goodnessOfFit(counts, equal);
  }

  /**
   * Tests counts over k ≥ 2 categories against the given probabilities (positive, summing to 1
   * within 1e-9), e.g. the winners of replicated runs against an individual prior. The χ²
   * approximation wants expected counts of about 5 or more in every category.
   */
  public static ChiSquare goodnessOfFit(long[] counts, double[] probabilities) {
    if (counts.length < 2) {
      throw new IllegalArgumentException("a chi-square test needs at least 2 categories");
    }
    if (probabilities.length != counts.length) {
      throw new IllegalArgumentException("probabilities: expected " + counts.length + " (one per category), got "
          + probabilities.length);
    }
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      if (!(probabilities[i] > 0)) {
        throw new IllegalArgumentException("probabilities[" + i + "]: expected > 0, got " + probabilities[i]);
      }
      sum += probabilities[i];
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("probabilities: expected a sum of 1, got " + sum);
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    int df = counts.length - 1;
    if (total == 0) {
      return new ChiSquare(0, df, 1);
    }
    double statistic = 0;
    for (int i = 0; i < counts.length; i++) {
      double expected = total * probabilities[i];
      statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return new ChiSquare(statistic, df, upperRegularizedGamma(df / 2.0, statistic / 2));
  }

  /** Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, a continued fraction above. */
  static double upperRegularizedGamma(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < 10_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
    }
    // Lentz's method for the continued fraction of Γ(a, x).
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-15) {
        break;
      }
    }
    return Math.min(1, Math.exp(-x + a * Math.log(x) - logGamma(a)) * h);
  }

  /** ln Γ(a) by the Lanczos approximation (g = 7, nine coefficients), a > 0. */
  static double logGamma(double a) {
    double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    if (a < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
    }
    double x = g[0];
    double t = a - 1 + 7.5;
    for (int i = 1; i < g.length; i++) {
      x += g[i] / (a - 1 + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (a - 0.5) * Math.log(t) - t + Math.log(x);
  }
}
