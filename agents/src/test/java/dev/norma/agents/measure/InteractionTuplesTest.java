package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.measure.InteractionTuples.Source;
import dev.norma.protocols.record.InteractionRecord;
import org.junit.jupiter.api.Test;

class InteractionTuplesTest {
  private static final long SEED = 4;
  // Three agents of a simultaneous naming game (both parties produce a name):
  //   #0: 0 says 0, 1 says 1   -> nothing known before: no tuple.
  //   #1: 0 says 1, 2 says 2   -> agent 0 last observed 1 and last produced 0: (1, 1, 0); agent 2
  //                               has produced nothing before: no tuple.
  //   #2: 1 says 0, 2 says 1   -> agent 1 observed 0, produced 1: (0, 0, 1); agent 2 observed 1
  //                               (from 0 in #1), produced 2: (1, 1, 2).
  // With the current partner's last production instead: #1 has none (2 never produced);
  //   #2: agent 1's partner 2 last produced 2: (0, 2, 1); agent 2's partner 1 last produced 1: (1, 1, 2).
  private static final InteractionRecord[] PLAYED = {play(0, 0, 1, 0, 1), play(1, 0, 2, 1, 2), play(2, 1, 2, 0, 1)};

  @Test
  void lastObservedIsWhatTheAgentsPartnerLastProducedToIt() {
    InformationFlow fed = feed(Source.LAST_OBSERVED, PLAYED);
    assertThat(fed.size()).isEqualTo(3);
    assertThat(fed.result()).isEqualTo(window(20, new int[] {1, 1, 0}, new int[] {0, 0, 1}, new int[] {1, 1, 2}).result());
  }

  @Test
  void partnerLastProducedIsTheCurrentPartnersPreviousName() {
    InformationFlow fed = feed(Source.PARTNER_LAST_PRODUCED, PLAYED);
    assertThat(fed.size()).isEqualTo(2);
    assertThat(fed.result()).isEqualTo(window(20, new int[] {0, 2, 1}, new int[] {1, 1, 2}).result());
  }

  @Test
  void invalidInteractionsAndCommittedAgentsGiveNoTuple() {
    InteractionTuples tuples = new InteractionTuples(3, Source.LAST_OBSERVED);
    InformationFlow window = new InformationFlow(0, SEED);
    tuples.fromInteraction(play(0, 0, 1, 0, 1), window);
    // Invalid: changes nothing, not even what 0 and 1 remember.
    assertThat(tuples.fromInteraction(new InteractionRecord(1, 0, 1, 1, 1, false, false, false, false, 0, 0, -1, -1),
        window)).isZero();
    // Agent 0 committed: only agent 1 yields (1, 0, 1) — it observed 0 in #0 and produced 1.
    assertThat(tuples.fromInteraction(new InteractionRecord(2, 0, 1, 1, 1, true, true, true, false, 0, 0, -1, -1),
        window)).isEqualTo(1);
    assertThat(window.result()).isEqualTo(window(0, new int[] {1, 0, 1}).result());
  }

  @Test
  void aHearerProducesNothingButObservesTheSpeaker() {
    // Speaker-hearer game: the hearer's word is -1. #0: 0 speaks 5 to 1. #1: 1 speaks 6 to 0.
    // #2: 1 speaks 7 to 2 -> agent 1 last observed 5, last produced 6: (7, 5, 6). Agent 0 in #1
    // had observed nothing as a speaker before #1... it had: nothing, so #1 gives no tuple.
    InteractionTuples tuples = new InteractionTuples(3, Source.LAST_OBSERVED);
    InformationFlow window = new InformationFlow(0, SEED);
    assertThat(tuples.fromInteraction(play(0, 0, 1, 5, -1), window)).isZero();
    assertThat(tuples.fromInteraction(play(1, 1, 0, 6, -1), window)).isZero();
    assertThat(tuples.fromInteraction(play(2, 1, 2, 7, -1), window)).isEqualTo(1);
    assertThat(window.result()).isEqualTo(window(0, new int[] {7, 5, 6}).result());
  }

  @Test
  void aPopulationOfOneIsRefused() {
    assertThatThrownBy(() -> new InteractionTuples(1, Source.LAST_OBSERVED)).hasMessageContaining("populationSize");
  }

  private static InformationFlow feed(Source source, InteractionRecord... records) {
    InteractionTuples tuples = new InteractionTuples(3, source);
    InformationFlow window = new InformationFlow(20, SEED);
    for (InteractionRecord record : records) {
      tuples.fromInteraction(record, window);
    }
    return window;
  }

  /** A window fed the given {action, partnerPrevious, ownPrevious} tuples directly. */
  private static InformationFlow window(int surrogates, int[]... tuples) {
    InformationFlow window = new InformationFlow(surrogates, SEED);
    for (int[] tuple : tuples) {
      window.add(tuple[0], tuple[1], tuple[2]);
    }
    return window;
  }

  private static InteractionRecord play(long index, int initiator, int responder, int initiatorWord, int responderWord) {
    return new InteractionRecord(index, initiator, responder, initiatorWord, responderWord,
        initiatorWord == responderWord, true, false, false, 0, 0, -1, -1);
  }
}
