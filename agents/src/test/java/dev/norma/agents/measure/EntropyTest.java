package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntropyTest {
  private static final double LN2 = Math.log(2);

  @Test
  void twoEqualCategoriesHoldOneBit() {
    int[] counts = {5, 5};
    assertThat(Entropy.plugInBits(counts, 2)).isCloseTo(1.0, within(1e-12));
    // Miller–Madow adds (K - 1) / (2n) nats: here 1 / 20 nats.
    assertThat(Entropy.millerMadowBits(counts, 2)).isCloseTo(1.0 + 1 / (2 * 10 * LN2), within(1e-12));
  }

  @Test
  void fourEqualCategoriesHoldTwoBits() {
    int[] counts = {1, 1, 1, 1};
    assertThat(Entropy.plugInBits(counts, 4)).isCloseTo(2.0, within(1e-12));
    assertThat(Entropy.millerMadowBits(counts, 4)).isCloseTo(2.0 + 3 / (2 * 4 * LN2), within(1e-12));
  }

  @Test
  void anUnevenSampleMatchesTheFormula() {
    int[] counts = {4, 3, 1};
    double expected = -(0.5 * log2(0.5) + 0.375 * log2(0.375) + 0.125 * log2(0.125));
    assertThat(Entropy.plugInBits(counts, 3)).isCloseTo(expected, within(1e-12));
    assertThat(Entropy.millerMadowBits(counts, 3)).isCloseTo(expected + 2 / (2 * 8 * LN2), within(1e-12));
  }

  @Test
  void aSingleCategoryHasNoEntropyAndNoCorrection() {
    assertThat(Entropy.plugInBits(new int[] {10}, 1)).isZero();
    assertThat(Entropy.millerMadowBits(new int[] {10}, 1)).isZero();
    assertThat(Entropy.millerMadowBits(new int[] {0, 7, 0}, 3)).isZero();
  }

  @Test
  void emptyCategoriesDoNotCountAsObserved() {
    assertThat(Entropy.millerMadowBits(new int[] {5, 0, 5, 0}, 4))
        .isCloseTo(Entropy.millerMadowBits(new int[] {5, 5}, 2), within(1e-12));
  }

  @Test
  void onlyTheFirstLengthCountsAreRead() {
    int[] counts = {3, 1, 100};
    double expected = -(0.75 * log2(0.75) + 0.25 * log2(0.25));
    assertThat(Entropy.plugInBits(counts, 2)).isCloseTo(expected, within(1e-12));
    assertThat(Entropy.millerMadowBits(counts, 2)).isCloseTo(expected + 1 / (2 * 4 * LN2), within(1e-12));
  }

  @Test
  void anEmptySampleHasZeroEntropy() {
    assertThat(Entropy.plugInBits(new int[] {0, 0}, 2)).isZero();
    assertThat(Entropy.millerMadowBits(new int[] {0, 0}, 2)).isZero();
    assertThat(Entropy.millerMadowBits(new int[0], 0)).isZero();
  }

  private static double log2(double p) {
    return Math.log(p) / LN2;
  }
}
