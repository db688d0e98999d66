package dev.norma.agents.games.higherorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.Mind;
import dev.norma.agents.Scaling;
import dev.norma.agents.Specs;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import org.junit.jupiter.api.Test;

/**
 * With pairs (g = 2) and β = 1 the higher-order naming game is the binary agreement model of Xie
 * et al. (Phys. Rev. E 84, 011130, 2011): the same critical fraction p_c ≈ 0.098, and the same
 * tipping times as the speaker–hearer game's binary agreement, which plays the same rule through
 * a different code path (the study's pair schedule and inventory minds).
 *
 * <p>Tipping round: the first population round at whose end more than half of the uncommitted
 * agents hold only A. Measured (N = 2000, 16 seeds each):
 * <pre>
 *   p      this game: mean ± sd    speaker–hearer game: mean ± sd    mean field
 *   0.12     26.6 ± 2.9               26.7 ± 2.7                        27
 *   0.14     17.6 ± 1.0               17.6 ± 1.3                        18
 * </pre>
 * and neither tips within 200 rounds at p = 0.07 or 0.09 (6 seeds each).
 */
class BinaryAgreementLimitTest {
  private static final int N = 2000;
  private static final int WITHIN_ROUNDS = 200;
  private static final int SEEDS = 16;

  /** The tipping round of one run of the speaker–hearer game's binary agreement. */
  private static int speakerHearerTippingRound(double committedFraction, long seed) {
    StudyPlan plan = new StudyPlan(Specs.of("game.kind=binary-agreement", "population.size=" + N,
        "committed.fraction=" + committedFraction, "stop.flipWithinRounds=" + WITHIN_ROUNDS), seed);
    PlainLoop loop = new PlainLoop(plan);
    int[] tipped = {-1};
    loop.run(null, row -> {
      if (tipped[0] >= 0) {
        return;
      }
      int onA = 0;
      int uncommitted = 0;
      for (int id = 0; id < N; id++) {
        Mind mind = loop.mind(id);
        if (!mind.committedAt(row.interactions())) {
          uncommitted++;
          onA += mind.soleWord() == plan.committedWord() ? 1 : 0;
        }
      }
      if (2 * onA > uncommitted) {
        tipped[0] = (int) row.round();
      }
    });
    return tipped[0];
  }

  private static double standardDeviation(double[] values) {
    double mean = Scaling.mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / (values.length - 1));
  }

  @Test
  void theMeanFieldEquationsReduceToXieEtAls() {
    double critical = HigherOrderMeanField.criticalFraction(2, 1.0);
    System.out.printf("higher-order naming game, g = 2, beta = 1, mean field: p_c = %.4f%n", critical);
    assertThat(critical).isCloseTo(0.0979, within(0.0005));
  }

  @Test
  void belowTheCriticalFractionTheBMajorityHolds() {
    HigherOrderNamingGame pairs = new HigherOrderNamingGame(2, 1.0);
    for (double p : new double[] {0.07, 0.09}) {
      for (int seed = 0; seed < 6; seed++) {
        assertThat(new HigherOrderLoop(pairs, N, p, seed).tippingRound(WITHIN_ROUNDS))
            .as("p = %s, seed %d", p, seed).isEqualTo(-1);
      }
    }
  }

  @Test
  void aboveItThePopulationTipsAsFastAsTheSpeakerHearerGamesBinaryAgreement() {
    HigherOrderNamingGame pairs = new HigherOrderNamingGame(2, 1.0);
    for (double p : new double[] {0.12, 0.14}) {
      double[] here = new double[SEEDS];
      double[] there = new double[SEEDS];
      for (int seed = 0; seed < SEEDS; seed++) {
        here[seed] = new HigherOrderLoop(pairs, N, p, seed).tippingRound(WITHIN_ROUNDS);
        there[seed] = speakerHearerTippingRound(p, seed);
        assertThat(here[seed]).as("p = %s, seed %d", p, seed).isNotNegative();
        assertThat(there[seed]).as("p = %s, seed %d", p, seed).isNotNegative();
      }
      int meanField = HigherOrderMeanField.tippingRound(2, 1.0, p, WITHIN_ROUNDS);
      double standardError = Math.sqrt((Math.pow(standardDeviation(here), 2) + Math.pow(standardDeviation(there), 2))
          / SEEDS);
      System.out.printf("g = 2, beta = 1, N = %d, p = %.2f: tipping round %.2f ± %.2f here, %.2f ± %.2f in the"
              + " speaker-hearer game, mean field %d%n", N, p, Scaling.mean(here), standardDeviation(here),
          Scaling.mean(there), standardDeviation(there), meanField);
      assertThat(Scaling.mean(here)).as("p = %s", p)
          .isCloseTo(Scaling.mean(there), within(Math.max(1.0, 3 * standardError)));
      assertThat(standardDeviation(here) / standardDeviation(there)).as("p = %s", p).isBetween(0.4, 2.5);
      assertThat(Scaling.mean(here)).as("p = %s", p).isCloseTo(meanField, within(0.1 * meanField + 1));
    }
  }
}
