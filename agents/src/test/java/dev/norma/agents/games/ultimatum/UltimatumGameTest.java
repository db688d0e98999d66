package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.games.ultimatum.UltimatumGame.Encounter;
import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.agents.games.ultimatum.UltimatumMind.Strategy;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One encounter, the memory and the imitation rule, exactly. */
class UltimatumGameTest {
  private static final UltimatumParameters WITHOUT = UltimatumParameters.standard(4, false);
  private static final UltimatumParameters WITH = UltimatumParameters.standard(4, true);

  private static UltimatumMind mind(UltimatumGame game, int id, int offer, int threshold) {
    UltimatumMind mind = game.newMind(id, 7);
    mind.adopt(new Strategy(offer, threshold));
    return mind;
  }

  @Test
  void anAcceptedOfferPaysTheResponderTheOfferAndTheProposerTheRest() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    UltimatumMind proposer = mind(game, 0, 30, 0);
    UltimatumMind responder = mind(game, 1, 50, 20);

    Encounter encounter = game.play(proposer, responder);

    assertThat(encounter).isEqualTo(new Encounter(30, true));
    assertThat(proposer.payoffSinceRevision(Role.PROPOSER)).isEqualTo(70);
    assertThat(responder.payoffSinceRevision(Role.RESPONDER)).isEqualTo(30);
    assertThat(proposer.payoffSinceRevision(Role.RESPONDER)).isZero();
    assertThat(proposer.meanPayoff()).isCloseTo(0.35, within(1e-12));
    assertThat(responder.meanPayoff()).isCloseTo(0.15, within(1e-12));
  }

  @Test
  void aRejectedOfferPaysNeitherSide() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    UltimatumMind proposer = mind(game, 0, 19, 0);
    UltimatumMind responder = mind(game, 1, 50, 20);

    Encounter encounter = game.play(proposer, responder);

    assertThat(encounter).isEqualTo(new Encounter(19, false));
    assertThat(proposer.payoffSinceRevision(Role.PROPOSER)).isZero();
    assertThat(responder.payoffSinceRevision(Role.RESPONDER)).isZero();
    assertThat(proposer.encountersSinceRevision(Role.PROPOSER)).isEqualTo(1);
    assertThat(responder.encountersSinceRevision(Role.RESPONDER)).isEqualTo(1);
    assertThat(responder.lowestAcceptedOffer()).isEmpty();
  }

  @Test
  void anOfferEqualToTheThresholdIsAccepted() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    assertThat(game.respond(mind(game, 1, 0, 20), 20)).isTrue();
    assertThat(game.respond(mind(game, 2, 0, 20), 19)).isFalse();
    assertThat(game.respond(mind(game, 3, 0, 0), 0)).isTrue();
    assertThat(game.respond(mind(game, 3, 0, UltimatumGame.SUM), UltimatumGame.SUM)).isTrue();
  }

  @Test
  void bothSidesRememberTheEncounterInTheirRole() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    UltimatumMind proposer = mind(game, 0, 45, 0);
    UltimatumMind responder = mind(game, 1, 50, 40);
    game.play(proposer, responder);

    assertThat(proposer.remembered()).isEqualTo(1);
    assertThat(proposer.role(0)).isEqualTo(Role.PROPOSER);
    assertThat(proposer.offerIn(0)).isEqualTo(45);
    assertThat(proposer.acceptedIn(0)).isTrue();
    assertThat(responder.role(0)).isEqualTo(Role.RESPONDER);
    assertThat(responder.offerIn(0)).isEqualTo(45);
    assertThat(responder.lowestAcceptedOffer()).hasValue(45);
    // What an agent accepted as proposer is no part of its record as responder.
    assertThat(proposer.lowestAcceptedOffer()).isEmpty();
  }

  @Test
  void theMemoryKeepsOnlyTheNewestEncounters() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    UltimatumMind responder = mind(game, 1, 50, 10);
    int capacity = WITHOUT.memory();
    // The lowest acceptance comes first, then capacity higher ones push it out.
    game.respond(responder, 12);
    for (int i = 0; i < capacity; i++) {
      assertThat(responder.lowestAcceptedOffer()).hasValue(12);
      game.respond(responder, 30 + i);
    }
    assertThat(responder.remembered()).isEqualTo(capacity);
    assertThat(responder.capacity()).isEqualTo(capacity);
    assertThat(responder.offerIn(0)).isEqualTo(30);
    assertThat(responder.offerIn(capacity - 1)).isEqualTo(30 + capacity - 1);
    assertThat(responder.lowestAcceptedOffer()).hasValue(30);
    // The payoff account is not bounded by the memory: it runs to the next revision.
    assertThat(responder.encountersSinceRevision(Role.RESPONDER)).isEqualTo(capacity + 1);
    assertThatThrownBy(() -> responder.offerIn(capacity)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void withoutReputationTheProposerOffersItsOwnP() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    UltimatumMind proposer = mind(game, 0, 40, 0);
    assertThat(game.offer(proposer, OptionalInt.of(10))).isEqualTo(40);
    assertThat(game.offer(proposer, OptionalInt.empty())).isEqualTo(40);
  }

  @Test
  void withReputationTheProposerOffersTheLowerOfItsPAndTheResponderRecord() {
    UltimatumGame game = new UltimatumGame(WITH);
    UltimatumMind proposer = mind(game, 0, 40, 0);
    assertThat(game.offer(proposer, OptionalInt.of(10))).isEqualTo(10);
    assertThat(game.offer(proposer, OptionalInt.of(55))).isEqualTo(40);
    assertThat(game.offer(proposer, OptionalInt.empty())).isEqualTo(40);

    // In a full encounter the record is read from the responder's memory.
    UltimatumMind responder = mind(game, 1, 50, 15);
    game.respond(responder, 25);
    assertThat(game.play(proposer, responder)).isEqualTo(new Encounter(25, true));
  }

  @Test
  void aPartlyInformedProposerUsesTheRecordAboutAsOftenAsW() {
    UltimatumGame game = new UltimatumGame(WITH.withInformedProbability(0.3));
    UltimatumMind proposer = mind(game, 0, 40, 0);
    int informed = 0;
    int trials = 20_000;
    for (int i = 0; i < trials; i++) {
      if (game.offer(proposer, OptionalInt.of(10)) == 10) {
        informed++;
      }
    }
    assertThat(informed / (double) trials).isCloseTo(0.3, within(0.02));
  }

  @Test
  void theFermiRuleFavoursTheBetterModelSymmetrically() {
    UltimatumGame game = new UltimatumGame(WITHOUT);
    double beta = WITHOUT.selectionIntensity();
    assertThat(game.imitationProbability(0.3, 0.3)).isEqualTo(0.5);
    assertThat(game.imitationProbability(0.3, 0.35)).isCloseTo(1 / (1 + Math.exp(-beta * 0.05)), within(1e-12));
    assertThat(game.imitationProbability(0.3, 0.35) + game.imitationProbability(0.35, 0.3))
        .isCloseTo(1, within(1e-12));
    assertThat(game.imitationProbability(0.3, 0.4)).isGreaterThan(game.imitationProbability(0.3, 0.35));
    assertThat(game.imitationProbability(0.0, 1.0)).isGreaterThan(0.999);
    // Without selection, imitation is a coin toss whatever the payoffs.
    UltimatumGame neutral = new UltimatumGame(new UltimatumParameters(4, 10, false, 1, 10, 0, 0, 0));
    assertThat(neutral.imitationProbability(0.0, 1.0)).isEqualTo(0.5);
  }

  @Test
  void aRevisionImitatesAtTheFermiRateAndStartsANewAccount() {
    // No mutation, so every change of strategy is an imitation.
    UltimatumParameters parameters = new UltimatumParameters(4, 10, false, 1, 10, 50, 0, 0);
    UltimatumGame game = new UltimatumGame(parameters);
    Strategy model = new Strategy(60, 30);
    int adopted = 0;
    int trials = 20_000;
    for (int i = 0; i < trials; i++) {
      UltimatumMind learner = mind(game, i, 20, 10);
      game.conclude(learner, 20, true); // earns 0.80 as proposer
      game.respond(learner, 20);        // and 0.20 as responder: 0.5 in all
      assertThat(learner.meanPayoff()).isCloseTo(0.5, within(1e-12));
      game.revise(learner, model, 0.52);
      if (learner.strategy().equals(model)) {
        adopted++;
      } else {
        assertThat(learner.strategy()).isEqualTo(new Strategy(20, 10));
      }
      assertThat(learner.encountersSinceRevision(Role.PROPOSER)).isZero();
      assertThat(learner.encountersSinceRevision(Role.RESPONDER)).isZero();
      assertThat(learner.remembered()).isEqualTo(2);
    }
    assertThat(adopted / (double) trials).isCloseTo(game.imitationProbability(0.5, 0.52), within(0.015));
  }

  @Test
  void aMutationMovesPAndQByAtMostTheStepAndStaysOnTheGrid() {
    UltimatumParameters parameters = new UltimatumParameters(4, 10, false, 1, 10, 50, 1, 3);
    UltimatumGame game = new UltimatumGame(parameters);
    boolean moved = false;
    for (int i = 0; i < 2_000; i++) {
      int offer = i % 2 == 0 ? 1 : 99;
      UltimatumMind learner = mind(game, i, offer, offer);
      // A model far behind is never imitated at this β, so only the mutation acts.
      game.revise(learner, new Strategy(50, 50), -1);
      assertThat(learner.offer()).isBetween(Math.max(0, offer - 3), Math.min(UltimatumGame.SUM, offer + 3));
      assertThat(learner.threshold()).isBetween(Math.max(0, offer - 3), Math.min(UltimatumGame.SUM, offer + 3));
      moved |= learner.offer() != offer;
    }
    assertThat(moved).isTrue();
  }

  @Test
  void aModelIsAnyOtherAgentNeverTheLearner() {
    UltimatumGame game = new UltimatumGame(WITHOUT.withPopulationSize(5));
    UltimatumMind learner = mind(game, 2, 0, 0);
    int[] chosen = new int[5];
    for (int i = 0; i < 10_000; i++) {
      chosen[game.chooseModel(learner, 5)]++;
    }
    assertThat(chosen[2]).isZero();
    for (int other : new int[] {0, 1, 3, 4}) {
      assertThat(chosen[other]).isBetween(2_300, 2_700);
    }
  }

  @Test
  void aMindSavedAndRestoredPlaysOnIdentically() {
    UltimatumGame game = new UltimatumGame(WITH);
    UltimatumMind original = mind(game, 3, 35, 25);
    for (int offer = 20; offer < 40; offer += 3) {
      game.respond(original, offer);
      game.conclude(original, offer, offer % 2 == 0);
    }
    UltimatumMind copy = game.newMind(3, 99);
    copy.restore(original.save());

    assertThat(copy.strategy()).isEqualTo(original.strategy());
    assertThat(copy.lowestAcceptedOffer()).isEqualTo(original.lowestAcceptedOffer());
    assertThat(copy.meanPayoff()).isEqualTo(original.meanPayoff());
    game.revise(original, new Strategy(50, 50), 0.5);
    game.revise(copy, new Strategy(50, 50), 0.5);
    assertThat(copy.strategy()).isEqualTo(original.strategy());
    assertThat(copy.nextLong()).isEqualTo(original.nextLong());
  }

  @Test
  void parametersOutsideTheirRangeAreRefused() {
    assertThatThrownBy(() -> UltimatumParameters.standard(1, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WITH.withInformedProbability(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Strategy(101, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Strategy(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
