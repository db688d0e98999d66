package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.games.crsec.CrsecRules.Candidate;
import dev.norma.agents.games.crsec.CrsecRules.Verdict;
import dev.norma.agents.games.crsec.NormRecord.Provenance;
import dev.norma.agents.games.crsec.NormRecord.Status;
import dev.norma.agents.games.crsec.NormRecord.Type;
import dev.norma.agents.schedule.Rooms;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The four modules as rules, the norm records as a mind's state, and the rooms' schedule. */
class CrsecRulesTest {
  /** The standard study of 20 agents, without slips of the tongue or ear (each test makes its own). */
  private final CrsecRules rules = new CrsecRules(new CrsecParameters(20, 10, 3, 0.1, Theme.DEFAULTS, 0.3, 0.9, 50,
      15, 5, 0, 0, 0.8));
  private final NormCatalogue catalogue = rules.catalogue();
  private final int smokingNot = catalogue.specific(0, Type.INJUNCTIVE, true);
  private final int noiseNot = catalogue.specific(1, Type.INJUNCTIVE, true);
  private final int consideration = catalogue.abstractOf(0);

  @Test
  void advocatesWriteTheirPersonalNormsAndOrdinaryAgentsNone() {
    CrsecMind advocate = rules.newMind(12, 3);
    CrsecMind ordinary = rules.newMind(15, 3);
    assertThat(advocate.advocate()).isTrue();
    assertThat(ordinary.advocate()).isFalse();
    assertThat(advocate.norms(catalogue)).extracting(NormRecord::content).containsExactly(
        "Customers should not smoke indoors.", "Customers should not talk loudly.", "Customers should tip the staff.");
    NormRecord first = advocate.norms(catalogue).get(0);
    assertThat(first.type()).isEqualTo(Type.INJUNCTIVE);
    assertThat(first.subject()).isEqualTo("customers");
    assertThat(first.predicate()).isEqualTo("should not smoke");
    assertThat(first.object()).isEqualTo("indoors");
    assertThat(first.provenance()).isEqualTo(Provenance.OWN);
    assertThat(first.status()).isEqualTo(Status.ACTIVE);
    assertThat(first.utility()).isBetween(CrsecRules.AGREEING, 100);
    assertThat(ordinary.norms(catalogue)).isEmpty();
    assertThat(catalogue.content(catalogue.specific(0, Type.DESCRIPTIVE, true), "customers"))
        .isEqualTo("Customers do not smoke indoors.");
    assertThat(catalogue.content(consideration, "customers")).isEqualTo("Customers should show consideration for others.");
  }

  @Test
  void evaluationRejectsNamesInconsistencyDuplicatesAndConflicts() {
    CrsecMind advocate = rules.newMind(0, 3);
    CrsecMind listener = ordinary(CrsecMind.MINDS);
    assertThat(rules.evaluate(listener, new Candidate(smokingNot, "Agent-5", smokingNot, Provenance.CONVERSATION, 1)))
        .isEqualTo(Verdict.NAMES_A_PERSON);
    assertThat(rules.evaluate(listener, new Candidate(catalogue.opposite(smokingNot), "customers", smokingNot,
        Provenance.CONVERSATION, 1))).isEqualTo(Verdict.INCONSISTENT);
    assertThat(listener.holds(smokingNot)).isFalse();
    assertThat(rules.evaluate(advocate, new Candidate(smokingNot, "customers", smokingNot, Provenance.CONVERSATION,
        1))).isEqualTo(Verdict.DUPLICATE);
    int smokingDone = catalogue.opposite(smokingNot);
    assertThat(rules.evaluate(advocate, new Candidate(smokingDone, "customers", smokingDone,
        Provenance.CONVERSATION, 1))).isEqualTo(Verdict.CONFLICTS);
    // A description of what the advocate's norm forbids conflicts with it too.
    int smokersHere = catalogue.specific(0, Type.DESCRIPTIVE, false);
    assertThat(rules.observe(advocate, smokersHere, 0.9)).isEqualTo(Verdict.CONFLICTS);
    // An agreeing listener activates the norm at once, one hop further from its origin.
    assertThat(rules.converse(advocate, listener, smokingNot)).isEqualTo(Verdict.ACTIVATED);
    assertThat(listener.active(smokingNot)).isTrue();
    assertThat(listener.hops(smokingNot)).isEqualTo(1);
  }

