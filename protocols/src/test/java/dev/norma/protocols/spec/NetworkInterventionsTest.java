package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code removeAgents} and {@code rewire}: they bind, write back, and each bad field is named. */
class NetworkInterventionsTest {
  private static final String NAMING = """
      population: {size: 100}
      game: {names: [A, B]}
      committed: {count: 10}
      interventions:
      """;

  @TempDir
  Path temp;

  @Test
  void bindsAndWritesBack() {
    ExperimentSpec spec = parse(NAMING + """
          - {at: {round: 5}, action: removeAgents, fraction: 0.2, committed: false}
          - {at: {round: 6}, action: removeAgents, count: 3, name: A}
          - {at: {round: 8}, action: rewire, topology: {kind: small-world, k: 6, p: 0.2}}
          - {at: {round: 9}, action: rewire, p: 0.3}
        """);
    assertThat(spec.interventions().get(0).committed()).isFalse();
    assertThat(spec.interventions().get(2).topology()).isEqualTo(new TopologySpec("small-world", 6, 0.2, null, null,
        null, null, null, null));
    assertThat(spec.interventions().get(3).p()).isEqualTo(0.3);
    assertThat(parse(SpecLoader.toYaml(spec.resolved())).interventions()).isEqualTo(spec.interventions());
  }

  @Test
  void namesEachBadFieldByItsPath() {
    assertThat(problems(NAMING + """
          - {at: {round: 1}, action: removeAgents}
          - {at: {round: 1}, action: removeAgents, count: 11, committed: true}
          - {at: {round: 1}, action: removeAgents, fraction: 0, name: C}
          - {at: {round: 1}, action: removeAgents, count: 2, committed: false, name: A}
          - {at: {round: 2}, action: rewire}
          - {at: {round: 2}, action: rewire, p: 0.1}
          - {at: {round: 2}, action: rewire, topology: {kind: ring, k: 3}, count: 4}
          - {at: {round: 2}, action: rewire, topology: {kind: ring}, p: 0.1}
          - {at: {round: 2}, action: commit, count: 1, committed: true, p: 0.2, topology: {kind: ring}}
        """)).containsExactlyInAnyOrder(
        "interventions[0].count: expected count or fraction: how many agents leave",
        "interventions[1].count: expected at most the 10 committed agents present at that moment, got 11",
        "interventions[2].fraction: expected a fraction in (0, 1], got 0.0",
        "interventions[2].name: expected one of the game's names [A, B], got 'C'",
        "interventions[3].name: names the committed agents to remove: not with committed: false",
        "interventions[4].topology: expected the new network, topology: {kind: ...} as for the spec's topology, or"
            + " p: the probability with which each link of the current network is rewired",
        "interventions[5].p: the network in force then is complete: every pair is linked already, so rewiring"
            + " changes nothing; give topology: {kind: ...} for a new network",
        "interventions[6].count: does not apply to action rewire: it changes the network, not the agents",
        "interventions[6].topology.k: expected an even number of neighbours from 2 to 99 (below population.size"
            + " 100), got 3",
        "interventions[7].p: give either topology (a new network) or p (rewire the current one), not both",
        "interventions[8].committed: applies only to action removeAgents",
        "interventions[8].topology: applies only to action rewire",
        "interventions[8].p: applies only to action rewire");
  }

  @Test
  void keepsTwoAgentsAndCountsThoseLeftForLaterInterventions() {
    assertThat(problems(NAMING + "  - {at: {round: 1}, action: removeAgents, count: 99}\n")).containsExactly(
        "interventions[0].count: leaves 1 of the 100 agents present at that moment: at least 2 must stay to meet");
    assertThat(problems(NAMING + """
          - {at: {round: 1}, action: removeAgents, fraction: 0.5}
          - {at: {round: 2}, action: removeAgents, fraction: 0.97}
        """)).containsExactly(
        "interventions[1].fraction: leaves 1 of the 50 agents present at that moment: at least 2 must stay to meet");
    // 4 of the 10 committed left: 6 remain to uncommit; 50 left, so 44 uncommitted remain to commit.
    assertThat(problems(NAMING + """
          - {at: {round: 1}, action: removeAgents, count: 4, committed: true}
          - {at: {round: 1}, action: removeAgents, count: 46, committed: false}
          - {at: {round: 2}, action: uncommit, count: 7}
          - {at: {round: 3}, action: commit, count: 45}
        """)).containsExactly(
        "interventions[2].count: expected at most the 6 committed agents at that moment, got 7",
        "interventions[3].count: expected at most the 44 uncommitted agents at that moment, got 45");
  }

  @Test
  void rewiringTheCurrentNetworkNeedsOneThatIsNotComplete() {
    parse(NAMING + "  - {at: {round: 2}, action: rewire, p: 0.1}\n", "topology.kind=ring");
    parse(NAMING + """
          - {at: {round: 2}, action: rewire, topology: {kind: lattice}}
          - {at: {round: 3}, action: rewire, p: 0.1}
        """);
  }

  @Test
  void roomsTakeNoRemovalNorRewireAndNoRewireSeatsRooms() {
    assertThat(problems(NAMING + """
          - {at: {round: 1}, action: removeAgents, count: 3}
          - {at: {round: 2}, action: rewire, p: 0.1}
        """, "topology.kind=rooms")).containsExactly(
        "interventions[0].action: 'removeAgents' is not available with topology.kind 'rooms' (yet): the rooms are"
            + " seated afresh every period, and an agent who left or a new network would leave them uneven",
        "interventions[1].action: 'rewire' is not available with topology.kind 'rooms' (yet): the rooms are"
            + " seated afresh every period, and an agent who left or a new network would leave them uneven");
    assertThat(problems(NAMING + "  - {at: {round: 2}, action: rewire, topology: {kind: rooms, size: 10}}\n"))
        .containsExactly("interventions[0].topology.kind: a rewire cannot seat the population in rooms (yet): give"
            + " the spec's own topology: {kind: rooms} from the start");
  }

  @Test
  void refusesTheContinuousScheduleAndReadsEdgeFilesBesideTheSpec() throws Exception {
    assertThat(problems(NAMING + "  - {at: {round: 1}, action: removeAgents, count: 3}\n",
        "schedule.kind=continuous")).containsExactly("interventions[0].action: 'removeAgents' needs schedule.kind"
        + " 'sequential' or 'rounds': the continuous schedule pairs whichever agents are free, as they become free");
    Files.writeString(temp.resolve("pairs.txt"), String.join("\n", java.util.stream.IntStream.range(0, 100)
        .mapToObj(a -> a + " " + (a + 1) % 100).toList()));
    Path specFile = temp.resolve("spec.yaml");
    Files.writeString(specFile, "name: edges\n" + NAMING
        + "  - {at: {round: 2}, action: rewire, topology: {kind: edges, file: pairs.txt}}\n");
    ExperimentSpec spec = SpecLoader.load(specFile, java.util.List.of());
    assertThat(Path.of(spec.interventions().get(0).topology().file())).isEqualTo(temp.resolve("pairs.txt"));
  }
}
