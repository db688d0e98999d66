package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.Mind;
import dev.norma.agents.Specs;
import dev.norma.agents.game.Game;
import dev.norma.agents.games.naming.NamingMind;
import dev.norma.agents.games.speakerhearer.SpeakerHearerGame;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class StudyPlanTest {

  private static BitSet committedSet(StudyPlan plan) {
    BitSet set = new BitSet();
    for (int id = 0; id < plan.populationSize(); id++) {
      if (plan.isCommitted(id)) {
        set.set(id);
      }
    }
    return set;
  }

  @Test
  void theCommittedDrawPicksExactlyCountDistinctAgents() {
    ExperimentSpec spec = Specs.of("population.size=100", "committed.count=17");
    for (long seed = 0; seed < 50; seed++) {
      StudyPlan plan = new StudyPlan(spec, seed);
      assertThat(committedSet(plan).cardinality()).isEqualTo(17);
      assertThat(plan.committedCount()).isEqualTo(17);
    }
  }

  @Test
  void aFractionIsRoundedToTheNearestAgent() {
    StudyPlan plan = new StudyPlan(Specs.of("population.size=48", "committed.fraction=0.125"), 1);
    assertThat(committedSet(plan).cardinality()).isEqualTo(6);
  }

  @Test
  void theCommittedDrawDependsOnTheSeedOnly() {
    ExperimentSpec spec = Specs.of("population.size=100", "committed.count=10");
    assertThat(committedSet(new StudyPlan(spec, 5))).isEqualTo(committedSet(new StudyPlan(spec, 5)));
    assertThat(committedSet(new StudyPlan(spec, 5))).isNotEqualTo(committedSet(new StudyPlan(spec, 6)));
  }

  @Test
  void everyAgentIsEquallyLikelyToBeCommitted() {
    ExperimentSpec spec = Specs.of("population.size=10", "committed.count=3");
    int runs = 10_000;
    int[] times = new int[10];
    for (long seed = 0; seed < runs; seed++) {
      committedSet(new StudyPlan(spec, seed)).stream().forEach(id -> times[id]++);
    }
    for (int id = 0; id < 10; id++) {
      // Standard error 0.0046.
      assertThat(times[id] / (double) runs).as("agent %d", id).isCloseTo(0.3, within(0.02));
    }
  }

  @Test
  void noCommittedMinorityMeansNoCommittedWord() {
    StudyPlan plan = new StudyPlan(ExperimentSpec.defaults(), 1);
    assertThat(plan.committedCount()).isZero();
    assertThat(plan.committedWord()).isEqualTo(-1);
    assertThat(committedSet(plan).isEmpty()).isTrue();
    assertThat(plan.introductionIndex()).isZero();
    assertThat(plan.maxInteractions()).isEqualTo(1000L * 24);
  }

  @Test
  void aPreparedNamingGameFillsTheOthersMemoriesWithTheMajorityName() {
    ExperimentSpec spec = Specs.of("population.size=12", "game.memory=3", "committed.count=2",
        "committed.introduce=prepared", "committed.name=X", "committed.majorityName=F");
    StudyPlan plan = new StudyPlan(spec, 9);
    int x = plan.game().wordOf("X");
    int f = plan.game().wordOf("F");
    assertThat(plan.committedWord()).isEqualTo(x);
    for (int id = 0; id < 12; id++) {
      NamingMind mind = (NamingMind) plan.newMind(id);
      if (plan.isCommitted(id)) {
        assertThat(mind.remembered()).isZero();
        assertThat(mind.committedAt(0)).isTrue();
      } else {
        assertThat(mind.remembered()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
          assertThat(mind.ownChoice(i)).isEqualTo(f);
          assertThat(mind.partnerChoice(i)).isEqualTo(f);
        }
        assertThat(mind.committedAt(Long.MAX_VALUE - 1)).isFalse();
      }
    }
  }

  @Test
  void aPreparedSpeakerHearerGameStartsTheOthersOnTheMajorityAndTheCommittedOnTheirWord() {
    ExperimentSpec spec = Specs.of("game.kind=minimal-naming", "game.names=[P, R, S]",
        "population.size=20", "committed.count=4", "committed.introduce=prepared",
        "committed.name=S", "committed.majorityName=R");
    StudyPlan plan = new StudyPlan(spec, 2);
    int s = plan.game().wordOf("S");
    int r = plan.game().wordOf("R");
    for (int id = 0; id < 20; id++) {
      Mind mind = plan.newMind(id);
      assertThat(mind.inventorySize()).isEqualTo(1);
      assertThat(mind.soleWord()).isEqualTo(plan.isCommitted(id) ? s : r);
    }
  }

  @Test
  void binaryAgreementStartsEveryoneOnBWithTheCommittedOnA() {
    StudyPlan plan = new StudyPlan(Specs.of("game.kind=binary-agreement", "population.size=50",
        "committed.fraction=0.1"), 4);
    assertThat(plan.game().names()).containsExactly("A", "B");
    assertThat(plan.game()).isInstanceOf(SpeakerHearerGame.class);
    assertThat(plan.committedWord()).isEqualTo(0);
    assertThat(committedSet(plan).cardinality()).isEqualTo(5);
    for (int id = 0; id < 50; id++) {
      Mind mind = plan.newMind(id);
      assertThat(mind.soleWord()).isEqualTo(plan.isCommitted(id) ? 0 : 1);
      assertThat(mind.committedAt(0)).isEqualTo(plan.isCommitted(id));
    }
  }

  @Test
  void anInventingGameNumbersInventedWordsAfterTheNamesTheSpecGives() {
    StudyPlan plan = new StudyPlan(Specs.of("game.kind=minimal-naming", "population.size=10",
        "committed.count=1", "committed.name=K"), 4);
    assertThat(plan.game().names()).containsExactly("K");
    assertThat(plan.committedWord()).isZero();
    assertThat(plan.game().wordBound(10)).isEqualTo(11);
    int committedId = committedSet(plan).nextSetBit(0);
    assertThat(plan.newMind(committedId).soleWord()).isZero();
    int other = committedId == 0 ? 1 : 0;
    Mind speaker = plan.newMind(other);
    assertThat(speaker.inventorySize()).isZero();
    Game<Mind> game = plan.game();
    assertThat(game.produce(speaker, 0)).isEqualTo(1 + other);
  }

  @Test
  void atRoundKMakesTheMinorityCommittedFromInteractionKTimesN() {
    ExperimentSpec spec = Specs.of("game.kind=binary-agreement", "population.size=30",
        "committed.count=3", "committed.introduce=atRound 7", "stop.maxRounds=50");
    StudyPlan plan = new StudyPlan(spec, 8);
    assertThat(plan.introductionIndex()).isEqualTo(7 * 30);
    assertThat(plan.introductionRound()).isEqualTo(7);
    assertThat(plan.maxInteractions()).isEqualTo((7 + 50) * 30L);
    for (int id = 0; id < 30; id++) {
      Mind mind = plan.newMind(id);
      if (plan.isCommitted(id)) {
        assertThat(mind.committedFromIndex()).isEqualTo(210);
        assertThat(mind.committedAt(209)).isFalse();
        assertThat(mind.committedAt(210)).isTrue();
      } else {
        assertThat(mind.committedFromIndex()).isEqualTo(Long.MAX_VALUE);
      }
      // Until the introduction a future committed agent is like everyone else.
      assertThat(mind.soleWord()).isEqualTo(1);
    }
  }

  @Test
  void eachAgentsMindIsFreshAndSeededByTheRunSeedAndItsId() {
    StudyPlan plan = new StudyPlan(ExperimentSpec.defaults(), 21);
    Mind first = plan.newMind(3);
    Mind again = plan.newMind(3);
    Mind other = plan.newMind(4);
    assertThat(first).isNotSameAs(again);
    long a = first.nextLong();
    assertThat(again.nextLong()).isEqualTo(a);
    assertThat(other.nextLong()).isNotEqualTo(a);
    assertThat(new StudyPlan(ExperimentSpec.defaults(), 22).newMind(3).nextLong()).isNotEqualTo(a);
  }
}
