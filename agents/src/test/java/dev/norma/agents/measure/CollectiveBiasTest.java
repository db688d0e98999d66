package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.Specs;
import dev.norma.agents.games.naming.NamingGame;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectiveBiasTest {
  private static final double LN2 = Math.log(2);

  @Test
  void claudesTwentySixOfFortyByHand() {
    // Ashery et al. 2025, W = 2: 26 of 40 runs converged on M, uniform prior.
    // q = (0.35, 0.65) over (Q, M).
    // H(q) = -(0.35 log2 0.35 + 0.65 log2 0.65) = 0.35 * 1.514573 + 0.65 * 0.621488 = 0.934068 bits.
    // Miller-Madow adds (2 - 1) / (2 * 40) nats = 0.018034 bits.
    // D(q || ½,½) = 1 - H(q) = 0.065932 bits; the null expectation (W - 1) / (2R ln 2) = 0.018034
    // bits, so the excess is 0.047898 bits.
    // X² = (14 - 20)² / 20 + (26 - 20)² / 20 = 3.6, df 1, p = 0.05778 (erfc(sqrt(1.8))).
    CollectiveBias bias = CollectiveBias.of(List.of("Q", "M"), Map.of("M", 26L, "Q", 14L), null);
    assertThat(bias.replicates()).isEqualTo(40);
    assertThat(bias.winnerShares()).containsExactly(0.35, 0.65);
    assertThat(bias.prior()).containsExactly(0.5, 0.5);
    assertThat(bias.entropyBits()).isCloseTo(0.934068, within(1e-6));
    assertThat(bias.entropyMillerMadowBits()).isCloseTo(0.934068 + 1 / (80 * LN2), within(1e-6));
    assertThat(bias.klBits()).isCloseTo(0.065932, within(1e-6));
    assertThat(bias.klExcessBits()).isCloseTo(0.047898, within(1e-6));
    assertThat(bias.test().statistic()).isCloseTo(3.6, within(1e-12));
    assertThat(bias.test().pValue()).isCloseTo(0.05778, within(1e-5));
    assertThat(bias.minExpected()).isEqualTo(20.0);
  }

  @Test
  void allFortyRunsOnOneNameIsAStrongCollectiveBias() {
    // Llama-3: 40 of 40 on M. H = 0, D = log2(1 / 0.5) = 1 bit (the Q term is 0 * log 0 = 0),
    // X² = 20²/20 * 2 = 40, p ≈ 2.5e-10.
    CollectiveBias bias = CollectiveBias.of(List.of("Q", "M"), Map.of("M", 40L), Map.of());
    assertThat(bias.entropyBits()).isZero();
    assertThat(bias.klBits()).isCloseTo(1.0, within(1e-12));
    assertThat(bias.test().statistic()).isCloseTo(40, within(1e-12));
    assertThat(bias.test().pValue()).isLessThan(1e-9);
  }

  @Test
  void winnersThatFollowTheBiasedPriorShowNoCollectiveBias() {
    // bias {M: 2} over (Q, M, X): prior (1/4, 1/2, 1/4). Winners 10, 20, 10 are exactly R · p:
    // D = 0, X² = 0, p = 1 — the individual bias alone, not amplified. Against a uniform prior the
    // same winners are not significant either (X² = (100/9·2 + 400/9)/(40/3) = 5, p = 0.082).
    List<String> names = List.of("Q", "M", "X");
    Map<String, Double> prior = CollectiveBias.normalisedBias(names, Map.of("M", 2.0));
    assertThat(prior).containsExactly(Map.entry("Q", 0.25), Map.entry("M", 0.5), Map.entry("X", 0.25));
    CollectiveBias bias = CollectiveBias.of(names, Map.of("Q", 10L, "M", 20L, "X", 10L), prior);
    assertThat(bias.klBits()).isCloseTo(0, within(1e-12));
    assertThat(bias.test().statistic()).isCloseTo(0, within(1e-12));
    assertThat(bias.test().pValue()).isEqualTo(1.0);
    assertThat(bias.klExcessBits()).isCloseTo(-2 / (80 * LN2), within(1e-12));
    CollectiveBias againstUniform = CollectiveBias.of(names, Map.of("Q", 10L, "M", 20L, "X", 10L), null);
    assertThat(againstUniform.test().statistic()).isCloseTo(5, within(1e-9));
    assertThat(againstUniform.test().pValue()).isCloseTo(Math.exp(-2.5), within(1e-9));
  }

  @Test
  void theNormalisedBiasIsTheMemoryPolicysFirstChoice() {
    // MemoryPolicy draws a first choice with probability w_i / Σ w: 1.5 on Q among ten names
    // gives 1.5 / 10.5 = 0.142857 (README: "14% of first choices").
    List<String> names = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
    Map<String, Double> prior = CollectiveBias.normalisedBias(names, Map.of("Q", 1.5));
    assertThat(prior.get("Q")).isCloseTo(1.5 / 10.5, within(1e-12));
    assertThat(prior.get("D")).isCloseTo(1 / 10.5, within(1e-12));
    assertThat(prior.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-12));
  }

  @Test
  void theNormalisedBiasOfASpecMatchesItsGamesFirstChoices() {
    // The memory policy built from a spec with policy.bias.X = 1.5: 4000 agents with empty
    // memories choose once. Their choices fit normalisedBias (X at 1.5 / 10.5 = 0.143) and, as a
    // negative control, reject uniform (about 571 X against 400 expected: X² > 70 from X alone).
    ExperimentSpec spec = Specs.of("population.size=24", "policy.bias.X=1.5");
    NamingGame game = (NamingGame) (Object) new StudyPlan(spec, 1).game();
    List<String> names = game.names();
    long[] firstChoices = new long[names.size()];
    for (int agent = 0; agent < 4000; agent++) {
      firstChoices[game.choose(game.newMind(agent, 42), 0)]++;
    }
    Map<String, Double> prior = CollectiveBias.normalisedBias(names, spec.policy().bias());
    double[] p = names.stream().mapToDouble(prior::get).toArray();
    assertThat(ChiSquare.goodnessOfFit(firstChoices, p).pValue()).isGreaterThan(0.001);
    assertThat(ChiSquare.uniform(firstChoices).pValue()).isLessThan(1e-6);
  }

  @Test
  void anEmpiricalPriorIsSmoothedSoThatNoNameHasZeroProbability() {
    // First choices Q 98, M 0 with Jeffreys' 0.5: p = (98.5 / 99, 0.5 / 99).
    // Winners Q 30, M 10: D = 0.75 log2(0.75 / (98.5/99)) + 0.25 log2(0.25 / (0.5/99)), finite.
    List<String> names = List.of("Q", "M");
    Map<String, Double> prior = CollectiveBias.priorFromCounts(names, Map.of("Q", 98L), 0.5);
    assertThat(prior.get("M")).isCloseTo(0.5 / 99, within(1e-12));
    CollectiveBias bias = CollectiveBias.of(names, Map.of("Q", 30L, "M", 10L), prior);
    double expected = 0.75 * Math.log(0.75 / (98.5 / 99)) / LN2 + 0.25 * Math.log(0.25 / (0.5 / 99)) / LN2;
    assertThat(bias.klBits()).isCloseTo(expected, within(1e-12));
    assertThat(bias.minExpected()).isCloseTo(40 * 0.5 / 99, within(1e-12));
  }

  @Test
  void badInputNamesTheField() {
    List<String> names = List.of("Q", "M");
    assertThatThrownBy(() -> CollectiveBias.of(names, Map.of("Z", 1L), null)).hasMessageContaining("winners.Z");
    assertThatThrownBy(() -> CollectiveBias.of(names, Map.of("Q", 1L), Map.of("Q", 1.0)))
        .hasMessageContaining("prior.M");
    assertThatThrownBy(() -> CollectiveBias.of(names, Map.of("Q", 1L), Map.of("Q", 0.6, "M", 0.6)))
        .hasMessageContaining("prior:");
    assertThatThrownBy(() -> CollectiveBias.normalisedBias(names, Map.of("Q", -1.0))).hasMessageContaining("bias.Q");
    assertThatThrownBy(() -> CollectiveBias.of(List.of("Q"), Map.of(), null)).hasMessageContaining("names");
  }
}
