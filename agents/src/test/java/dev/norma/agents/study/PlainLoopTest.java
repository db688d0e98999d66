package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Mind;
import dev.norma.agents.Specs;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainLoopTest {
  private static final String[][] GAMES = {
      {"game.kind=naming", "population.size=24"},
      {"game.kind=naming", "population.size=48", "game.memory=3", "committed.fraction=0.25",
          "committed.introduce=prepared"},
      {"game.kind=minimal-naming", "population.size=64"},
      {"game.kind=binary-agreement", "population.size=200", "committed.fraction=0.15"},
      {"game.kind=binary-agreement", "population.size=100", "committed.count=12",
          "committed.introduce=atRound 5"},
  };

  private static List<InteractionRecord> records(ExperimentSpec spec, long seed) {
    List<InteractionRecord> out = new ArrayList<>();
    new PlainLoop(new StudyPlan(spec, seed)).run(out::add, null);
    return out;
  }

  private static ExperimentSpec spec(int game, String schedule) {
    List<String> overrides = new ArrayList<>(List.of(GAMES[game]));
    overrides.add("schedule.kind=" + schedule);
    return Specs.of(overrides.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void theSameSeedReplaysTheSameInteractions(int game) {
    for (String schedule : new String[] {"sequential", "rounds"}) {
      List<InteractionRecord> first = records(spec(game, schedule), 17);
      assertThat(first).isNotEmpty();
      assertThat(records(spec(game, schedule), 17)).isEqualTo(first);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void differentSeedsPlayDifferently(int game) {
    List<InteractionRecord> first = records(spec(game, "sequential"), 17);
    List<InteractionRecord> second = records(spec(game, "sequential"), 18);
    int common = Math.min(first.size(), second.size());
    assertThat(second.subList(0, common)).isNotEqualTo(first.subList(0, common));
  }

  @Test
  void indicesAreConsecutiveAndTheLoopStopsWhereTheObserverSays() {
    ExperimentSpec spec = spec(2, "sequential");
    List<InteractionRecord> seen = new ArrayList<>();
    List<RoundRow> rows = new ArrayList<>();
    PopulationObserver observer = new PlainLoop(new StudyPlan(spec, 3)).run(seen::add, rows::add);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).index()).isEqualTo(i);
    }
    assertThat(observer.stopReason()).isEqualTo("converged");
    assertThat(observer.recorded()).isEqualTo(seen.size());
    assertThat(seen.size() % 64).isZero();
    assertThat(rows).hasSize(seen.size() / 64);
    assertThat(observer.lastRow()).isEqualTo(rows.get(rows.size() - 1));
  }

  @Test
  void theSequentialSchedulePairsTwoDifferentAgentsDrawnUniformly() {
    ExperimentSpec spec = Specs.of("game.kind=binary-agreement", "population.size=10", "stop.maxRounds=2000",
        "stop.onConvergence=false");
    int[] initiated = new int[10];
    int[] heard = new int[10];
    List<InteractionRecord> all = records(spec, 5);
    for (InteractionRecord r : all) {
      assertThat(r.initiator()).isNotEqualTo(r.responder());
      initiated[r.initiator()]++;
      heard[r.responder()]++;
    }
    assertThat(all).hasSize(20_000);
    for (int id = 0; id < 10; id++) {
      assertThat(initiated[id]).isBetween(1800, 2200);
      assertThat(heard[id]).isBetween(1800, 2200);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 11})
  void theRoundsSchedulePairsEachAgentAtMostOncePerMatching(int n) {
    ExperimentSpec spec = Specs.of("game.kind=binary-agreement", "population.size=" + n,
        "schedule.kind=rounds", "stop.maxRounds=200", "stop.onConvergence=false");
    List<InteractionRecord> all = records(spec, 9);
    int pairsPerMatching = n / 2;
    assertThat(all.size() % pairsPerMatching).isZero();
    Set<String> matchings = new HashSet<>();
    for (int start = 0; start < all.size(); start += pairsPerMatching) {
      Set<Integer> agents = new HashSet<>();
      StringBuilder key = new StringBuilder();
      for (InteractionRecord r : all.subList(start, start + pairsPerMatching)) {
        assertThat(agents.add(r.initiator())).isTrue();
        assertThat(agents.add(r.responder())).isTrue();
        key.append(r.initiator()).append('-').append(r.responder()).append(' ');
      }
      assertThat(agents).hasSize(2 * pairsPerMatching);
      matchings.add(key.toString());
    }
    // Each matching is freshly drawn.
    assertThat(matchings.size()).isGreaterThan(all.size() / pairsPerMatching * 9 / 10);
  }

  @Test
  void recordsReportTheAgentsStatesAfterEachInteraction() {
    ExperimentSpec spec = spec(2, "sequential");
    PlainLoop loop = new PlainLoop(new StudyPlan(spec, 4));
    int[] size = new int[64];
    int[] sole = new int[64];
    Arrays.fill(sole, -1);
    loop.run(r -> {
      size[r.initiator()] = r.initiatorInventory();
      size[r.responder()] = r.responderInventory();
      sole[r.initiator()] = r.initiatorSole();
      sole[r.responder()] = r.responderSole();
    }, null);
    for (int id = 0; id < 64; id++) {
      Mind mind = loop.mind(id);
      assertThat(mind.inventorySize()).isEqualTo(size[id]);
      assertThat(mind.soleWord()).isEqualTo(sole[id]);
    }
  }

  @Test
  void aReplayOfTheRecordsThroughAFreshObserverGivesTheSameOutcome() {
    ExperimentSpec spec = spec(3, "sequential");
    StudyPlan plan = new StudyPlan(spec, 12);
    List<InteractionRecord> seen = new ArrayList<>();
    PopulationObserver live = new PlainLoop(plan).run(seen::add, null);
    PopulationObserver replay = new PopulationObserver(plan);
    seen.forEach(replay::accept);
    assertThat(replay.stopReason()).isEqualTo(live.stopReason());
    assertThat(replay.flipped()).isEqualTo(live.flipped());
    assertThat(replay.flipRound()).isEqualTo(live.flipRound());
    assertThat(replay.lastRow()).isEqualTo(live.lastRow());
  }

  @Test
  void theContinuousScheduleHasNoPlainLoop() {
    StudyPlan plan = new StudyPlan(Specs.of("schedule.kind=continuous"), 1);
    assertThat(plan.deterministic()).isFalse();
    assertThat(plan.newSchedule()).isNull();
    assertThatThrownBy(() -> new PlainLoop(plan)).isInstanceOf(IllegalArgumentException.class);
  }
}
