package dev.norma.agents.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.study.StudyPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both deterministic schedules keep to the network's edges; rounds draws maximal matchings. */
class NetworkSchedulesTest {
  private static boolean adjacent(Topology graph, int a, int b) {
    for (int i = 0; i < graph.degree(a); i++) {
      if (graph.neighbour(a, i) == b) {
        return true;
      }
    }
    return false;
  }

  private static StudyPlan plan(String kind, String schedule) {
    return new StudyPlan(Specs.of("population.size=400", "topology.kind=" + kind, "schedule.kind=" + schedule), 5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring", "small-world", "scale-free", "lattice"})
  void theSequentialScheduleMeetsOnlyNeighbours(String kind) {
    StudyPlan plan = plan(kind, "sequential");
    Topology graph = plan.topology();
    PairSchedule schedule = plan.newSchedule();
    int[] initiated = new int[400];
    for (int i = 0; i < 100_000; i++) {
      long pair = schedule.next();
      int a = PairSchedule.initiator(pair);
      assertThat(adjacent(graph, a, PairSchedule.responder(pair))).isTrue();
      initiated[a]++;
    }
    // Initiators uniform: each about 250 times.
    assertThat(java.util.Arrays.stream(initiated).min().orElseThrow()).isGreaterThan(180);
    assertThat(java.util.Arrays.stream(initiated).max().orElseThrow()).isLessThan(320);
  }

  /**
   * Each matching is read back pair by pair: a matching ends where an agent would appear a second
   * time. Within one, pairs are edges, no agent is in two pairs, and no two unmatched agents are
   * neighbours (maximal).
   */
  @ParameterizedTest
  @ValueSource(strings = {"ring", "small-world", "scale-free", "lattice"})
  void theRoundsScheduleDrawsMaximalMatchingsAlongEdges(String kind) {
    StudyPlan plan = plan(kind, "rounds");
    Topology graph = plan.topology();
    PairSchedule schedule = plan.newSchedule();
    long pending = schedule.next();
    java.util.Set<String> matchings = new java.util.HashSet<>();
    for (int round = 0; round < 50; round++) {
      boolean[] matched = new boolean[400];
      StringBuilder pairs = new StringBuilder();
      long pair = pending;
      while (!matched[PairSchedule.initiator(pair)] && !matched[PairSchedule.responder(pair)]) {
        int a = PairSchedule.initiator(pair);
        int b = PairSchedule.responder(pair);
        assertThat(adjacent(graph, a, b)).isTrue();
        matched[a] = true;
        matched[b] = true;
        pairs.append(a).append('-').append(b).append(' ');
        pair = schedule.next();
      }
      pending = pair;
      for (int a = 0; a < 400; a++) {
        for (int i = 0; !matched[a] && i < graph.degree(a); i++) {
          assertThat(matched[graph.neighbour(a, i)]).as("%s: %d and %d both left out", kind, a,
              graph.neighbour(a, i)).isTrue();
        }
      }
      matchings.add(pairs.toString());
    }
    assertThat(matchings).as("a fresh matching each round").hasSize(50);
  }
}
