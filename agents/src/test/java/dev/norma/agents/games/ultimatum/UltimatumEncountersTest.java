package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.protocols.journal.MindState;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The ultimatum game played through the encounter SPI: {@link EncounterLoop} gives the rows the
 * game's first, hand-written loop gave, each row is what the population and the round's
 * encounters show, and lending every mind as its saved state, as an actor engine does, changes
 * nothing.
 */
class UltimatumEncountersTest {
  private static final int N = 100;
  private static final int ROUNDS = 300;

  private static UltimatumEncounters encounters(boolean reputation, long seed) {
    return new UltimatumEncounters(new UltimatumGame(UltimatumParameters.standard(N, reputation)), seed);
  }

  /** The rows of a study of {@code game} in the reference loop of encounter games. */
  private static List<UltimatumRound> rows(EncounterGame<UltimatumMind> game, long rounds) {
    List<UltimatumRound> rows = new ArrayList<>();
    new EncounterLoop<>(game, N).run(rounds, roundsInto(rows));
    return rows;
  }

  /**
   * The mean p and q, kept as running sums of what the loop reports, are the population's at every
   * round's end, revisions included; the offers made and the rejections are the round's encounters'.
   */
  @Test
  void eachRowIsWhatThePopulationAndTheRoundsEncountersShow() {
    for (boolean reputation : new boolean[] {false, true}) {
      EncounterLoop<UltimatumMind> loop = new EncounterLoop<>(encounters(reputation, 3), N);
      List<Long> checked = new ArrayList<>();
      loop.run(ROUNDS, new EncounterLoop.Listener() {
        private long offersMade;
        private int rejections;

        @Override
        public void encounter(long index, int[] members, double[] outcome) {
          UltimatumMind responder = loop.mind(members[1]);
          int latest = responder.remembered() - 1;
          offersMade += responder.offerIn(latest);
          rejections += responder.acceptedIn(latest) ? 0 : 1;
        }

        @Override
        public void round(long round, double[] row) {
          long offers = 0;
          long thresholds = 0;
          for (int id = 0; id < N; id++) {
            offers += loop.mind(id).offer();
            thresholds += loop.mind(id).threshold();
          }
          double scale = N * (double) UltimatumGame.SUM;
          UltimatumRound shown = UltimatumRound.of(round, row);
          assertThat(new double[] {shown.meanOffer(), shown.meanThreshold(), shown.meanOfferMade(),
              shown.rejectionRate()}).as("round %d", round).containsExactly(offers / scale, thresholds / scale,
              offersMade / scale, rejections / (double) N);
          offersMade = 0;
          rejections = 0;
          checked.add(round);
        }
      });
      assertThat(checked).hasSize(ROUNDS);
    }
  }

  /**
   * The first 300 rows at N = 100 with the standard parameters, seeds 1 and 2, as the game's first,
   * hand-written loop gave them (every value to the bit, folded into one number). A deliberate
   * change of the rules changes them, and only then may they change.
   */
  @Test
  void theTrajectoriesAreTheOnesTheGamesFirstLoopGave() {
    assertThat(fingerprint(rows(encounters(false, 1), ROUNDS))).isEqualTo(0x42f53637e4b2e3e5L);
    assertThat(fingerprint(rows(encounters(false, 2), ROUNDS))).isEqualTo(0x00cf70fd102353fbL);
    assertThat(fingerprint(rows(encounters(true, 1), ROUNDS))).isEqualTo(0xa8a5d59db60fdf25L);
    assertThat(fingerprint(rows(encounters(true, 2), ROUNDS))).isEqualTo(0x819216b7fbd7bfa0L);
    // The last row with reputation in the clear: informed proposers offer less (0.59) than their p (0.81).
    assertThat(rows(encounters(true, 1), ROUNDS).get(ROUNDS - 1))
        .isEqualTo(new UltimatumRound(299, 0.805, 0.3942, 0.5934, 0, 0.58, 0.57));
  }

