package dev.norma.agents;

import java.util.Arrays;

/** Least-squares fits used by the science tests. */
public final class Scaling {
  private Scaling() {
  }

  /** The exponent a of y = c·x^a fitted by least squares on log y against log x. */
  public static double logLogSlope(double[] x, double[] y) {
    int k = x.length;
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < k; i++) {
      meanX += Math.log(x[i]) / k;
      meanY += Math.log(y[i]) / k;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < k; i++) {
      double dx = Math.log(x[i]) - meanX;
      sxy += dx * (Math.log(y[i]) - meanY);
      sxx += dx * dx;
    }
    return sxy / sxx;
  }

  public static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int k = sorted.length;
    return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  }
}
