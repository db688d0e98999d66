package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.measure.TippingPoint.Status;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TippingPointTest {
  @Test
  void aSaturatedTwoPointCaseByHand() {
    // x = 0: 1 of 4 runs flipped; x = 1: 3 of 4. Two x values and two parameters: the fit passes
    // through both observed proportions, so b0 = logit(1/4) = -ln 3, b0 + b1 = logit(3/4) = ln 3,
    // b1 = 2 ln 3 and x* = -b0 / b1 = 1/2.
    // Covariance: each group's logit has variance 1 / (n p (1 - p)) = 1 / (4 · 3/16) = 4/3 and the
    // groups are independent, so Var b0 = 4/3, Var b1 = 8/3, Cov(b0, b1) = -4/3.
    // Delta method: g = (-1/b1, b0/b1²) = (-1/(2 ln 3), -1/(4 ln 3)) = (2h, h) with h = -1/(4 ln 3);
    // Var x* = 4h² · 4/3 + h² · 8/3 + 2 · 2h · h · (-4/3) = 8/3 · h² = 1 / (6 ln² 3),
    // se = 1 / (√6 ln 3) = 1 / 2.691040 = 0.371604, interval 0.5 ± 1.959964 · 0.371604 = [-0.228330, 1.228330].
    double[] x = {0, 0, 0, 0, 1, 1, 1, 1};
    boolean[] flipped = {true, false, false, false, true, true, true, false};
    TippingPoint tipping = TippingPoint.fit(x, flipped);
    assertThat(tipping.status()).isEqualTo(Status.FITTED);
    assertThat(tipping.intercept()).isCloseTo(-Math.log(3), within(1e-9));
    assertThat(tipping.slope()).isCloseTo(2 * Math.log(3), within(1e-9));
    assertThat(tipping.criticalFraction().estimate()).isCloseTo(0.5, within(1e-9));
    assertThat(tipping.standardError()).isCloseTo(1 / (Math.sqrt(6) * Math.log(3)), within(1e-9));
    assertThat(tipping.criticalFraction().low()).isCloseTo(-0.228330, within(1e-6));
    assertThat(tipping.criticalFraction().high()).isCloseTo(1.228330, within(1e-6));
  }

  @Test
  void recoversTheCriticalFractionOfAKnownLogistic() {
    // Runs drawn from P(flip | x) = 1 / (1 + exp(-60 (x - 0.098))) at x = 0.02, 0.03, ..., 0.20,
    // 100 runs each, over 20 seeds: every estimate within 0.01 of 0.098, and the 95% intervals
    // cover it in at least 16 of 20 (a binomial(20, 0.95) falls below 16 with probability 0.3%).
    int covered = 0;
    for (long seed = 1; seed <= 20; seed++) {
      TippingPoint tipping = fitDrawn(seed, 60, 0.098);
      assertThat(tipping.status()).isEqualTo(Status.FITTED);
      assertThat(tipping.criticalFraction().estimate()).isCloseTo(0.098, within(0.01));
      assertThat(tipping.slope()).isBetween(40.0, 85.0);
      if (tipping.criticalFraction().low() <= 0.098 && 0.098 <= tipping.criticalFraction().high()) {
        covered++;
      }
    }
    assertThat(covered).isGreaterThanOrEqualTo(16);
  }

  @Test
  void outcomesThatIgnoreTheFractionGiveNoUsableCriticalFraction() {
    // Negative control: flips at probability ½ whatever x. The slope is near 0 and x* is not
    // pinned down: its interval is wider than the whole range of fractions tried.
    TippingPoint tipping = fitDrawn(7, 0, 0);
    assertThat(Math.abs(tipping.slope())).isLessThan(5);
    assertThat(tipping.criticalFraction().high() - tipping.criticalFraction().low()).isGreaterThan(0.18);
  }

  @Test
  void separatedRunsAreBoundedByTheNeighbouringFractions() {
    // No flip up to 0.08, every run flips from 0.10: the slope has no finite maximum; x* is in
    // [0.08, 0.10], reported with its midpoint 0.09.
    double[] x = {0.05, 0.05, 0.08, 0.10, 0.12, 0.12};
    TippingPoint tipping = TippingPoint.fit(x, new boolean[] {false, false, false, true, true, true});
    assertThat(tipping.status()).isEqualTo(Status.SEPARATED);
    assertThat(tipping.criticalFraction().low()).isEqualTo(0.08);
    assertThat(tipping.criticalFraction().high()).isEqualTo(0.10);
    assertThat(tipping.criticalFraction().estimate()).isCloseTo(0.09, within(1e-12));
    assertThat(tipping.slope()).isNaN();
    // Mixed outcomes at one fraction only (quasi-complete separation): x* is that fraction.
    TippingPoint quasi = TippingPoint.fit(new double[] {0.05, 0.10, 0.10, 0.12},
        new boolean[] {false, false, true, true});
    assertThat(quasi.status()).isEqualTo(Status.SEPARATED);
    assertThat(quasi.criticalFraction().low()).isEqualTo(0.10);
    assertThat(quasi.criticalFraction().high()).isEqualTo(0.10);
  }

  @Test
  void oneOutcomeEverywhereBoundsTheCriticalFractionOnOneSide() {
    double[] x = {0.05, 0.10, 0.15};
    TippingPoint none = TippingPoint.fit(x, new boolean[3]);
    assertThat(none.status()).isEqualTo(Status.NONE_FLIPPED);
    assertThat(none.criticalFraction().low()).isEqualTo(0.15);
    assertThat(none.criticalFraction().high()).isInfinite();
    TippingPoint all = TippingPoint.fit(x, new boolean[] {true, true, true});
    assertThat(all.status()).isEqualTo(Status.ALL_FLIPPED);
    assertThat(all.criticalFraction().high()).isEqualTo(0.05);
    assertThat(all.criticalFraction().estimate()).isNaN();
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> TippingPoint.fit(new double[] {0.1}, new boolean[2])).hasMessageContaining("flipped");
    assertThatThrownBy(() -> TippingPoint.fit(new double[0], new boolean[0])).hasMessageContaining("x:");
    assertThatThrownBy(() -> TippingPoint.fit(new double[] {Double.NaN}, new boolean[1]))
        .hasMessageContaining("x[0]");
  }

  private static TippingPoint fitDrawn(long seed, double slope, double critical) {
    SplittableRandom random = new SplittableRandom(seed);
    int levels = 19;
    int runs = 100;
    double[] x = new double[levels * runs];
    boolean[] flipped = new boolean[x.length];
    for (int level = 0; level < levels; level++) {
      double fraction = 0.02 + 0.01 * level;
      double p = 1 / (1 + Math.exp(-slope * (fraction - critical)));
      for (int run = 0; run < runs; run++) {
        x[level * runs + run] = fraction;
        flipped[level * runs + run] = random.nextDouble() < p;
      }
    }
    return TippingPoint.fit(x, flipped);
  }
}
