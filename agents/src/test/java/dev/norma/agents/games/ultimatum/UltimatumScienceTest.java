package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ultimatum game in a population of N = 100 imitating agents, after Nowak, Page &amp; Sigmund
 * (Science 289:1773, 2000): without information about responders, offers fall towards the
 * minimum (the subgame-perfect outcome); when proposers know the lowest offer a responder
 * accepted among the encounters it remembers, accepting low offers costs the responder, the
 * acceptance thresholds rise and offers stay near a fair split.
 *
 * <p>Measured with the standard parameters, seeds 0–7, 3000 population rounds from uniformly
 * random (p, q) (mean 0.5 each), averaged over the last 300 rounds and the seeds:
 * <pre>
 *                     mean p   mean q   mean offer made   rejections
 *   no reputation      0.11     0.09         0.11            0.01
 *   reputation         0.72     0.36         0.58            0.00
 * </pre>
 * Per seed, the no-reputation offer ends between 0.04 and 0.28 (the slowest seed still falling),
 * the reputation offer made between 0.44 and 0.74. With reputation p is nearly neutral above the
 * records (an informed proposer offers the record), so it drifts above a half; the offers made
 * and the thresholds are what the responders' records hold up. The figures printed by each test
 * are its own measurement.
 */
class UltimatumScienceTest {
  private static final int N = 100;
  private static final int ROUNDS = 3_000;
  private static final int SEEDS = 8;

  /** Means over a run's last tenth of rounds. */
  record Outcome(double offer, double threshold, double offerMade, double rejectionRate) {
  }

  /** Means over seeds. */
  record Summary(Outcome[] perSeed) {
    double offer() {
      return Arrays.stream(perSeed).mapToDouble(Outcome::offer).average().orElseThrow();
    }

    double threshold() {
      return Arrays.stream(perSeed).mapToDouble(Outcome::threshold).average().orElseThrow();
    }

    double offerMade() {
      return Arrays.stream(perSeed).mapToDouble(Outcome::offerMade).average().orElseThrow();
    }

    double rejectionRate() {
      return Arrays.stream(perSeed).mapToDouble(Outcome::rejectionRate).average().orElseThrow();
    }

    @Override
    public String toString() {
      return String.format("mean p %.3f, mean q %.3f, mean offer made %.3f, rejections %.3f; offers made per seed %s",
          offer(), threshold(), offerMade(), rejectionRate(), Arrays.toString(Arrays.stream(perSeed)
              .mapToDouble(o -> Math.round(o.offerMade() * 100) / 100.0).toArray()));
    }
  }

  static Outcome outcome(UltimatumGame game, long seed, int rounds) {
    UltimatumLoop loop = new UltimatumLoop(game, seed);
    loop.run(rounds - rounds / 10, null);
    List<UltimatumRound> tail = new ArrayList<>();
    loop.run(rounds / 10, tail::add);
    return new Outcome(tail.stream().mapToDouble(UltimatumRound::meanOffer).average().orElseThrow(),
        tail.stream().mapToDouble(UltimatumRound::meanThreshold).average().orElseThrow(),
        tail.stream().mapToDouble(UltimatumRound::meanOfferMade).average().orElseThrow(),
        tail.stream().mapToDouble(UltimatumRound::rejectionRate).average().orElseThrow());
  }

  static Summary summary(Function<UltimatumParameters, UltimatumGame> rules, UltimatumParameters parameters,
                         int seeds, int rounds) {
    Outcome[] outcomes = new Outcome[seeds];
    for (int seed = 0; seed < seeds; seed++) {
      outcomes[seed] = outcome(rules.apply(parameters), seed, rounds);
    }
    return new Summary(outcomes);
  }

  private static Summary published(boolean reputation) {
    return summary(UltimatumGame::new, UltimatumParameters.standard(N, reputation), SEEDS, ROUNDS);
  }

  /** The rational outcome: from mean 0.5, offers and thresholds end below 0.15. */
  static void assertOffersFallTowardsTheMinimum(Summary withoutReputation) {
    assertThat(withoutReputation.offer()).as("mean p without reputation").isLessThan(0.15);
    assertThat(withoutReputation.threshold()).as("mean q without reputation").isLessThan(0.15);
    assertThat(withoutReputation.perSeed()).allSatisfy(o -> assertThat(o.offer()).isLessThan(0.35));
  }

  /**
   * Fairness with reputation: the offers made (and p) above 0.45, the thresholds above 0.3, and,
   * seed by seed, offers at least 0.15 above the same seed without reputation.
   */
  static void assertAFairSplitEvolves(Summary withReputation, Summary withoutReputation) {
    assertThat(withReputation.offerMade()).as("mean offer made with reputation").isGreaterThan(0.45);
    assertThat(withReputation.offer()).as("mean p with reputation").isGreaterThan(0.45);
    assertThat(withReputation.threshold()).as("mean q with reputation").isGreaterThan(0.3);
    for (int seed = 0; seed < withReputation.perSeed().length; seed++) {
      assertThat(withReputation.perSeed()[seed].offerMade()).as("seed %d", seed)
          .isGreaterThan(withoutReputation.perSeed()[seed].offerMade() + 0.15);
    }
  }

