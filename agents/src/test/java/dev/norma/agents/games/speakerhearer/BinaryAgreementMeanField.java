package dev.norma.agents.games.speakerhearer;

import java.util.Arrays;

/**
 * The mean-field equations of binary agreement with a committed minority (Xie et al., Phys.
 * Rev. E 84, 011130, 2011, eq. 1), with time in population rounds (N interactions):
 * <pre>
 *   dnA/dt = -nA nB + nAB^2 + nA nAB + (3/2) p nAB
 *   dnB/dt = -nA nB + nAB^2 + nB nAB - p nB,        nAB = 1 - p - nA - nB
 * </pre>
 * nA, nB and nAB are the uncommitted agents in each state as fractions of the whole population.
 * Integrated by fourth-order Runge–Kutta, to give the science tests exact reference values.
 */
final class BinaryAgreementMeanField {
  private static final int STEPS_PER_ROUND = 200;
  private final double p;
  private double nA;
  private double nB;

  /** Everyone uncommitted starts on B. */
  BinaryAgreementMeanField(double committedFraction) {
    this.p = committedFraction;
    this.nA = 0;
    this.nB = 1 - committedFraction;
  }

  private double[] rates(double a, double b) {
    double ab = 1 - p - a - b;
    return new double[] {-a * b + ab * ab + a * ab + 1.5 * p * ab, -a * b + ab * ab + b * ab - p * b};
  }

  /**
   * Advances one population round and returns the uncommitted agents' mean production of A over
   * it: a speaker on A says A, one on AB says A half the time.
   */
  double round() {
    double dt = 1.0 / STEPS_PER_ROUND;
    double production = 0;
    for (int i = 0; i < STEPS_PER_ROUND; i++) {
      double[] k1 = rates(nA, nB);
      double[] k2 = rates(nA + dt / 2 * k1[0], nB + dt / 2 * k1[1]);
      double[] k3 = rates(nA + dt / 2 * k2[0], nB + dt / 2 * k2[1]);
      double[] k4 = rates(nA + dt * k3[0], nB + dt * k3[1]);
      nA += dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
      nB += dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
      production += productionOfA() / STEPS_PER_ROUND;
    }
    return production;
  }

  /** The uncommitted agents' current production of A. */
  double productionOfA() {
    double ab = 1 - p - nA - nB;
    return (nA + ab / 2) / (1 - p);
  }

  /**
   * The round in which the production of A first averages at least {@code threshold} over the
   * latest {@code window} rounds, as the population observer defines a flip; -1 if not within
   * {@code maxRounds}.
   */
  static int flipRound(double committedFraction, double threshold, int window, int maxRounds) {
    BinaryAgreementMeanField model = new BinaryAgreementMeanField(committedFraction);
    double[] recent = new double[window];
    for (int round = 0; round < maxRounds; round++) {
      recent[round % window] = model.round();
      if (round >= window - 1 && Arrays.stream(recent).average().orElse(0) >= threshold) {
        return round;
      }
    }
    return -1;
  }

  /** The uncommitted agents' production of B once the dynamics has settled (after 2000 rounds). */
  static double settledProductionOfB(double committedFraction) {
    BinaryAgreementMeanField model = new BinaryAgreementMeanField(committedFraction);
    for (int round = 0; round < 2000; round++) {
      model.round();
    }
    return 1 - model.productionOfA();
  }

  /** The critical fraction, by bisection on whether the B state survives 5000 rounds. */
  static double criticalFraction() {
    double low = 0.05;
    double high = 0.15;
    while (high - low > 1e-5) {
      double mid = (low + high) / 2;
      BinaryAgreementMeanField model = new BinaryAgreementMeanField(mid);
      for (int round = 0; round < 5000 && model.nA < 0.5; round++) {
        model.round();
      }
      if (model.nA >= 0.5) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return (low + high) / 2;
  }
}
