package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The measures on a fixed, hand-written history: four agents in two rooms of two, two periods. */
class CrsecMeasuresTest {
  /** Two themes of one group: norms 0–7 are specific, 8 the group's abstract norm. */
  private static final List<Theme> THEMES = List.of(
      new Theme("smoking", "smoke", "indoors", false, 0.3, 0.5, "consideration"),
      new Theme("noise", "talk", "loudly", false, 0.3, 0.5, "consideration"));

  private static double[] held(int... normAndHopsPlusOne) {
    double[] held = new double[9];
    for (int i = 0; i < normAndHopsPlusOne.length; i += 2) {
      held[normAndHopsPlusOne[i]] = normAndHopsPlusOne[i + 1];
    }
    return held;
  }

  /** room, conflicts, normConflicts, conversations, adopted, rejected, actions, improper, normBound, complied. */
  private static double[] outcome(double... values) {
    return values;
  }

  @Test
  void aHandWrittenHistoryGivesTheHandCountedRows() {
    CrsecMeasures measures = new CrsecMeasures(new NormCatalogue(THEMES), 4, 2);
    assertThat(measures.columns()).containsExactly("conflicts", "normConflicts", "conversations", "adopted",
        "rejected", "improperShare", "complianceRate", "active.smoking", "active.noise", "unproposedNorms",
        "unproposedShare", "travelAgents", "travelRooms", "travelHops", "invalidTurns");
    // At the start agent 0 (an advocate) holds "should not smoke"; agent 2 "customers do not smoke".
    measures.observed(0, null, held(0, 1));
    measures.observed(1, null, held());
    measures.observed(2, null, held(2, 1));
    measures.observed(3, null, held());

    // Period 0, room 0: agent 0 tells agent 1, who takes the norm one hop from its origin.
    measures.observed(0, held(0, 1), held(0, 1));
    measures.observed(1, held(), held(0, 2));
    measures.encounter(0, new int[] {0, 1}, outcome(0, 3, 2, 1, 1, 0, 4, 1, 2, 2, 1));
    // Room 1: agent 3 synthesises the abstract norm (its own origin); one candidate fails.
    measures.observed(2, held(2, 1), held(2, 1));
    measures.observed(3, held(), held(8, 1));
    measures.encounter(1, new int[] {2, 3}, outcome(1, 1, 0, 0, 1, 1, 4, 2, 0, 0, 2));
    double[] first = measures.endRound(0);
    // conflicts 3 + 1; norm conflicts 2; one talk; two adopted, one rejected; 3 of 8 actions improper;
    // both norm-bound actions complied; smoking covered by agents 0, 1 (specific) and 3 (abstract),
    // noise by 3; two norms no advocate proposed (2 and 8), held by two agents; norm 0 held by two
    // agents in one room, one hop away at most; three turns without a usable answer.
    assertThat(first).containsExactly(4, 2, 1, 2, 1, 3 / 8.0, 1, 3 / 4.0, 1 / 4.0, 2, 2 / 4.0, 2, 1, 1, 3);

    // Period 1: agent 1 has moved to room 1, still holding norm 0; agent 0 dropped it.
    measures.observed(0, held(0, 1), held());
    measures.observed(2, held(2, 1), held(2, 1));
    measures.encounter(2, new int[] {0, 2}, outcome(0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0));
    measures.observed(1, held(0, 2), held(0, 2));
    measures.observed(3, held(8, 1), held(8, 1));
    measures.encounter(3, new int[] {1, 3}, outcome(1, 2, 0, 0, 0, 0, 4, 1, 2, 1, 0));
    double[] second = measures.endRound(1);
    // Counts start again; norm 0 has now been in both rooms and has still been held by two agents.
    assertThat(second).containsExactly(2, 0, 0, 0, 0, 1 / 8.0, 1 / 2.0, 2 / 4.0, 1 / 4.0, 2, 2 / 4.0, 2, 2, 1, 0);
  }

  @Test
  void withoutNormBoundActionsTheComplianceRateIsNotANumber() {
    CrsecMeasures measures = new CrsecMeasures(new NormCatalogue(THEMES), 2, 1);
    measures.observed(0, null, held());
    measures.observed(1, null, held());
    measures.encounter(0, new int[] {0, 1}, outcome(0, 2, 0, 0, 0, 0, 4, 2, 0, 0, 0));
    double[] row = measures.endRound(0);
    assertThat(row[6]).isNaN();
    assertThat(row[0]).isEqualTo(2);
    assertThat(row[5]).isEqualTo(0.5);
  }
}
