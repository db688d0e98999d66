package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstPassageTest {
  @Test
  void reportsTheFirstRoundAtOrAboveTheThreshold() {
    // Shares of A by round: 0.2, 0.6, 0.94, 0.95, 0.91, 1.0 -> first >= 0.95 is round 4 (not 6,
    // though the share falls back below in round 5).
    FirstPassage passage = new FirstPassage("A", 0.95);
    double[] shares = {0.2, 0.6, 0.94, 0.95, 0.91, 1.0};
    for (int round = 1; round <= 3; round++) {
      assertThat(passage.observe(round, shares[round - 1])).isFalse();
    }
    assertThat(passage.firstRound()).isEmpty();
    assertThat(passage.observe(4, shares[3])).isTrue();
    passage.observe(5, shares[4]);
    passage.observe(6, shares[5]);
    assertThat(passage.firstRound()).hasValue(4);
  }

  @Test
  void readsTheNamedNameFromAMapOfShares() {
    FirstPassage passage = new FirstPassage("M", 0.5);
    passage.observe(0, Map.of("Q", 0.7));
    passage.observe(1, Map.of("Q", 0.6, "M", 0.4));
    passage.observe(2, Map.of("Q", 0.5, "M", 0.5));
    assertThat(passage.firstRound()).hasValue(2);
  }

  @Test
  void neverReachedStaysEmpty() {
    FirstPassage passage = new FirstPassage("A", 1.0);
    for (int round = 0; round < 10; round++) {
      passage.observe(round, 0.99);
    }
    assertThat(passage.reached()).isFalse();
    assertThat(passage.firstRound()).isEmpty();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> new FirstPassage("A", 0)).hasMessageContaining("threshold");
    FirstPassage passage = new FirstPassage("A", 0.5);
    passage.observe(3, 0.1);
    assertThatThrownBy(() -> passage.observe(3, 0.1)).hasMessageContaining("round");
  }
}