  private static long fingerprint(List<UltimatumRound> rows) {
    long fingerprint = 17;
    for (UltimatumRound row : rows) {
      for (double value : new double[] {row.meanOffer(), row.meanThreshold(), row.meanOfferMade(),
          row.rejectionRate(), row.modalOffer(), row.modalShare()}) {
        fingerprint = 31 * fingerprint + Double.doubleToLongBits(value);
      }
    }
    return fingerprint;
  }

  @Test
  void lendingEveryMindAsItsSavedStateChangesNothing() {
    for (boolean reputation : new boolean[] {false, true}) {
      for (long seed : new long[] {1, 2}) {
        UltimatumEncounters game = encounters(reputation, seed);
        EncounterLoop<UltimatumMind> plain = new EncounterLoop<>(game, N);
        EncounterLoop<UltimatumMind> lent = new EncounterLoop<>(LentByState.of(game), N);
        List<UltimatumRound> plainRows = new ArrayList<>();
        List<UltimatumRound> lentRows = new ArrayList<>();
        plain.run(ROUNDS, roundsInto(plainRows));
        lent.run(ROUNDS, roundsInto(lentRows));

        assertThat(lentRows).as("reputation %b, seed %d", reputation, seed).isEqualTo(plainRows);
        for (int id = 0; id < N; id++) {
          assertThat(lent.mind(id).save()).isEqualTo(plain.mind(id).save());
        }
      }
    }
  }

  /** Negative control: a mind whose saved state kept only its strategy (and stream) would be told apart. */
  @Test
  void aLendingThatLosesTheMemoryAndTheAccountsIsDetected() {
    UltimatumEncounters game = encounters(true, 1);
    UnaryOperator<MindState> strategyOnly = state -> {
      int[] contents = state.contents().clone();
      Arrays.fill(contents, 2, contents.length, 0);
      return new MindState(state.randomState(), state.committedFromIndex(), contents);
    };
    assertThat(rows(LentByState.through(game, strategyOnly), ROUNDS)).isNotEqualTo(rows(game, ROUNDS));
  }

  private static EncounterLoop.Listener roundsInto(List<UltimatumRound> rows) {
    return new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
      }

      @Override
      public void round(long round, double[] row) {
        rows.add(UltimatumRound.of(round, row));
      }
    };
  }

  @Test
  void eachMatchingPairsEveryoneOnceAndTheFirstOfAPairProposes() {
    UltimatumEncounters game = encounters(false, 4);
    EncounterSchedule schedule = game.newSchedule();
    int[] members = new int[game.participants()];
    for (int matching = 0; matching < 3; matching++) {
      boolean[] matched = new boolean[N];
      for (int pair = 0; pair < N / 2; pair++) {
        schedule.next(members);
        assertThat(matched[members[0]] || matched[members[1]]).isFalse();
        matched[members[0]] = true;
        matched[members[1]] = true;
      }
    }
    UltimatumMind[] group = {game.newMind(members[0]), game.newMind(members[1])};
    double[] outcome = game.play(group, 0);
    assertThat(group[0].role(0)).isEqualTo(Role.PROPOSER);
    assertThat(group[1].role(0)).isEqualTo(Role.RESPONDER);
    assertThat(outcome[0]).isEqualTo(group[0].offer() / (double) UltimatumGame.SUM);
    assertThat(outcome[1]).isEqualTo(group[1].acceptedIn(0) ? 1.0 : 0.0);
    assertThat(game.encountersPerRound()).isEqualTo(N);
  }

  @Test
  void everyoneRevisesAfterEveryRevisionIntervalthRound() {
    UltimatumEncounters game = encounters(false, 1);
    assertThat(game.game().parameters().revisionInterval()).isEqualTo(10);
    assertThat(game.populationStepAfter(0)).isFalse();
    assertThat(game.populationStepAfter(8)).isFalse();
    assertThat(game.populationStepAfter(9)).isTrue();
    assertThat(game.populationStepAfter(10)).isFalse();
    assertThat(game.populationStepAfter(19)).isTrue();
  }

  @Test
  void theRowsColumnsAreTheRoundsComponentsAfterItsNumber() {
    assertThat(encounters(false, 1).newMeasures().columns()).isEqualTo(Arrays.stream(
        UltimatumRound.class.getRecordComponents()).skip(1).map(RecordComponent::getName).toList());
  }
}