  @Test
  void aHabitualSmokerIsPersuadedOnlyByHearingTheNormAgain() {
    CrsecMind advocate = rules.newMind(0, 3);
    CrsecMind smoker = ordinary(CrsecMind.HABIT);
    assertThat(rules.converse(advocate, smoker, smokingNot)).isEqualTo(Verdict.KEPT_AS_CANDIDATE);
    assertThat(smoker.norms(catalogue)).singleElement().extracting(NormRecord::status).isEqualTo(Status.CANDIDATE);
    assertThat(rules.act(smoker, 0)).isFalse();
    // Utility 25 ± 10, plus 15 a hearing: active by the fourth hearing at the latest.
    int hearings = 1;
    while (rules.converse(advocate, smoker, smokingNot) != Verdict.ACTIVATED) {
      hearings++;
    }
    assertThat(hearings + 1).isBetween(2, 4);
    NormRecord record = smoker.norms(catalogue).get(0);
    assertThat(record.reason()).isEqualTo(NormRecord.Reason.PERSUADED);
    // Compliance: with the norm active it mostly refrains.
    int refrained = 0;
    for (int i = 0; i < 1000; i++) {
      refrained += rules.act(smoker, 0) ? 1 : 0;
    }
    assertThat(refrained).isBetween(860, 940);
  }

  @Test
  void synthesisMergesRelatedActiveNormsIntoOneAbstractNormThatReplacesThem() {
    CrsecMind mind = ordinary(CrsecMind.MINDS);
    assertThat(rules.synthesise(mind, consideration)).isEqualTo(Verdict.DUPLICATE);
    mind.hold(smokingNot, Status.ACTIVE, 70, NormRecord.Reason.AGREES, Provenance.CONVERSATION, 2);
    assertThat(rules.synthesise(mind, consideration)).as("one norm is nothing to merge").isEqualTo(Verdict.DUPLICATE);
    mind.hold(noiseNot, Status.ACTIVE, 90, NormRecord.Reason.AGREES, Provenance.CONVERSATION, 1);
    assertThat(rules.synthesise(mind, consideration)).isEqualTo(Verdict.ACTIVATED);
    assertThat(mind.norms(catalogue)).singleElement().satisfies(record -> {
      assertThat(record.norm()).isEqualTo(consideration);
      assertThat(record.provenance()).isEqualTo(Provenance.SYNTHESIS);
      assertThat(record.utility()).isEqualTo(80);
      assertThat(catalogue.proposedByAdvocates(record.norm())).isFalse();
    });
    // The abstract norm binds both themes and makes the specific ones duplicates.
    assertThat(rules.guide(mind, 1)).isEqualTo(consideration);
    assertThat(rules.check(mind, new Candidate(noiseNot, "customers", noiseNot, Provenance.CONVERSATION, 1)))
        .isEqualTo(Verdict.DUPLICATE);
  }

  @Test
  void normRecordsArePartOfTheMindsSavedState() {
    CrsecMind mind = rules.newMind(1, 3);
    rules.observe(mind, catalogue.specific(2, Type.DESCRIPTIVE, true), 0.9);
    CrsecMind copy = rules.newMind(5, 3);
    CrsecMind restored = new CrsecMind(1, 99, catalogue.themes().size(), catalogue.size());
    restored.restore(mind.save());
    assertThat(restored.norms(catalogue)).isEqualTo(mind.norms(catalogue)).isNotEqualTo(copy.norms(catalogue));
    assertThat(restored.advocate()).isTrue();
    assertThat(restored.nextLong()).isEqualTo(mind.nextLong());
  }

  @Test
  void roomsKeepTheirSizeAndMixAtTheMoveProbability() {
    Rooms rooms = new Rooms(1000, 10, 0.2, 7);
    int[] members = new int[10];
    int[] roomOf = new int[1000];
    int changed = 0;
    for (long period = 0; period < 5; period++) {
      Set<Integer> seen = new HashSet<>();
      for (int room = 0; room < 100; room++) {
        rooms.next(members);
        for (int agent : members) {
          assertThat(seen.add(agent)).isTrue();
          if (period == 0) {
            assertThat(agent / 10).isEqualTo(room);
          } else if (roomOf[agent] != room) {
            changed++;
          }
          roomOf[agent] = room;
        }
      }
      assertThat(seen).hasSize(1000);
    }
    // Four mixings of 1,000 agents at 0.2: about 800 moves, nearly all to another room.
    assertThat(changed).isBetween(700, 860);
  }

  private CrsecMind ordinary(int stance) {
    CrsecMind mind = new CrsecMind(15, 3, catalogue.themes().size(), catalogue.size());
    mind.persona(false, 0, new int[] {stance, stance, stance});
    return mind;
  }
}
