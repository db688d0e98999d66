package dev.norma.agents.measure;

import dev.norma.agents.measure.Intervals.Interval;

/**
 * The critical mass of a committed minority (Xie et al. 2011; Centola et al. 2018; Ashery et al.
 * 2025): from runs at several committed fractions x, each flipped or not, a logistic regression
 * P(flip | x) = 1 / (1 + exp(−(b0 + b1·x))) fitted by maximum likelihood, and the critical
 * fraction x* = −b0 / b1 where P = ½.
 *
 * <p>Fit: Newton–Raphson (equal to IRLS for the logistic), with x centred on its mean, step
 * halving when the likelihood would fall, at most {@link #MAX_ITERATIONS} steps; a fit that has
 * not converged by then is reported as {@link Status#NOT_CONVERGED}. Interval: the delta method,
 * Var(x*) ≈ gᵀ Σ g with g = (−1/b1, b0/b1²) and Σ the inverse Fisher information at the estimate,
 * giving x* ± 1.96·se (symmetric; it can be poor with few runs near x*, where a bootstrap over
 * runs is the safer choice).
 *
 * <p>Without a maximum likelihood estimate, no regression is run and the data speak directly:
 * <ul>
 *   <li>{@link Status#SEPARATED}: every run below some x failed and every run above it flipped
 *       (or the reverse): the slope would grow without bound. x* lies between the largest x
 *       without a flip and the smallest with one (the neighbouring fractions), reported as the
 *       interval with its midpoint as the estimate; slope and intercept are NaN.</li>
 *   <li>{@link Status#ALL_FLIPPED} / {@link Status#NONE_FLIPPED}: x* is below the smallest x /
 *       above the largest: the interval is (−∞, min x] / [max x, ∞), the estimate NaN.</li>
 * </ul>
 */
public record TippingPoint(Status status, double intercept, double slope, Interval criticalFraction,
                           double standardError, int iterations) {
  public static final int MAX_ITERATIONS = 100;

  /** How the critical fraction was found. */
  public enum Status { FITTED, NOT_CONVERGED, SEPARATED, ALL_FLIPPED, NONE_FLIPPED }

  /** Fits the outcomes {@code flipped[i]} of runs at committed fractions {@code x[i]}. */
  public static TippingPoint fit(double[] x, boolean[] flipped) {
    if (x.length != flipped.length) {
      throw new IllegalArgumentException("flipped: expected " + x.length + " outcomes (one per x), got "
          + flipped.length);
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("x: expected at least one run");
    }
    double maxFailed = Double.NEGATIVE_INFINITY;
    double minFailed = Double.POSITIVE_INFINITY;
    double maxFlipped = Double.NEGATIVE_INFINITY;
    double minFlipped = Double.POSITIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException("x[" + i + "]: expected a finite number, got " + x[i]);
      }
      if (flipped[i]) {
        maxFlipped = Math.max(maxFlipped, x[i]);
        minFlipped = Math.min(minFlipped, x[i]);
      } else {
        maxFailed = Math.max(maxFailed, x[i]);
        minFailed = Math.min(minFailed, x[i]);
      }
    }
    if (maxFlipped == Double.NEGATIVE_INFINITY) {
      return bounded(Status.NONE_FLIPPED, maxFailed, Double.POSITIVE_INFINITY);
    }
    if (maxFailed == Double.NEGATIVE_INFINITY) {
      return bounded(Status.ALL_FLIPPED, Double.NEGATIVE_INFINITY, minFlipped);
    }
    if (maxFailed <= minFlipped) {
      return bounded(Status.SEPARATED, maxFailed, minFlipped);
    }
    if (maxFlipped <= minFailed) {
      return bounded(Status.SEPARATED, maxFlipped, minFailed);
    }
    return newton(x, flipped);
  }

  private static TippingPoint bounded(Status status, double low, double high) {
    double estimate = status == Status.SEPARATED ? (low + high) / 2 : Double.NaN;
    return new TippingPoint(status, Double.NaN, Double.NaN, new Interval(estimate, low, high), Double.NaN, 0);
  }

  private static TippingPoint newton(double[] x, boolean[] flipped) {
    int n = x.length;
    double mean = 0;
    double flips = 0;
    for (int i = 0; i < n; i++) {
      mean += x[i] / n;
      flips += flipped[i] ? 1 : 0;
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = x[i] - mean;
    }
    // Coefficients on the centred x: logit P = c0 + c1 (x − mean).
    double c0 = Math.log(flips / (n - flips));
    double c1 = 0;
    double logLikelihood = logLikelihood(z, flipped, c0, c1);
    boolean converged = false;
    int iteration = 0;
    double[] fisher = fisher(z, c0, c1);
    while (!converged && iteration < MAX_ITERATIONS) {
      iteration++;
      double g0 = 0;
      double g1 = 0;
      for (int i = 0; i < n; i++) {
        double residual = (flipped[i] ? 1 : 0) - logistic(c0 + c1 * z[i]);
        g0 += residual;
        g1 += residual * z[i];
      }
      double det = fisher[0] * fisher[2] - fisher[1] * fisher[1];
      double step0 = (fisher[2] * g0 - fisher[1] * g1) / det;
      double step1 = (fisher[0] * g1 - fisher[1] * g0) / det;
      double scale = 1;
      double next = logLikelihood(z, flipped, c0 + step0, c1 + step1);
      while (next < logLikelihood && scale > 1e-10) {
        scale /= 2;
        next = logLikelihood(z, flipped, c0 + scale * step0, c1 + scale * step1);
      }
      c0 += scale * step0;
      c1 += scale * step1;
      converged = Math.abs(scale * step0) < 1e-10 * (1 + Math.abs(c0))
          && Math.abs(scale * step1) < 1e-10 * (1 + Math.abs(c1));
      logLikelihood = next;
      fisher = fisher(z, c0, c1);
    }
    // Σ = I⁻¹ on the centred coefficients; x* = mean − c0/c1 has gradient (−1/c1, c0/c1²).
    double det = fisher[0] * fisher[2] - fisher[1] * fisher[1];
    double var0 = fisher[2] / det;
    double var1 = fisher[0] / det;
    double cov01 = -fisher[1] / det;
    double d0 = -1 / c1;
    double d1 = c0 / (c1 * c1);
    double standardError = Math.sqrt(d0 * d0 * var0 + 2 * d0 * d1 * cov01 + d1 * d1 * var1);
    double critical = mean - c0 / c1;
    Interval interval = new Interval(critical, critical - Intervals.Z95 * standardError,
        critical + Intervals.Z95 * standardError);
    return new TippingPoint(converged ? Status.FITTED : Status.NOT_CONVERGED, c0 - c1 * mean, c1, interval,
        standardError, iteration);
  }

  /** The Fisher information of (c0, c1) as {I00, I01, I11}. */
  private static double[] fisher(double[] z, double c0, double c1) {
    double[] info = new double[3];
    for (double zi : z) {
      double p = logistic(c0 + c1 * zi);
      double w = p * (1 - p);
      info[0] += w;
      info[1] += w * zi;
      info[2] += w * zi * zi;
    }
    return info;
  }

  private static double logLikelihood(double[] z, boolean[] flipped, double c0, double c1) {
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      double eta = c0 + c1 * z[i];
      // log σ(η) = −log(1 + e^−η), written to stay finite for large |η|.
      double logOnePlusExp = Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta)));
      sum += (flipped[i] ? eta : 0) - logOnePlusExp;
    }
    return sum;
  }

  private static double logistic(double eta) {
    return 1 / (1 + Math.exp(-eta));
  }
}
