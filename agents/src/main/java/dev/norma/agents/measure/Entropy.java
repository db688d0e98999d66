package dev.norma.agents.measure;

/** Entropy estimates of a distribution given by counts. */
public final class Entropy {
  private static final double LN2 = Math.log(2);

  private Entropy() {
  }

  /** Plug-in (maximum-likelihood) Shannon entropy in bits. */
  public static double plugInBits(int[] counts, int length) {
    long n = 0;
    for (int i = 0; i < length; i++) {
      n += counts[i];
    }
    if (n == 0) {
      return 0;
    }
    double h = 0;
    for (int i = 0; i < length; i++) {
      if (counts[i] > 0) {
        double p = (double) counts[i] / n;
        h -= p * Math.log(p);
      }
    }
    return h / LN2;
  }

  /**
   * Miller–Madow corrected entropy in bits: the plug-in estimate plus (K − 1) / (2n) nats, K the
   * number of observed categories and n the sample size. 0 for an empty sample.
   */
  public static double millerMadowBits(int[] counts, int length) {
    long n = 0;
    int observed = 0;
    for (int i = 0; i < length; i++) {
      n += counts[i];
      if (counts[i] > 0) {
        observed++;
      }
    }
    if (n == 0) {
      return 0;
    }
    return plugInBits(counts, length) + (observed - 1) / (2.0 * n) / LN2;
  }
}
