package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChiSquareTest {
  @Test
  void matchesTabulatedValues() {
    // 1 degree of freedom: X² = 3.841 is the 5% critical value, 6.635 the 1%.
    assertThat(ChiSquare.uniform(new long[] {60, 40}).pValue()).isCloseTo(0.0455, within(1e-4));
    assertThat(ChiSquare.upperRegularizedGamma(0.5, 3.841 / 2)).isCloseTo(0.05, within(1e-4));
    assertThat(ChiSquare.upperRegularizedGamma(0.5, 6.635 / 2)).isCloseTo(0.01, within(1e-4));
    // 9 degrees of freedom (ten names): 16.919 is the 5% critical value.
    assertThat(ChiSquare.upperRegularizedGamma(4.5, 16.919 / 2)).isCloseTo(0.05, within(1e-4));
    // ln Γ(5) = ln 24.
    assertThat(ChiSquare.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
  }

  @Test
  void uniformCountsAreNotRejectedAndABiasIs() {
    ChiSquare flat = ChiSquare.uniform(new long[] {100, 100, 100, 100});
    assertThat(flat.statistic()).isZero();
    assertThat(flat.degreesOfFreedom()).isEqualTo(3);
    assertThat(flat.pValue()).isEqualTo(1.0);
    assertThat(ChiSquare.uniform(new long[] {700, 300}).pValue()).isLessThan(1e-30);
  }

  @Test
  void goodnessOfFitAgainstAGivenPrior() {
    // 40 runs over (Q, M, X) against the prior (1/4, 1/2, 1/4): expected 10, 20, 10.
    // Observed 4, 30, 6: X² = 36/10 + 100/20 + 16/10 = 3.6 + 5 + 1.6 = 10.2, df 2,
    // p = exp(-10.2 / 2) = 0.006097 (for 2 degrees of freedom the tail is exp(-x/2)).
    ChiSquare test = ChiSquare.goodnessOfFit(new long[] {4, 30, 6}, new double[] {0.25, 0.5, 0.25});
    assertThat(test.statistic()).isCloseTo(10.2, within(1e-12));
    assertThat(test.degreesOfFreedom()).isEqualTo(2);
    assertThat(test.pValue()).isCloseTo(Math.exp(-5.1), within(1e-12));
    // The same counts against uniform: expected 40/3 each, X² = Σ c² / (40/3) − 40 = 952 · 3/40 − 40 = 31.4.
    assertThat(ChiSquare.uniform(new long[] {4, 30, 6}).statistic()).isCloseTo(31.4, within(1e-9));
  }

  @Test
  void aPriorThatIsNotADistributionIsRefused() {
    assertThatThrownBy(() -> ChiSquare.goodnessOfFit(new long[] {1, 2}, new double[] {0.5, 0.6}))
        .hasMessageContaining("sum of 1");
    assertThatThrownBy(() -> ChiSquare.goodnessOfFit(new long[] {1, 2}, new double[] {1, 0}))
        .hasMessageContaining("probabilities[1]");
    assertThatThrownBy(() -> ChiSquare.goodnessOfFit(new long[] {1, 2}, new double[] {1}))
        .hasMessageContaining("probabilities");
  }
}
