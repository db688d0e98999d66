package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntervalsTest {
  @Test
  void wilsonMatchesHandComputedIntervals() {
    // 8 of 10: centre (0.8 + 0.19207) / 1.38415 = 0.71674, half 0.22578 (Newcombe 1998's table).
    Intervals.Interval eight = Intervals.wilson(8, 10);
    assertThat(eight.estimate()).isEqualTo(0.8);
    assertThat(eight.low()).isCloseTo(0.4902, within(1e-4));
    assertThat(eight.high()).isCloseTo(0.9433, within(1e-4));
    // 0 of 10: the interval starts at 0 and does not collapse as the normal one would.
    Intervals.Interval none = Intervals.wilson(0, 10);
    assertThat(none.low()).isZero();
    assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
    assertThat(Intervals.wilson(20, 40).halfWidth()).isCloseTo(0.1476, within(1e-3));
  }

  @Test
  void wilsonRefusesImpossibleCounts() {
    assertThatThrownBy(() -> Intervals.wilson(3, 2)).hasMessageContaining("3 of 2");
    assertThat(Intervals.wilson(0, 0).low()).isZero();
  }

  @Test
  void bootstrapCoversTheMeanAndNarrowsWithMoreData() {
    double[] few = {1, 2, 3, 4, 5};
    Intervals.Interval small = Intervals.bootstrapMean(few, 7);
    assertThat(small.estimate()).isEqualTo(3.0);
    assertThat(small.low()).isBetween(1.5, 3.0);
    assertThat(small.high()).isBetween(3.0, 4.5);
    double[] many = new double[500];
    for (int i = 0; i < many.length; i++) {
      many[i] = 1 + i % 5;
    }
    Intervals.Interval large = Intervals.bootstrapMean(many, 7);
    assertThat(large.halfWidth()).isLessThan(small.halfWidth() / 5);
    // The same seed draws the same interval.
    assertThat(Intervals.bootstrapMean(few, 7)).isEqualTo(small);
    assertThat(Intervals.bootstrapMean(new double[] {4}, 1).halfWidth()).isZero();
  }
}
