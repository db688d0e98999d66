package dev.norma.agents.games.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.protocols.spec.GameSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemoryPolicyTest {
  private static final int DRAWS = 40_000;

  /** A mind of a W-name game with memory H whose window holds the given partner choices. */
  private static NamingMind mindRemembering(MemoryPolicy policy, int poolSize, int memory, int... partners) {
    NamingGame game = new NamingGame(GameSpec.generatedNames(poolSize), memory, 100, -50, policy, -1);
    NamingMind mind = game.newMind(1, 77);
    for (int i = 0; i < partners.length; i++) {
      game.remember(mind, 0, partners[i], i);
    }
    return mind;
  }

  private static double[] frequencies(MemoryPolicy policy, NamingMind mind, int poolSize) {
    int[] counts = new int[poolSize];
    for (int i = 0; i < DRAWS; i++) {
      counts[policy.choose(mind)]++;
    }
    double[] freq = new double[poolSize];
    for (int i = 0; i < poolSize; i++) {
      freq[i] = counts[i] / (double) DRAWS;
    }
    return freq;
  }

  private static double chiSquare(double[] observed, double[] expected) {
    double chi = 0;
    for (int i = 0; i < observed.length; i++) {
      double o = observed[i] * DRAWS;
      double e = expected[i] * DRAWS;
      chi += (o - e) * (o - e) / e;
    }
    return chi;
  }

  @Test
  void anEmptyMemoryChoosesUniformlyFromThePool() {
    MemoryPolicy policy = new MemoryPolicy(10, 0.1, null);
    NamingMind mind = mindRemembering(policy, 10, 5);
    double[] uniform = new double[10];
    Arrays.fill(uniform, 0.1);
    // 9 degrees of freedom: P(chi^2 > 27.9) = 0.001.
    assertThat(chiSquare(frequencies(policy, mind, 10), uniform)).isLessThan(27.9);
  }

  @Test
  void aPriorBiasShiftsTheEmptyMemoryChoiceInProportion() {
    double[] bias = {4, 1, 1, 2, 2};
    MemoryPolicy policy = new MemoryPolicy(5, 0.1, bias);
    double[] freq = frequencies(policy, mindRemembering(policy, 5, 5), 5);
    double[] expected = {0.4, 0.1, 0.1, 0.2, 0.2};
    assertThat(chiSquare(freq, expected)).isLessThan(18.5); // 4 dof, p = 0.001
    assertThat(freq[0] / freq[1]).isCloseTo(4.0, within(0.4));
  }

  @Test
  void atZeroTemperatureItBestRespondsToTheMostFrequentPartnerChoice() {
    MemoryPolicy policy = new MemoryPolicy(10, 0, null);
    NamingMind mind = mindRemembering(policy, 10, 5, 2, 7, 7, 3, 7);
    for (int i = 0; i < 500; i++) {
      assertThat(policy.choose(mind)).isEqualTo(7);
    }
  }

  @Test
  void atZeroTemperatureTiesAreBrokenByTheBiasAmongTheTiedNamesOnly() {
    double[] bias = {1, 3, 1, 1, 1};
    MemoryPolicy policy = new MemoryPolicy(5, 0, bias);
    NamingMind mind = mindRemembering(policy, 5, 5, 1, 4, 4, 1, 0);
    double[] freq = frequencies(policy, mind, 5);
    assertThat(freq[0] + freq[2] + freq[3]).isZero();
    assertThat(freq[1]).isCloseTo(0.75, within(0.015));
    assertThat(freq[4]).isCloseTo(0.25, within(0.015));
  }

  @Test
  void choicesFollowTheSoftmaxOfPartnerCountsOverTheMemoryLength() {
    // Window of H = 5 holding partners {1, 1, 2}: f(1) = 2/5, f(2) = 1/5, f(0) = f(3) = 0.
    double temperature = 0.5;
    MemoryPolicy policy = new MemoryPolicy(4, temperature, null);
    NamingMind mind = mindRemembering(policy, 4, 5, 1, 1, 2);
    double w1 = Math.exp(0.4 / temperature);
    double w2 = Math.exp(0.2 / temperature);
    double total = w1 + w2 + 2;
    double[] expected = {1 / total, w1 / total, w2 / total, 1 / total};
    double[] freq = frequencies(policy, mind, 4);
    for (int i = 0; i < 4; i++) {
      assertThat(freq[i]).as("name %d", i).isCloseTo(expected[i], within(0.012));
    }
  }

  @Test
  void biasWeightsRememberedAndUnrememberedNamesAlike() {
    double[] bias = {1, 2, 3, 1};
    double temperature = 1;
    MemoryPolicy policy = new MemoryPolicy(4, temperature, bias);
    NamingMind mind = mindRemembering(policy, 4, 2, 3, 3);
    double w3 = 1 * Math.exp(1.0 / temperature);
    double total = 1 + 2 + 3 + w3;
    double[] freq = frequencies(policy, mind, 4);
    assertThat(freq[0]).isCloseTo(1 / total, within(0.012));
    assertThat(freq[1]).isCloseTo(2 / total, within(0.012));
    assertThat(freq[2]).isCloseTo(3 / total, within(0.012));
    assertThat(freq[3]).isCloseTo(w3 / total, within(0.012));
  }

  @Test
  void higherTemperatureSpreadsTheChoices() {
    double previousShare = 1.01;
    for (double temperature : new double[] {0.05, 0.2, 1, 10}) {
      MemoryPolicy policy = new MemoryPolicy(10, temperature, null);
      NamingMind mind = mindRemembering(policy, 10, 5, 4, 4, 4, 4, 4);
      double share = frequencies(policy, mind, 10)[4];
      double expected = Math.exp(1 / temperature) / (Math.exp(1 / temperature) + 9);
      assertThat(share).as("T = %s", temperature).isCloseTo(expected, within(0.01));
      assertThat(share).as("T = %s", temperature).isLessThan(previousShare);
      previousShare = share;
    }
  }

  @Test
  void aVeryLowTemperatureStillFollowsTheMemory() {
    for (double temperature : new double[] {1e-3, 1e-4, 1e-9}) {
      MemoryPolicy policy = new MemoryPolicy(10, temperature, null);
      NamingMind unanimous = mindRemembering(policy, 10, 5, 6, 6, 6, 6, 6);
      NamingMind split = mindRemembering(policy, 10, 5, 6, 2, 6, 2, 6);
      for (int i = 0; i < 200; i++) {
        assertThat(policy.choose(unanimous)).as("T = %s", temperature).isEqualTo(6);
        assertThat(policy.choose(split)).as("T = %s", temperature).isEqualTo(6);
      }
    }
  }

  @Test
  void aBiasMustWeighEveryName() {
    assertThatThrownBy(() -> new MemoryPolicy(3, 0.1, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
