package dev.norma.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void aPowerLawIsFittedExactly() {
    double[] x = {10, 20, 40, 80};
    double[] y = new double[4];
    for (int i = 0; i < 4; i++) {
      y[i] = 3 * Math.pow(x[i], 1.5);
    }
    assertThat(Scaling.logLogSlope(x, y)).isCloseTo(1.5, within(1e-12));
  }

  @Test
  void meanAndMedian() {
    assertThat(Scaling.mean(new double[] {1, 2, 6})).isEqualTo(3.0);
    assertThat(Scaling.median(new double[] {5, 1, 3})).isEqualTo(3.0);
    assertThat(Scaling.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
