package dev.norma.agents.games.higherorder;

import static dev.norma.agents.encounter.RecordedRun.exactly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.RecordedRun;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The higher-order naming game as a module: its encounter game is {@link HigherOrderLoop} of the
 * same seed, lending its minds by state changes nothing, its spec section rejects what it cannot
 * play, and its measures stop a study where the spec says.
 */
class HigherOrderModuleTest {
  private static final int N = 1000;
  private static final Path EXAMPLE = Path.of("..", "examples", "higher-order-naming.yaml");
  private static final HigherOrderModule MODULE = new HigherOrderModule();

  /** A study of N agents with a committed fraction of 0.12 and no stop rule but maxRounds, with {@code overrides}. */
  private static ExperimentSpec spec(String... overrides) {
    List<String> all = new ArrayList<>(List.of("game.kind=higher-order-naming", "population.size=" + N,
        "committed.fraction=0.12", "stop.onConvergence=false", "stop.onFlip=false"));
    all.addAll(List.of(overrides));
    return Specs.of(all.toArray(String[]::new));
  }

  private static RecordedRun run(EncounterGame<ConventionMind> game, long maxRounds) {
    return new RecordedRun().play(new EncounterLoop<>(game, N), maxRounds, null);
  }

  /** Rows as lists of boxed doubles, which are equal only when every double is the same to the bit. */
  private static double onA(double[] row) {
    return row[HigherOrderMeasures.COLUMNS.indexOf("onA")];
  }

  @Test
  void theModuleIsFoundByItsKindAsAGameAndAsASection() {
    assertThat(Games.forKind("higher-order-naming")).isInstanceOf(HigherOrderModule.class);
    assertThat(GameSection.forKind("higher-order-naming")).get().isInstanceOf(HigherOrderModule.class);
    assertThat(MODULE.encounters(spec(), 1)).isInstanceOf(HigherOrderEncounters.class);
  }

  @Test
  void theEncounterGameIsMadeFromTheSpec() {
    HigherOrderEncounters game = MODULE.encounters(Specs.of("game.kind=higher-order-naming", "population.size=" + N,
        "game.settings.groupSize=5", "game.settings.beta=0.25", "committed.count=37"), 3);
    assertThat(game.participants()).isEqualTo(5);
    assertThat(game.rules().agreementProbability()).isEqualTo(0.25);
    assertThat(game.encountersPerRound()).isEqualTo(N);
    assertThat(game.committedCount()).isEqualTo(37);
    assertThat(game.outcomeColumns()).containsExactly("agreed", "uttered");
    assertThat(game.newMeasures().columns()).containsExactly("onA", "onB", "undecided", "agreement");

    HigherOrderEncounters defaults = MODULE.encounters(Specs.of("game.kind=higher-order-naming"), 3);
    assertThat(defaults.participants()).isEqualTo(3);
    assertThat(defaults.rules().agreementProbability()).isEqualTo(1.0);
    assertThat(defaults.committedCount()).isZero();
  }

