package dev.norma.agents.games.higherorder;

/**
 * The mean-field equations of the higher-order naming game on a homogeneously mixed population
 * (derived in {@link HigherOrderScienceTest}), with time in population rounds (N group
 * interactions), integrated by fourth-order Runge–Kutta. With k = g − 1 hearers, a, b, c the
 * uncommitted agents on A, B and AB as fractions of the whole population and p the committed:
 * <pre>
 *   da/dt = β (1−b)^k c/2 + β k c (1−b)^(k−1) (a + p + c/2) − k a (b + c/2)
 *   db/dt = β (1−a−p)^k c/2 + β k c (1−a−p)^(k−1) (b + c/2) − k b (a + p + c/2)
 *   c = 1 − p − a − b
 * </pre>
 */
final class HigherOrderMeanField {
  private static final int STEPS_PER_ROUND = 20;
  private final int hearers;
  private final double beta;
  private final double p;
  private double a;
  private double b;
  private double time;

  /** Everyone uncommitted starts on B. */
  HigherOrderMeanField(int groupSize, double beta, double committedFraction) {
    this.hearers = groupSize - 1;
    this.beta = beta;
    this.p = committedFraction;
    this.a = 0;
    this.b = 1 - committedFraction;
  }

  private double rateOfA(double a, double b) {
    double c = 1 - p - a - b;
    double knowA = 1 - b;
    return beta * Math.pow(knowA, hearers) * c / 2
        + beta * hearers * c * Math.pow(knowA, hearers - 1) * (a + p + c / 2)
        - hearers * a * (b + c / 2);
  }

  private double rateOfB(double a, double b) {
    double c = 1 - p - a - b;
    double knowB = 1 - a - p;
    return beta * Math.pow(knowB, hearers) * c / 2
        + beta * hearers * c * Math.pow(knowB, hearers - 1) * (b + c / 2)
        - hearers * b * (a + p + c / 2);
  }

  /** Advances one population round. */
  HigherOrderMeanField round() {
    double dt = 1.0 / STEPS_PER_ROUND;
    for (int i = 0; i < STEPS_PER_ROUND; i++) {
      double a1 = rateOfA(a, b);
      double b1 = rateOfB(a, b);
      double a2 = rateOfA(a + dt / 2 * a1, b + dt / 2 * b1);
      double b2 = rateOfB(a + dt / 2 * a1, b + dt / 2 * b1);
      double a3 = rateOfA(a + dt / 2 * a2, b + dt / 2 * b2);
      double b3 = rateOfB(a + dt / 2 * a2, b + dt / 2 * b2);
      double a4 = rateOfA(a + dt * a3, b + dt * b3);
      double b4 = rateOfB(a + dt * a3, b + dt * b3);
      a += dt / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
      b += dt / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
    }
    time += 1;
    return this;
  }

  /** Population rounds integrated so far. */
  double time() {
    return time;
  }

  /** The fraction of uncommitted agents on A only (as {@link ConventionShares#onA()}). */
  double onA() {
    return a / (1 - p);
  }

  double onB() {
    return b / (1 - p);
  }

  double undecided() {
    return 1 - onA() - onB();
  }

  /**
   * The first round whose end has more than half the uncommitted agents on A, numbered as
   * {@link ConventionShares#round()} numbers them (round r ends at time r + 1); -1 if none within
   * {@code maxRounds}.
   */
  static int tippingRound(int groupSize, double beta, double committedFraction, int maxRounds) {
    HigherOrderMeanField model = new HigherOrderMeanField(groupSize, beta, committedFraction);
    for (int round = 0; round < maxRounds; round++) {
      double a = model.a;
      double b = model.b;
      if (model.round().onA() > 0.5) {
        return round;
      }
      // Settled short of tipping: a fixed point, which it will not leave. (Just above p_c the
      // trajectory slows near the vanished fixed point, but far above this speed.)
      if (Math.abs(model.a - a) + Math.abs(model.b - b) < 1e-10) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * The critical fraction at (g, β): the least p from which the B majority gives way, by
   * bisection on whether most of the uncommitted agents are on A within 3000 rounds.
   */
  static double criticalFraction(int groupSize, double beta) {
    double low = 0;
    double high = 0.3;
    while (high - low > 1e-4) {
      double mid = (low + high) / 2;
      if (tippingRound(groupSize, beta, mid, 3000) >= 0) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return (low + high) / 2;
  }
}
