package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code interventions:} binds, writes back, and every bad item is named by its path. */
class InterventionSpecTest {
  private static final String BINARY = """
      population: {size: 100}
      game: {kind: binary-agreement}
      committed: {count: 10}
      """;

  private static String with(String items) {
    return BINARY + "interventions:\n" + items;
  }

  @Test
  void bindsRoundsAndInteractionsToIndicesAndWritesBack() {
    ExperimentSpec spec = parse(with("""
          - {at: {round: 20}, action: commit, fraction: 0.15, name: A}
          - {at: {interaction: 2500}, action: uncommit, count: 5}
          - {at: {round: 60}, action: uncommit}
        """));
    assertThat(spec.interventions()).hasSize(3);
    assertThat(spec.interventions().get(0).index(100)).isEqualTo(2000);
    assertThat(spec.interventions().get(1).index(100)).isEqualTo(2500);
    assertThat(spec.interventions().get(2).resolveCount(7)).isEqualTo(7); // uncommit without count: all
    ExperimentSpec again = parse(SpecLoader.toYaml(spec.resolved()));
    assertThat(again.interventions()).isEqualTo(spec.interventions());
    assertThat(SpecLoader.toYaml(parse(BINARY))).doesNotContain("interventions");
    // The name a commit takes by default is written out in the recorded spec.
    assertThat(parse(with("  - {at: {round: 2}, action: commit, count: 3}\n")).resolved().interventions().get(0).name())
        .isEqualTo("A");
  }

  @Test
  void namesEachBadFieldByItsPath() {
    List<String> problems = problems(with("""
          - {at: {round: 20, interaction: 5}, action: commit, count: 3}
          - {at: {round: -1}, action: commit, count: 3}
          - {action: commit, count: 3}
          - {at: {interaction: 10}, action: commit}
          - {at: {round: 30}, action: commit, count: 3, fraction: 0.1}
          - {at: {round: 30}, action: commit, fraction: 1.5, name: C}
          - {at: {round: 30}, action: uncommit, count: 500}
          - {at: {round: 30}, action: teleport}
          - {at: {round: 31}}
        """));
    assertThat(problems).containsExactlyInAnyOrder(
        "interventions[0].at: give either round or interaction, not both",
        "interventions[1].at.round: expected a population round in 0..1000000000, got -1",
        "interventions[2].at: expected {round: K} or {interaction: I}",
        "interventions[3].count: expected count or fraction: how many agents to commit",
        "interventions[4].count: give either count or fraction, not both",
        "interventions[5].fraction: expected a fraction in (0, 1], got 1.5",
        "interventions[5].name: expected one of the game's names [A, B], got 'C'",
        "interventions[6].count: expected at most the 10 committed agents at that moment, got 500",
        "interventions[7].action: expected one of [commit, uncommit, removeAgents, rewire, relabel, addNames, payoff,"
            + " endpoint], got 'teleport'",
        "interventions[8].action: expected one of [commit, uncommit, removeAgents, rewire, relabel, addNames, payoff,"
            + " endpoint]");
  }

  @Test
  void countsTheAgentsCommittedAtEachMomentAndWantsTheListInOrder() {
    // 10 committed from the start, 90 not: committing 91 is too many, 90 is all of them.
    assertThat(problems(with("  - {at: {round: 1}, action: commit, count: 91}\n"))).containsExactly(
        "interventions[0].count: expected at most the 90 uncommitted agents at that moment, got 91");
    parse(with("  - {at: {round: 1}, action: commit, count: 90}\n"));
    // A minority that enters at round 10 is not yet committed at round 5: nobody to uncommit.
    assertThat(problems(with("  - {at: {round: 5}, action: uncommit, count: 1}\n"),
        "committed.introduce=atRound 10")).containsExactly(
        "interventions[0].count: expected at most the 0 committed agents at that moment, got 1");
    assertThat(problems(with("""
          - {at: {round: 9}, action: uncommit}
          - {at: {interaction: 800}, action: commit, count: 1}
        """))).containsExactly(
        "interventions[1].at: expected interventions in the order they apply: index 800 comes before the"
            + " previous intervention's 900");
  }

  @Test
  void refusesInterventionsInAGameThatInventsNamesWithoutAName() {
    assertThat(problems("""
        population: {size: 50}
        game: {kind: minimal-naming}
        interventions:
          - {at: {round: 3}, action: commit, count: 5}
        """)).containsExactly("interventions[0].name: expected the committed name: minimal-naming without a"
            + " name pool invents its words, so there is no pool to take it from");
  }
}
