package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
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
}
