package dev.norma.agents.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * 95% confidence intervals for the figures of replicated runs: Wilson's score interval for a
 * proportion (it stays inside [0, 1] and behaves at 0 and n successes, where the normal
 * approximation collapses), and a percentile bootstrap for the mean of anything else.
 */
public final class Intervals {
  /** The standard normal quantile of a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;
  /** Resamples of a bootstrap: enough for stable 2.5% and 97.5% percentiles. */
  public static final int BOOTSTRAP_RESAMPLES = 2000;

  private Intervals() {
  }

  /** An estimate and its interval; {@code low <= estimate <= high} is not required of a bootstrap. */
  public record Interval(double estimate, double low, double high) {
    public double halfWidth() {
      return (high - low) / 2;
    }
  }

  /** Wilson's 95% score interval for {@code successes} out of {@code trials}; [0, 1] for no trials. */
  public static Interval wilson(long successes, long trials) {
    if (successes < 0 || trials < 0 || successes > trials) {
      throw new IllegalArgumentException("expected 0 <= successes <= trials, got " + successes + " of " + trials);
    }
    if (trials == 0) {
      return new Interval(Double.NaN, 0, 1);
    }
    double n = trials;
    double p = successes / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * The percentile bootstrap 95% interval of the mean of {@code values}, resampled with a stream
   * seeded by {@code seed} so a report is the same each time it is drawn. A single value gives a
   * zero-width interval; no values give NaN.
   */
  public static Interval bootstrapMean(double[] values, long seed) {
    int n = values.length;
    if (n == 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = Arrays.stream(values).sum() / n;
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[BOOTSTRAP_RESAMPLES];
    for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    Arrays.sort(means);
    return new Interval(mean, percentile(means, 0.025), percentile(means, 0.975));
  }

  /** Linear interpolation between the order statistics of sorted {@code values}. */
  public static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
