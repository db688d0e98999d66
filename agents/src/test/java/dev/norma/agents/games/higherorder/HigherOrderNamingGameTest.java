package dev.norma.agents.games.higherorder;

import static dev.norma.agents.games.higherorder.ConventionMind.A;
import static dev.norma.agents.games.higherorder.ConventionMind.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.protocols.journal.MindState;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule, the group schedule and the loop, one step at a time on small hand-made groups. */
class HigherOrderNamingGameTest {
  private static final long SEED = 7;

  private static ConventionMind on(int id, int convention) {
    return new ConventionMind(id, SEED, convention);
  }

  private static ConventionMind undecided(int id) {
    ConventionMind mind = on(id, A);
    mind.learn(B);
    return mind;
  }

  private static ConventionMind committed(int id) {
    ConventionMind mind = on(id, A);
    mind.commitFrom(0);
    return mind;
  }

  @Test
  void aUnanimousGroupAgreesAsAWholeSpeakerIncluded() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(4, 1.0);
    ConventionMind[] group = {on(0, A), undecided(1), on(2, A), undecided(3)};
    assertThat(game.play(group, 0)).isTrue();
    for (ConventionMind member : group) {
      assertThat(member.soleWord()).isEqualTo(A);
    }
  }

  @Test
  void whenSomeHearerLacksTheWordOnlyTheHearersLackingItLearnIt() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(4, 1.0);
    ConventionMind[] group = {on(0, A), on(1, B), undecided(2), on(3, A)};
    assertThat(game.play(group, 0)).isFalse();
    assertThat(group[0].soleWord()).isEqualTo(A);
    assertThat(group[1].undecided()).isTrue();
    assertThat(group[2].undecided()).isTrue();
    assertThat(group[3].soleWord()).isEqualTo(A);
  }

  @Test
  void withBetaZeroAUnanimousGroupNeverChanges() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(3, 0.0);
    for (int trial = 0; trial < 100; trial++) {
      ConventionMind[] group = {on(0, B), undecided(1), undecided(2)};
      assertThat(game.play(group, trial)).isFalse();
      assertThat(group[1].undecided()).isTrue();
      assertThat(group[2].undecided()).isTrue();
    }
  }

  @Test
  void aUnanimousGroupAgreesWithProbabilityBetaDrawnOncePerGroup() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(5, 0.3);
    int agreed = 0;
    int trials = 20_000;
    ConventionMind speaker = on(0, B);
    for (int trial = 0; trial < trials; trial++) {
      ConventionMind[] group = {speaker, undecided(1), undecided(2), undecided(3), undecided(4)};
      if (game.play(group, trial)) {
        agreed++;
        assertThat(group).allMatch(member -> member.soleWord() == B);
      } else {
        assertThat(Arrays.copyOfRange(group, 1, 5)).allMatch(ConventionMind::undecided);
      }
    }
    // Binomial standard deviation: sqrt(0.3 * 0.7 / 20000) = 0.0032.
    assertThat((double) agreed / trials).isCloseTo(0.3, within(0.015));
  }

  @Test
  void anUndecidedSpeakerSaysEitherConventionHalfTheTime() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(2, 1.0);
    ConventionMind speaker = undecided(0);
    int saidA = 0;
    int trials = 20_000;
    for (int trial = 0; trial < trials; trial++) {
      speaker.learn(B);
      speaker.learn(A);
      ConventionMind[] group = {speaker, undecided(1)};
      game.play(group, trial);
      saidA += speaker.soleWord() == A ? 1 : 0;
    }
    assertThat((double) saidA / trials).isCloseTo(0.5, within(0.015));
  }

  @Test
  void committedAgentsSayAAndNeverChange() {
    HigherOrderNamingGame game = new HigherOrderNamingGame(3, 1.0);
    // A committed hearer does not know B: it blocks agreement on B and does not learn it.
    ConventionMind[] group = {on(0, B), committed(1), on(2, B)};
    assertThat(game.play(group, 0)).isFalse();
    assertThat(group[1].soleWord()).isEqualTo(A);
    assertThat(group[2].soleWord()).isEqualTo(B);
    // A committed speaker says A; the B hearer learns it.
    group = new ConventionMind[] {committed(0), on(1, B), undecided(2)};
    assertThat(game.play(group, 0)).isFalse();
    assertThat(group[1].undecided()).isTrue();
    assertThat(game.play(group, 1)).isTrue();
    assertThat(group).allMatch(member -> member.soleWord() == A);
  }

  @Test
  void aMindSavesAndRestoresItsStateAndStream() {
    ConventionMind mind = undecided(3);
    mind.nextLong();
    ConventionMind copy = on(3, B);
    copy.restore(mind.save());
    assertThat(copy.undecided()).isTrue();
    assertThat(copy.nextLong()).isEqualTo(mind.nextLong());
    assertThatThrownBy(() -> copy.restore(new MindState(0, Long.MAX_VALUE, new int[] {0})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theScheduleDrawsDistinctMembersAndEveryAgentSpeaksAndTakesPartEqually() {
    int n = 20;
    int g = 5;
    GroupSchedule schedule = new GroupSchedule(n, g, SEED);
    int[] members = new int[g];
    int[] spoke = new int[n];
    int[] tookPart = new int[n];
    int draws = 40_000;
    for (int i = 0; i < draws; i++) {
      schedule.next(members);
      Set<Integer> distinct = new HashSet<>();
      for (int member : members) {
        distinct.add(member);
        tookPart[member]++;
      }
      assertThat(distinct).hasSize(g);
      spoke[members[0]]++;
    }
    for (int id = 0; id < n; id++) {
      // Expected 2000 speeches (sd 44) and 10000 participations (sd 87).
      assertThat(spoke[id]).isBetween(1800, 2200);
      assertThat(tookPart[id]).isBetween(9600, 10400);
    }
  }

  @Test
  void theLoopReplaysExactlyFromItsSeedAndItsCountsMatchTheMinds() {
    List<ConventionShares> first = new HigherOrderLoop(new HigherOrderNamingGame(3, 0.6), 500, 0.1, SEED).runRounds(30);
    List<ConventionShares> again = new HigherOrderLoop(new HigherOrderNamingGame(3, 0.6), 500, 0.1, SEED).runRounds(30);
    List<ConventionShares> other =
        new HigherOrderLoop(new HigherOrderNamingGame(3, 0.6), 500, 0.1, SEED + 1).runRounds(30);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(first.get(29).round()).isEqualTo(29);
    assertThat(first.get(29).interactions()).isEqualTo(30 * 500);

    HigherOrderLoop loop = new HigherOrderLoop(new HigherOrderNamingGame(4, 0.5), 300, 0.05, SEED);
    loop.run(2_345, null);
    int[] counts = new int[3];
    int committedCount = 0;
    for (int id = 0; id < 300; id++) {
      ConventionMind mind = loop.mind(id);
      if (mind.committedAt(0)) {
        committedCount++;
        assertThat(mind.soleWord()).isEqualTo(A);
      } else {
        counts[mind.undecided() ? 2 : mind.soleWord()]++;
      }
    }
    assertThat(committedCount).isEqualTo(15);
    ConventionShares shares = loop.shares();
    assertThat(shares.onA()).isEqualTo(counts[A] / 285.0);
    assertThat(shares.onB()).isEqualTo(counts[B] / 285.0);
    assertThat(shares.undecided()).isEqualTo(counts[2] / 285.0);
  }

  @Test
  void theUnalteredStepByStepRulePlaysExactlyAsTheGame() {
    List<ConventionShares> game = new HigherOrderLoop(new HigherOrderNamingGame(4, 0.7), 400, 0.08, SEED).runRounds(40);
    List<ConventionShares> stepByStep =
        new HigherOrderLoop(new AlteredGroupRules(4, 0.7), 400, 0.08, SEED).runRounds(40);
    assertThat(stepByStep).isEqualTo(game);
  }

  @Test
  void parametersAreChecked() {
    assertThatThrownBy(() -> new HigherOrderNamingGame(1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HigherOrderNamingGame(3, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupSchedule(3, 4, SEED)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HigherOrderLoop(new HigherOrderNamingGame(3, 0.5), 100, 1.0, SEED))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