  @Test
  void withoutInformationAboutRespondersOffersFallTowardsTheMinimum() {
    Summary without = published(false);
    System.out.printf("ultimatum game, N = %d, %d rounds, no reputation: %s%n", N, ROUNDS, without);
    assertOffersFallTowardsTheMinimum(without);
    // The responders still accept: offers and thresholds fall together.
    assertThat(without.rejectionRate()).isLessThan(0.05);
    assertThat(without.threshold()).isLessThanOrEqualTo(without.offer());
  }

  @Test
  void withReputationOffersAndThresholdsRiseTowardsAFairSplit() {
    Summary with = published(true);
    Summary without = published(false);
    System.out.printf("ultimatum game, N = %d, %d rounds, reputation: %s%n", N, ROUNDS, with);
    assertAFairSplitEvolves(with, without);
    assertThat(with.rejectionRate()).isLessThan(0.05);
  }

  /** Negative control: without selection (β = 0) imitation is drift, and offers do not fall. */
  @Test
  void withoutSelectionOffersDoNotFall() {
    UltimatumParameters neutral = new UltimatumParameters(N, 10, false, 1, 10, 0, 0.05, 2);
    Summary drift = summary(UltimatumGame::new, neutral, SEEDS, ROUNDS);
    System.out.printf("ultimatum game, no selection: %s%n", drift);
    assertThatThrownBy(() -> assertOffersFallTowardsTheMinimum(drift)).isInstanceOf(AssertionError.class);
  }

  /** Negative control: agents that imitate the worse of two players drive offers away from the minimum. */
  @Test
  void imitatingTheWorsePlayerIsDetected() {
    Summary worse = summary(parameters -> new ModifiedRules(parameters) {
      @Override
      public double imitationProbability(double learnerPayoff, double modelPayoff) {
        return super.imitationProbability(modelPayoff, learnerPayoff);
      }
    }, UltimatumParameters.standard(N, false), SEEDS, ROUNDS);
    System.out.printf("ultimatum game, imitating the worse player: %s%n", worse);
    assertThatThrownBy(() -> assertOffersFallTowardsTheMinimum(worse)).isInstanceOf(AssertionError.class);
  }

  /** Negative control: proposers that ignore the responder's record, reputation on, stay unfair. */
  @Test
  void ignoringTheResponderRecordIsDetected() {
    Summary ignored = summary(parameters -> new ModifiedRules(parameters) {
      @Override
      public int offer(UltimatumMind proposer, OptionalInt responderRecord) {
        return super.offer(proposer, OptionalInt.empty());
      }
    }, UltimatumParameters.standard(N, true), SEEDS, ROUNDS);
    System.out.printf("ultimatum game, reputation ignored: %s%n", ignored);
    assertThatThrownBy(() -> assertAFairSplitEvolves(ignored, published(false))).isInstanceOf(AssertionError.class);
    assertOffersFallTowardsTheMinimum(ignored);
  }

  /**
   * Negative control: responders that accept every offer, whatever their q, give proposers nothing
   * to fear; with reputation on, the fair split must not appear.
   */
  @Test
  void respondersThatAcceptEverythingAreDetected() {
    Summary meek = summary(parameters -> new ModifiedRules(parameters) {
      @Override
      public boolean respond(UltimatumMind responder, int offer) {
        responder.remember(Role.RESPONDER, offer, true, responderPayoff(offer, true));
        return true;
      }
    }, UltimatumParameters.standard(N, true), SEEDS, ROUNDS);
    System.out.printf("ultimatum game, responders accept everything: %s%n", meek);
    assertThatThrownBy(() -> assertAFairSplitEvolves(meek, published(false))).isInstanceOf(AssertionError.class);
  }

  /**
   * Long runs, 20000 rounds, seeds 0–3: with proposers always informed the fair state lasts (mean
   * offer made 0.45, q 0.30 measured), while with w = 0.9 the uninformed tenth of proposals keeps
   * rewarding lower offers and the population slides back to the rational outcome (0.10). About
   * 10 s.
   */
  @Test
  @Tag("slow")
  void theFairStateLastsWithFullInformationAndErodesWithoutIt() {
    UltimatumParameters informed = UltimatumParameters.standard(N, true);
    Summary full = summary(UltimatumGame::new, informed, 4, 20_000);
    Summary partial = summary(UltimatumGame::new, informed.withInformedProbability(0.9), 4, 20_000);
    System.out.printf("ultimatum game, 20000 rounds, w = 1: %s; w = 0.9: %s%n", full, partial);
    assertThat(full.offerMade()).isGreaterThan(0.35);
    assertThat(full.threshold()).isGreaterThan(0.2);
    assertThat(partial.offerMade()).isLessThan(0.2);
  }
}