  /**
   * Row for row, the module's encounter loop is the reference loop: the same committed agents,
   * groups and draws. The agreement column is counted from the reference loop's own results.
   */
  @Test
  void itsEncounterLoopIsTheHigherOrderLoopOfTheSameSeed() {
    int rounds = 40;
    for (double[] point : new double[][] {{3, 0.5}, {2, 1.0}}) {
      int g = (int) point[0];
      double beta = point[1];
      for (long seed : new long[] {1, 2}) {
        RecordedRun study = run(MODULE.encounters(
            spec("game.settings.groupSize=" + g, "game.settings.beta=" + beta), seed), rounds);

        HigherOrderLoop reference = new HigherOrderLoop(new HigherOrderNamingGame(g, beta), N, 0.12, seed);
        List<double[]> expected = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          int agreed = 0;
          for (int i = 0; i < N; i++) {
            agreed += reference.playNext() ? 1 : 0;
          }
          ConventionShares shares = reference.shares();
          expected.add(new double[] {shares.onA(), shares.onB(), shares.undecided(), (double) agreed / N});
        }

        assertThat(study.reason).isEqualTo(EncounterLoop.MAX_ROUNDS);
        assertThat(exactly(study.rows)).as("g = %d, beta = %s, seed %d", g, beta, seed).isEqualTo(exactly(expected));
        // The comparison is of a trajectory that goes somewhere: from everyone on B to a tipped population.
        assertThat(onA(study.rows.get(0))).isLessThan(0.2);
        assertThat(onA(study.rows.get(rounds - 1))).as("g = %d, beta = %s, seed %d", g, beta, seed).isGreaterThan(0.5);
      }
    }
  }

  @Test
  void anOutcomeSaysWhetherTheGroupAgreedAndWhatTheSpeakerUttered() {
    RecordedRun study = run(MODULE.encounters(spec("game.settings.beta=0.5"), 4), 5);
    assertThat(study.outcomes).hasSize(5 * N).allSatisfy(outcome -> {
      assertThat(outcome).hasSize(2);
      assertThat(outcome[HigherOrderEncounters.AGREED]).isIn(0.0, 1.0);
      assertThat(outcome[HigherOrderEncounters.UTTERED]).isIn((double) ConventionMind.A, (double) ConventionMind.B);
    });
    assertThat(study.outcomes).anySatisfy(o -> assertThat(o).containsExactly(1, ConventionMind.A));
    assertThat(study.outcomes).anySatisfy(o -> assertThat(o).containsExactly(1, ConventionMind.B));
    assertThat(study.outcomes).anySatisfy(o -> assertThat(o).containsExactly(0, ConventionMind.A));
    assertThat(study.outcomes).anySatisfy(o -> assertThat(o).containsExactly(0, ConventionMind.B));
  }

  /**
   * What an actor engine does: every encounter played on fresh minds restored from the real ones'
   * saved state. Row for row and outcome for outcome the plain loop, while lending fresh minds
   * without their state (a broken engine) is caught.
   */
  @Test
  void lendingMindsByTheirSavedStateChangesNothing() {
    for (long seed : new long[] {5, 6}) {
      HigherOrderEncounters game = MODULE.encounters(spec("game.settings.beta=0.5"), seed);
      RecordedRun plain = run(game, 30);
      RecordedRun lent = run(LentByState.of(game), 30);

      assertThat(exactly(lent.rows)).isEqualTo(exactly(plain.rows));
      assertThat(exactly(lent.outcomes)).isEqualTo(exactly(plain.outcomes));

      RecordedRun forgetful = run(LentByState.withoutState(game), 30);
      assertThat(exactly(forgetful.rows)).isNotEqualTo(exactly(plain.rows));
    }
  }

  @Test
  void aStudyWithAFlipRuleStopsFlippedInTheRoundTheShareOnAReachesTheThreshold() {
    RecordedRun study = run(MODULE.encounters(spec("game.settings.beta=0.5", "stop.onFlip=true",
        "stop.flipThreshold=0.9", "stop.flipWindowRounds=1", "stop.flipWithinRounds=200"), 8), 200);

    assertThat(study.reason).isEqualTo("flipped");
    List<double[]> before = study.rows.subList(0, study.rows.size() - 1);
    assertThat(before).isNotEmpty().allSatisfy(row -> assertThat(onA(row)).isLessThan(0.9));
    assertThat(onA(study.rows.get(study.rows.size() - 1))).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void aFlipOverAWindowOfRoundsIsTheirMeanReachingTheThreshold() {
    RecordedRun study = run(MODULE.encounters(spec("game.settings.beta=0.5", "stop.onFlip=true",
        "stop.flipThreshold=0.9", "stop.flipWindowRounds=3", "stop.flipWithinRounds=200"), 8), 200);

    assertThat(study.reason).isEqualTo("flipped");
    int last = study.rows.size() - 1;
    assertThat(meanOnA(study.rows, last - 2, last)).isGreaterThanOrEqualTo(0.9);
    assertThat(meanOnA(study.rows, last - 3, last - 1)).isLessThan(0.9);
  }

  private static double meanOnA(List<double[]> rows, int from, int to) {
    double sum = 0;
    for (int i = from; i <= to; i++) {
      sum += onA(rows.get(i));
    }
    return sum / (to - from + 1);
  }

  @Test
  void withoutAFlipAStudyStopsWhenItsWindowEnds() {
    // Below the critical mass of groups of 3 with beta = 1 (0.125): the B majority holds.
    RecordedRun study = run(MODULE.encounters(spec("committed.fraction=0.05", "stop.onFlip=true",
        "stop.flipWithinRounds=12", "stop.flipWindowRounds=3"), 9), 200);

    assertThat(study.reason).isEqualTo("flip-window-ended");
    assertThat(study.rows).hasSize(12).allSatisfy(row -> assertThat(onA(row)).isLessThan(0.5));
  }

  @Test
  void aStudyStopsConvergedWhenEveryUncommittedAgentKnowsOnlyA() {
    RecordedRun study = run(MODULE.encounters(spec("game.settings.beta=0.5", "stop.onConvergence=true",
        "stop.onFlip=true", "stop.flipThreshold=1"), 10), 300);

    assertThat(study.reason).as("convergence is named before a flip of threshold 1").isEqualTo("converged");
    assertThat(onA(study.rows.get(study.rows.size() - 1))).isEqualTo(1.0);
    assertThat(study.rows.subList(0, study.rows.size() - 1)).allSatisfy(row -> assertThat(onA(row)).isLessThan(1));
  }

  @Test
  void withoutACommittedMinorityThePopulationHasConvergedOnBFromTheStart() {
    RecordedRun study = run(MODULE.encounters(spec("committed.fraction=0", "stop.onConvergence=true",
        "stop.onFlip=true"), 11), 300);

    assertThat(study.reason).isEqualTo("converged");
    assertThat(study.rows).singleElement().satisfies(row -> assertThat(row).startsWith(0, 1, 0));
  }

  @Test
  void theExampleLoadsAndTipsWithinSeconds() throws SpecException {
    ExperimentSpec example = SpecLoader.load(EXAMPLE, List.of());
    assertThat(example.game().kind()).isEqualTo("higher-order-naming");
    assertThat(example.population().size()).isEqualTo(N);
    assertThat(example.committedCount()).isEqualTo(100);

    RecordedRun study = run(MODULE.encounters(example, 1), example.stop().maxRounds());
    assertThat(study.reason).isEqualTo("converged");
    assertThat(study.rows.size()).isLessThan(100);
  }

  /** The problems of the default study of this game with {@code overrides}. */
  private static List<String> problems(String... overrides) {
    List<String> all = new ArrayList<>(List.of("game.kind=higher-order-naming"));
    all.addAll(List.of(overrides));
    try {
      SpecLoader.parse("", all);
    } catch (SpecException e) {
      return e.problems();
    }
    return List.of();
  }

  @Test
  void theDefaultStudyOfThisKindIsValid() {
    assertThat(problems()).isEmpty();
    assertThat(problems("population.size=2", "game.settings.groupSize=2", "committed.count=1")).isEmpty();
  }

  @Test
  void badSettingsAreNamedByTheirPath() {
    assertThat(problems("game.settings.beta=2"))
        .containsExactly("game.settings.beta: expected a number in [0.0, 1.0], got 2");
    assertThat(problems("game.settings.groupSize=1"))
        .containsExactly("game.settings.groupSize: expected a whole number in 2..24, got 1");
    assertThat(problems("game.settings.groupSize=25"))
        .containsExactly("game.settings.groupSize: expected a whole number in 2..24, got 25");
    assertThat(problems("game.settings.gamma=0.3"))
        .containsExactly("game.settings.gamma: not a setting of this game; it reads [groupSize, beta]");
  }

  @Test
  void whatTheGameCannotPlayIsRejectedAtItsPath() {
    assertThat(problems("policy.kind=memory")).containsExactly(
        "policy.kind: the higher-order naming game's agents follow its rule ('rules') or a language model ('llm'),"
            + " got 'memory'");
    assertThat(problems("policy.kind=rules")).isEmpty();
    assertThat(problems("committed.count=3", "committed.introduce=prepared")).containsExactly(
        "committed.introduce: the higher-order naming game's committed minority is committed from the start only"
            + " so far ('start'), got 'prepared'");
    assertThat(problems("committed.count=3", "committed.introduce=atRound 5")).singleElement().asString()
        .startsWith("committed.introduce: the higher-order naming game's committed minority is committed from");
    assertThat(problems("committed.name=B")).containsExactly(
        "committed.name: the higher-order naming game's committed minority holds A, got 'B'");
    assertThat(problems("schedule.kind=rounds")).containsExactly(
        "schedule.kind: the higher-order naming game draws one group at a time ('sequential'), got 'rounds'");
    assertThat(problems("game.names=[A, B]")).singleElement().asString().startsWith(
        "game.names: does not apply to the higher-order naming game");
    assertThat(problems("game.poolSize=2")).singleElement().asString().startsWith(
        "game.poolSize: does not apply to the higher-order naming game");
    assertThat(problems("game.memory=3")).singleElement().asString().startsWith(
        "game.memory: does not apply to the higher-order naming game");
  }

  @Test
  void whatAnotherSectionRejectsIsReportedOnce() {
    assertThat(problems("topology.kind=ring")).containsExactly("topology.kind: the higher-order naming game draws its"
        + " groups from the whole population ('complete') or within rooms ('rooms'), got 'ring'");
    // Rooms it draws its groups in, each room holding a group of g (3 by default).
    assertThat(problems("topology.kind=rooms", "topology.size=3")).isEmpty();
    assertThat(problems("topology.kind=rooms", "topology.size=2")).containsExactly("topology.size: a room must hold a"
        + " group: expected at least game.settings.groupSize = 3 agents per room, got 2");
    assertThat(problems("population.size=100", "topology.kind=rooms", "game.settings.groupSize=12"))
        .containsExactly("topology.size: a room must hold a group: expected at least game.settings.groupSize = 12"
            + " agents per room, got 10 (the default)");
    assertThat(problems("policy.kind=gpt"))
        .containsExactly("policy.kind: expected one of [memory, rules, llm], got 'gpt'");
    assertThat(problems("committed.introduce=later")).singleElement().asString().startsWith(
        "committed.introduce: expected 'start', 'prepared' or 'atRound K'");
  }

  @Test
  void aMindIsFortyBytesAndAMinorityBelowTheCriticalMassMayNotConverge() {
    assertThat(MODULE.mindBytes(spec())).isEqualTo(40);
    assertThat(MODULE.whyItMayNotConverge(spec(), 0.05)).contains("below the critical mass");
    assertThat(MODULE.whyItMayNotConverge(spec("game.settings.beta=0.2"), 0.2)).contains("mixed state");
    assertThat(MODULE.whyItMayNotConverge(spec(), 0.2)).isNull();
  }
}
