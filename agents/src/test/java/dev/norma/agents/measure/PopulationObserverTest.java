package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.Specs;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PopulationObserverTest {
  // Ashery et al.'s ten names: Q M X Y F J P R C D.
  private static final int Q = 0;
  private static final int M = 1;
  private static final int X = 2;

  private static InteractionRecord naming(long index, int initiator, int responder, int initiatorWord,
                                          int responderWord) {
    return new InteractionRecord(index, initiator, responder, initiatorWord, responderWord,
        initiatorWord == responderWord, true, false, false, 0, 0, -1, -1);
  }

  /** A speaker–hearer record: the states are the two agents' inventories just after it. */
  private static InteractionRecord spoken(long index, int speaker, int hearer, int word, boolean success,
                                          int speakerSize, int hearerSize, int speakerSole, int hearerSole) {
    return new InteractionRecord(index, speaker, hearer, word, -1, success, true, false, false,
        speakerSize, hearerSize, speakerSole, hearerSole);
  }

  @Test
  void aRoundRowSummarisesTheNamesProducedThatRound() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=4"), 1));

    assertThat(observer.accept(naming(0, 0, 1, Q, Q))).isNull();
    assertThat(observer.accept(naming(1, 2, 3, Q, M))).isNull();
    assertThat(observer.accept(naming(2, 1, 2, M, M))).isNull();
    RoundRow row = observer.accept(naming(3, 3, 0, X, Q));

    // Produced: Q 4, M 3, X 1 of 8.
    assertThat(row.round()).isZero();
    assertThat(row.interactions()).isEqualTo(4);
    assertThat(row.successRate()).isEqualTo(0.5);
    assertThat(row.topName()).isEqualTo("Q");
    assertThat(row.topShare()).isEqualTo(0.5);
    assertThat(row.distinctNames()).isEqualTo(3);
    assertThat(row.entropyBits()).isCloseTo(Entropy.millerMadowBits(new int[] {4, 3, 1}, 3), within(1e-12));
    assertThat(row.totalWords()).isEqualTo(-1);
    assertThat(observer.finalShares()).containsOnlyKeys("Q", "M", "X");
    assertThat(observer.finalShares().get("M")).isEqualTo(3 / 8.0);
    assertThat(observer.lastRow()).isEqualTo(row);
  }

  @Test
  void eachRoundCountsOnlyItsOwnInteractionsAndTiesGoToTheLowestWord() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=2"), 1));
    observer.accept(naming(0, 0, 1, Q, Q));
    RoundRow first = observer.accept(naming(1, 1, 0, Q, Q));
    observer.accept(naming(2, 0, 1, X, M));
    RoundRow second = observer.accept(naming(3, 1, 0, M, X));

    assertThat(first.topName()).isEqualTo("Q");
    assertThat(first.topShare()).isEqualTo(1.0);
    assertThat(first.entropyBits()).isZero();
    assertThat(second.round()).isEqualTo(1);
    assertThat(second.interactions()).isEqualTo(4);
    assertThat(second.successRate()).isZero();
    assertThat(second.topName()).isEqualTo("M");
    assertThat(second.topShare()).isEqualTo(0.5);
    assertThat(second.distinctNames()).isEqualTo(2);
    assertThat(second.entropyBits()).isCloseTo(1 + 1 / (2 * 4 * Math.log(2)), within(1e-12));
  }

  @Test
  void committedAgentsProductionIsLeftOutOfTheShares() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=2"), 1));
    observer.accept(new InteractionRecord(0, 0, 1, X, M, false, true, true, false, 0, 0, -1, -1));
    RoundRow row = observer.accept(new InteractionRecord(1, 1, 0, M, X, false, true, false, true, 0, 0, -1, -1));
    assertThat(row.topName()).isEqualTo("M");
    assertThat(row.topShare()).isEqualTo(1.0);
    assertThat(row.distinctNames()).isEqualTo(1);
  }

  @Test
  void theNamingGameConvergesAfterExactlyThreeRoundsOfSuccesses() {
    int n = 4;
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=4"), 1));
    for (int i = 0; i < 3 * n - 1; i++) {
      observer.accept(naming(i, i % n, (i + 1) % n, M, M));
      assertThat(observer.converged()).as("after %d successes", i + 1).isFalse();
    }
    observer.accept(naming(3 * n - 1, 0, 1, M, M));
    assertThat(observer.converged()).isTrue();
    assertThat(observer.convergenceIndex()).isEqualTo(3 * n - 1);
    assertThat(observer.winner()).isEqualTo("M");
    assertThat(observer.stopReason()).isEqualTo("converged");
  }

  @Test
  void aFailureOrAnInvalidInteractionRestartsTheStreak() {
    int n = 4;
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=4"), 1));
    long index = 0;
    for (int i = 0; i < 2 * n; i++) {
      observer.accept(naming(index++, 0, 1, Q, Q));
    }
    observer.accept(naming(index++, 0, 1, Q, M));
    for (int i = 0; i < 2 * n; i++) {
      observer.accept(naming(index++, 0, 1, Q, Q));
    }
    observer.accept(new InteractionRecord(index++, 2, 3, -1, -1, false, false, false, false, 0, 0, -1, -1));
    long lastBreak = index - 1;
    for (int i = 0; i < 3 * n - 1; i++) {
      observer.accept(naming(index++, 0, 1, Q, Q));
    }
    assertThat(observer.converged()).isFalse();
    observer.accept(naming(index, 0, 1, Q, Q));
    assertThat(observer.converged()).isTrue();
    assertThat(observer.convergenceIndex()).isEqualTo(lastBreak + 3 * n);
    assertThat(observer.invalidInteractions()).isEqualTo(1);
  }

  @Test
  void theConvergenceWindowIsASpecSetting() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(
        Specs.of("population.size=4", "stop.convergenceWindowRounds=1"), 1));
    for (int i = 0; i < 4; i++) {
      observer.accept(naming(i, 0, 1, X, X));
    }
    assertThat(observer.convergenceIndex()).isEqualTo(3);
    assertThat(observer.winner()).isEqualTo("X");
  }

  @Test
  void aSpeakerHearerPopulationConvergesWhenEveryAgentHoldsTheSameSingleName() {
    StudyPlan plan = new StudyPlan(Specs.of("game.kind=minimal-naming", "population.size=3"), 1);
    PopulationObserver observer = new PopulationObserver(plan);
    assertThat(observer.totalWords()).isZero();

    // Agent 0 invents w0 and teaches it to 1; agent 2 invents w2 and teaches it to 0.
    observer.accept(spoken(0, 0, 1, 0, false, 1, 1, 0, 0));
    observer.accept(spoken(1, 2, 0, 2, false, 1, 2, 2, -1));
    assertThat(observer.totalWords()).isEqualTo(4);
    RoundRow first = observer.accept(spoken(2, 0, 2, 2, true, 1, 1, 2, 2));
    // Inventories {w2} {w0} {w2}: two agents agree, one does not.
    assertThat(observer.converged()).isFalse();
    assertThat(first.totalWords()).isEqualTo(3);
    assertThat(first.successRate()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(first.topName()).isEqualTo("w2");
    assertThat(first.topShare()).isCloseTo(2 / 3.0, within(1e-12));

    observer.accept(spoken(3, 2, 1, 2, false, 1, 2, 2, -1));
    assertThat(observer.converged()).isFalse();
    observer.accept(spoken(4, 1, 0, 2, true, 1, 1, 2, 2));
    assertThat(observer.converged()).isTrue();
    assertThat(observer.convergenceIndex()).isEqualTo(4);
    assertThat(observer.winner()).isEqualTo("w2");
    assertThat(observer.totalWords()).isEqualTo(3);
  }

  @Test
  void aSpeakerHearerPopulationStartsFromItsInitialInventories() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(
        Specs.of("game.kind=binary-agreement", "population.size=10", "committed.count=2"), 1));
    assertThat(observer.totalWords()).isEqualTo(10);
    assertThat(observer.hasCommittedMinority()).isTrue();
  }

  @Test
  void withACommittedMinorityOnlyTheCommittedNameIsAConsensus() {
    StudyPlan plan = flipPlan("stop.convergenceWindowRounds=1", "stop.onFlip=false");
    PopulationObserver observer = new PopulationObserver(plan);
    int a = plan.isCommitted(0) ? 2 : 0;
    int b = plan.isCommitted(1) ? 2 : 1;
    for (int i = 0; i < 30; i++) {
      observer.accept(naming(i, a, b, M, M));
    }
    assertThat(observer.converged()).as("the majority M while the minority sat out").isFalse();
    for (int i = 30; i < 40; i++) {
      observer.accept(naming(i, a, b, Q, Q));
    }
    assertThat(observer.converged()).isTrue();
    assertThat(observer.winner()).isEqualTo("Q");
  }

  /** Prepared naming game, N = 10, one agent committed to Q, the others agreed on M. */
  private static StudyPlan flipPlan(String... extra) {
    List<String> overrides = new ArrayList<>(List.of("population.size=10", "game.names=[Q, M]",
        "committed.count=1", "committed.introduce=prepared", "stop.convergenceWindowRounds=50"));
    overrides.addAll(List.of(extra));
    return new StudyPlan(Specs.of(overrides.toArray(String[]::new)), 3);
  }

  /** Feeds one round of 10 interactions in which non-committed agents produce Q {@code q} times of 20. */
  private static RoundRow feedRound(PopulationObserver observer, StudyPlan plan, long round, int q) {
    int a = plan.isCommitted(0) ? 2 : 0;
    int b = plan.isCommitted(1) ? 2 : 1;
    RoundRow row = null;
    for (int i = 0; i < 10; i++) {
      int first = 2 * i < q ? Q : M;
      int second = 2 * i + 1 < q ? Q : M;
      row = observer.accept(naming(round * 10 + i, a, b, first, second));
    }
    return row;
  }

  @Test
  void aFlipNeedsTheLastThreeRoundsToAverageAtLeastTheThreshold() {
    StudyPlan plan = flipPlan();
    PopulationObserver observer = new PopulationObserver(plan);
    int[] qPerRound = {16, 19, 20};
    for (int round = 0; round < 3; round++) {
      RoundRow row = feedRound(observer, plan, round, qPerRound[round]);
      assertThat(row.topName()).isEqualTo("Q");
    }
    // (0.80 + 0.95 + 1.00) / 3 = 0.917 < 0.95.
    assertThat(observer.flipped()).isFalse();
    assertThat(observer.stopReason()).isNull();

    feedRound(observer, plan, 3, 20);
    // The last three rounds average 0.983; all four would average 0.9375.
    assertThat(observer.flipped()).isTrue();
    assertThat(observer.flipRound()).isEqualTo(3);
    assertThat(observer.stopReason()).isEqualTo("flipped");
  }

  @Test
  void theCommittedAgentsOwnPlaysDoNotMakeAFlip() {
    StudyPlan plan = flipPlan();
    PopulationObserver observer = new PopulationObserver(plan);
    int committed = IntStream.range(0, 10).filter(plan::isCommitted).findFirst().orElseThrow();
    int other = committed == 0 ? 1 : 0;
    for (long i = 0; i < 40; i++) {
      observer.accept(new InteractionRecord(i, committed, other, Q, M, false, true, true, false, 0, 0, -1, -1));
    }
    assertThat(observer.flipped()).isFalse();
    assertThat(observer.finalShares()).containsOnlyKeys("M");
  }

  @Test
  void aFlipMustComeWithinTheFlipWindow() {
    StudyPlan plan = flipPlan("stop.flipWithinRounds=4");
    PopulationObserver observer = new PopulationObserver(plan);
    for (int round = 0; round < 3; round++) {
      feedRound(observer, plan, round, 0);
      assertThat(observer.stopReason()).isNull();
    }
    feedRound(observer, plan, 3, 20);
    assertThat(observer.stopReason()).isEqualTo("flip-window-ended");
    for (int round = 4; round < 8; round++) {
      feedRound(observer, plan, round, 20);
    }
    assertThat(observer.flipped()).isFalse();
    assertThat(observer.flipRound()).isEqualTo(-1);
  }

  @Test
  void theRunStopsAtMaxRounds() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(
        Specs.of("population.size=4", "stop.maxRounds=2"), 1));
    for (int i = 0; i < 7; i++) {
      observer.accept(naming(i, 0, 1, Q, M));
      assertThat(observer.stopReason()).isNull();
    }
    observer.accept(naming(7, 0, 1, Q, M));
    assertThat(observer.stopReason()).isEqualTo("max-rounds");
    assertThat(observer.converged()).isFalse();
    assertThat(observer.winner()).isNull();
  }

  @Test
  void recordsMustArriveInIndexOrderWithoutGaps() {
    PopulationObserver observer = new PopulationObserver(new StudyPlan(Specs.of("population.size=4"), 1));
    assertThatThrownBy(() -> observer.accept(naming(1, 0, 1, Q, Q))).isInstanceOf(IllegalStateException.class);
    observer.accept(naming(0, 0, 1, Q, Q));
    assertThatThrownBy(() -> observer.accept(naming(0, 0, 1, Q, Q))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> observer.accept(naming(2, 0, 1, Q, Q))).isInstanceOf(IllegalStateException.class);
    observer.accept(naming(1, 0, 1, Q, Q));
    assertThat(observer.recorded()).isEqualTo(2);
  }
  @Test
  void memoryAgentsTakeInformationFromTheirPartnersAndAgentsThatIgnoreThemDoNot() {
    // The memory policy chooses from what partners played: the name a partner last showed an agent
    // tells about the agent's next name more than shuffled partners do, before consensus.
    StudyPlan plan = new StudyPlan(Specs.of("population.size=200", "stop.maxRounds=6", "stop.onConvergence=false"), 11);
    List<RoundRow> rows = new ArrayList<>();
    new dev.norma.agents.study.PlainLoop(plan).run(null, rows::add);
    assertThat(meanExcess(rows)).isGreaterThan(0.2);

    // Negative control, the same population and rounds: every name drawn at random, whoever the partner.
    PopulationObserver observer = new PopulationObserver(plan);
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    List<RoundRow> independent = new ArrayList<>();
    for (int i = 0; i < 6 * 200; i++) {
      int initiator = random.nextInt(200);
      int responder = (initiator + 1 + random.nextInt(199)) % 200;
      RoundRow row = observer.accept(naming(i, initiator, responder, random.nextInt(10), random.nextInt(10)));
      if (row != null) {
        independent.add(row);
      }
    }
    assertThat(meanExcess(independent)).isBetween(-0.1, 0.1);

    // Games that invent names, as many as their agents, are not measured past 64 (columns left empty).
    StudyPlan minimal = new StudyPlan(Specs.of("game.kind=minimal-naming", "population.size=100",
        "policy.kind=rules", "stop.maxRounds=3", "stop.onConvergence=false"), 1);
    List<RoundRow> minimalRows = new ArrayList<>();
    new dev.norma.agents.study.PlainLoop(minimal).run(null, minimalRows::add);
    assertThat(minimalRows).isNotEmpty().allSatisfy(row -> assertThat(row.information()).isNull());
  }

  /** Mutual information minus its shuffled baseline, in bits, averaged over rounds after the first. */
  private static double meanExcess(List<RoundRow> rows) {
    return rows.stream().skip(1).mapToDouble(row -> row.information().mutualInformation().correctedBits()
        - row.information().mutualInformation().surrogateMeanBits()).average().orElseThrow();
  }
}
