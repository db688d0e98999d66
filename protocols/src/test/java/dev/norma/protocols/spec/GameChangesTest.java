package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code relabel}, {@code addNames} and {@code payoff}: bound, written back, checked against the pool of each moment. */
class GameChangesTest {
  private static final String NAMING = """
      population: {size: 50}
      game: {kind: naming, names: [Q, M, X], payoff: {success: 100, failure: -50}}
      """;

  private static String with(String items) {
    return NAMING + "interventions:\n" + items;
  }

  @Test
  void bindsEachChangeAndWritesItBack() {
    ExperimentSpec spec = parse(with("""
          - {at: {round: 5}, action: relabel, from: Q, to: M}
          - {at: {interaction: 400}, action: addNames, names: [K, L]}
          - {at: {round: 12}, action: payoff, success: 10, failure: -20}
        """));
    InterventionSpec relabel = spec.interventions().get(0);
    assertThat(relabel.from()).isEqualTo("Q");
    assertThat(relabel.to()).isEqualTo("M");
    assertThat(spec.interventions().get(1).names()).containsExactly("K", "L");
    assertThat(spec.interventions().get(2).success()).isEqualTo(10);
    assertThat(spec.interventions().get(2).failure()).isEqualTo(-20);
    ExperimentSpec again = parse(SpecLoader.toYaml(spec.resolved()));
    assertThat(again.interventions()).isEqualTo(spec.interventions());
  }

  @Test
  void checksEachChangeAgainstThePoolAndPayoffOfItsMoment() {
    List<String> problems = problems(with("""
          - {at: {round: 1}, action: relabel, from: Z, to: M}
          - {at: {round: 2}, action: relabel, from: M, to: M}
          - {at: {round: 3}, action: relabel, from: Q, to: X}
          - {at: {round: 4}, action: relabel, from: M, to: X}
          - {at: {round: 5}, action: addNames, names: [Q, K, K, "a,b"]}
          - {at: {round: 6}, action: addNames}
          - {at: {round: 7}, action: payoff}
          - {at: {round: 8}, action: payoff, failure: 200}
          - {at: {round: 9}, action: payoff, success: 5, count: 3}
          - {at: {round: 9}, action: commit, count: 3, names: [K]}
        """));
    assertThat(problems).containsExactlyInAnyOrder(
        "interventions[0].from: expected a name of the pool at that moment [Q, M, X], got 'Z'",
        "interventions[1].to: expected a name other than from ('M')",
        "interventions[3].from: expected a pool of 3 or more names at that moment: relabelling 'M' would leave 1"
            + " of [M, X]",
        "interventions[4].names[0]: expected a new name: 'Q' is or was in the pool (or is listed twice)",
        "interventions[4].names[2]: expected a new name: 'K' is or was in the pool (or is listed twice)",
        "interventions[4].names[3]: expected a non-empty name without commas, quotes or newlines, got 'a,b'",
        "interventions[5].names: expected a list of one or more new names",
        "interventions[6].success: expected success or failure (or both): the payoffs from that moment on",
        "interventions[7].failure: expected a success payoff greater than the failure payoff at that moment,"
            + " got success 100 and failure 200",
        "interventions[8].count: not a field of action 'payoff'",
        "interventions[9].names: not a field of action 'commit'");
  }

  @Test
  void refusesChangesOfTheGameForGamesWithoutAPoolOrPayoff() {
    String minimal = """
        population: {size: 50}
        game: {kind: minimal-naming}
        interventions:
          - {at: {round: 5}, action: addNames, names: [K]}
        """;
    assertThat(problems(minimal)).containsExactly("interventions[0].action: 'addNames' changes the naming game's"
        + " name pool or payoff: it applies to game.kind 'naming', not 'minimal-naming'");
  }
}
