package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference loop replays exactly from its seed and reports what it played. */
class UltimatumLoopTest {

  private static List<UltimatumRound> trajectory(boolean reputation, long seed, int rounds) {
    List<UltimatumRound> rows = new ArrayList<>();
    new UltimatumLoop(new UltimatumGame(UltimatumParameters.standard(60, reputation)), seed).run(rounds, rows::add);
    return rows;
  }

  @Test
  void theSameSeedGivesTheSameTrajectory() {
    for (boolean reputation : new boolean[] {false, true}) {
      assertThat(trajectory(reputation, 11, 400)).isEqualTo(trajectory(reputation, 11, 400));
    }
  }

  @Test
  void differentSeedsGiveDifferentTrajectories() {
    List<UltimatumRound> first = trajectory(true, 11, 200);
    List<UltimatumRound> second = trajectory(true, 12, 200);
    assertThat(first).isNotEqualTo(second);
    assertThat(first.get(0).meanOffer()).isNotEqualTo(second.get(0).meanOffer());
  }

  @Test
  void aRunInPiecesEqualsARunInOne() {
    UltimatumLoop pieces = new UltimatumLoop(new UltimatumGame(UltimatumParameters.standard(60, true)), 5);
    List<UltimatumRound> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      pieces.run(43, rows::add);
    }
    assertThat(rows).isEqualTo(trajectory(true, 5, 301));
    assertThat(pieces.rounds()).isEqualTo(301);
  }

  @Test
  void eachRoundReportsItsOwnEncounters() {
    UltimatumParameters parameters = UltimatumParameters.standard(40, false);
    UltimatumLoop loop = new UltimatumLoop(new UltimatumGame(parameters), 3);
    UltimatumRound first = loop.run(1, null);
    assertThat(first.round()).isZero();
    // Two matchings of everyone: each agent played twice, the revision comes later.
    int encounters = 0;
    double offers = 0;
    double thresholds = 0;
    for (int id = 0; id < loop.populationSize(); id++) {
      UltimatumMind mind = loop.mind(id);
      assertThat(mind.remembered()).isEqualTo(2);
      offers += mind.offer();
      thresholds += mind.threshold();
      for (int i = 0; i < mind.remembered(); i++) {
        if (mind.role(i) == UltimatumMind.Role.PROPOSER) {
          encounters++;
        }
      }
    }
    assertThat(encounters).isEqualTo(40);
    assertThat(first.meanOffer()).isEqualTo(offers / (40.0 * UltimatumGame.SUM));
    assertThat(first.meanThreshold()).isEqualTo(thresholds / (40.0 * UltimatumGame.SUM));
    assertThat(first.rejectionRate()).isBetween(0.0, 1.0);
    assertThat(first.modalShare()).isBetween(1 / 40.0, 1.0);

    // After the first revision interval every account has been closed.
    loop.run(parameters.revisionInterval() - 1, null);
    for (int id = 0; id < loop.populationSize(); id++) {
      assertThat(loop.mind(id).encountersSinceRevision(UltimatumMind.Role.PROPOSER)
          + loop.mind(id).encountersSinceRevision(UltimatumMind.Role.RESPONDER)).isZero();
    }
  }
}
