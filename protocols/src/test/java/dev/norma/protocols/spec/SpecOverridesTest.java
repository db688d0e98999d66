package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --set path=value}: applied to the parsed tree before binding, values read as YAML. */
class SpecOverridesTest {

  @Test
  void anOverrideCreatesTheGroupsOnItsPath() {
    ExperimentSpec spec = parse("", "game.payoff.failure=-10", "stop.flipThreshold=0.5");
    assertThat(spec.game().payoff().failure()).isEqualTo(-10);
    assertThat(spec.game().payoff().success()).isEqualTo(100);
    assertThat(spec.stop().flipThreshold()).isEqualTo(0.5);
  }

  @Test
  void anOverrideReplacesOneFieldAndKeepsItsSiblings() {
    ExperimentSpec spec = parse("game:\n  kind: naming\n  memory: 3\n  names: [Q, M]\n", "game.memory=4");
    assertThat(spec.game().memory()).isEqualTo(4);
    assertThat(spec.game().names()).containsExactly("Q", "M");
  }

  @Test
  void valuesAreReadAsYaml() {
    ExperimentSpec spec = parse("",
        "population.size=1000",
        "seed=12345678901234",
        "policy.temperature=0.5",
        "output.interactions=false",
        "game.names=[Q, M, X]",
        "policy.bias={Q: 2, M: 0.5}",
        "committed.introduce=atRound 5",
        "committed.count=2",
        "name='on'");
    assertThat(spec.population().size()).isEqualTo(1000);
    assertThat(spec.seed()).isEqualTo(12345678901234L);
    assertThat(spec.policy().temperature()).isEqualTo(0.5);
    assertThat(spec.output().interactions()).isFalse();
    assertThat(spec.game().names()).containsExactly("Q", "M", "X");
    assertThat(spec.policy().bias()).containsEntry("Q", 2.0).containsEntry("M", 0.5);
    assertThat(spec.committed().introductionRound()).isEqualTo(5);
    assertThat(spec.name()).isEqualTo("on");
  }

  @Test
  void aWholeGroupCanBeSetAtOnce() {
    assertThat(parse("", "game={kind: binary-agreement}").game().kind()).isEqualTo(GameSpec.BINARY_AGREEMENT);
  }

  @Test
  void theLastOverrideOfAPathWins() {
    assertThat(parse("population: {size: 10}", "population.size=20", "population.size=30")
        .population().size()).isEqualTo(30);
  }

  @Test
  void anEmptyValueRestoresTheDefault() {
    assertThat(parse("population: {size: 10}", "population.size=").population().size()).isEqualTo(24);
  }

  @Test
  void spacesAroundThePathAreIgnoredAndTheValueIsYaml() {
    assertThat(parse("", " population.size = 48").population().size()).isEqualTo(48);
  }

  @Test
  void anOverrideIsBoundAndValidatedLikeTheFile() {
    assertThat(problems("", "population.size=many"))
        .containsExactly("population.size: expected a whole number, got the text 'many'");
    assertThat(problems("", "game.names=Q,M"))
        .containsExactly("game.names: expected a list, got the text 'Q,M'");
    assertThat(problems("", "population.size=1"))
        .containsExactly("population.size: expected at least 2 agents, got 1");
    assertThat(problems("", "populaton.size=48"))
        .containsExactly("populaton: unknown field (known fields: committed, durability, format, game, inference, "
            + "interventions, name, output, policy, population, schedule, seed, stop, topology)");
  }

  @Test
  void anOverrideBelowAScalarNamesTheOverride() {
    assertThat(problems("population: 24\n", "population.size=48"))
        .containsExactly("--set population.size: population is a value, not a group of fields");
    assertThat(problems("", "game.kind.name=x"))
        .as("a field left to its default is a value too")
        .containsExactly("--set game.kind.name: game.kind is a value, not a group of fields");
    assertThat(problems("", "policy.bias.Q.weight=2"))
        .containsExactly("--set policy.bias.Q.weight: policy.bias.Q is a value, not a group of fields");
  }

  @Test
  void anOverrideWithoutAnEqualsSignIsRejected() {
    assertThat(problems("", "population.size"))
        .containsExactly("--set population.size: expected path=value, e.g. population.size=1000");
    assertThat(problems("", "=48"))
        .containsExactly("--set =48: expected path=value, e.g. population.size=1000");
  }

  @Test
  void anOverrideWithAnEmptyPathSegmentIsRejected() {
    assertThat(problems("", "population..size=48"))
        .containsExactly("--set population..size=48: empty path segment, expected e.g. population.size=1000");
    assertThat(problems("", "population.=48"))
        .containsExactly("--set population.=48: empty path segment, expected e.g. population.size=1000");
  }

  @Test
  void anUnreadableValueIsRejected() {
    assertThat(problems("", "game.names=[Q, M"))
        .containsExactly("--set game.names: cannot read value '[Q, M' as YAML at line 1, column 6: "
            + "expected ',' or ']', but got <stream end> (while parsing a flow sequence from line 1, column 1)");
  }

  @Test
  void everyBadOverrideIsReportedTogether() {
    assertThat(problems("", "population.size", "game.names=[Q", "name.x=1")).containsExactly(
        "--set population.size: expected path=value, e.g. population.size=1000",
        "--set game.names: cannot read value '[Q' as YAML at line 1, column 3: expected ',' or ']', "
            + "but got <stream end> (while parsing a flow sequence from line 1, column 1)",
        "--set name.x: name is a value, not a group of fields");
  }

  private static final String TWO_ENDPOINTS = """
      policy: {kind: llm}
      inference:
        endpoints:
          - {name: a, url: 'http://127.0.0.1:8000/v1', model: m}
          - {name: b, url: 'http://127.0.0.1:8001/v1', model: m}
      """;

  @Test
  void anElementOfAListIsReachedByIndexInBracketsOrAsAPathSegment() {
    ExperimentSpec spec = parse(TWO_ENDPOINTS, "inference.endpoints[1].url=http://gpu-2:8000/v1",
        "inference.endpoints.0.model=served");
    assertThat(spec.inference().endpoints().get(1).url()).isEqualTo("http://gpu-2:8000/v1");
    assertThat(spec.inference().endpoints().get(1).name()).as("its siblings stay").isEqualTo("b");
    assertThat(spec.inference().endpoints().get(0).model()).isEqualTo("served");
    assertThat(spec.inference().endpoints().get(0).url()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(parse("game: {names: [Q, M, X]}", "game.names[2]=Z", "game.names.0=P").game().names())
        .containsExactly("P", "M", "Z");
  }

  @Test
  void aNumberIsAKeyInAMapAndAnIndexOnlyInAList() {
    assertThat(parse("game: {names: ['1', '2']}\npolicy: {kind: memory}", "policy.bias.1=2").policy().bias())
        .containsEntry("1", 2.0);
  }

  @Test
  void anIndexOutOfRangeNamesThePathAndTheEntriesThereAre() {
    assertThat(problems(TWO_ENDPOINTS, "inference.endpoints[2].url=http://x/v1")).containsExactly(
        "--set inference.endpoints[2].url: inference.endpoints has 2 entries (indices 0..1), so there is no "
            + "inference.endpoints[2]; set the whole list to add one, e.g. inference.endpoints=[{...}, {...}]");
    assertThat(problems("", "inference.endpoints.0.url=http://x/v1")).containsExactly(
        "--set inference.endpoints.0.url: inference.endpoints has no entries, so there is no "
            + "inference.endpoints[0]; set the whole list to add one, e.g. inference.endpoints=[{...}, {...}]");
  }

  @Test
  void anIndexWhereThereIsNoListAndAListWithoutIndexAreRejected() {
    assertThat(problems("", "population[0].size=3"))
        .containsExactly("--set population[0].size: population is not a list");
    assertThat(problems(TWO_ENDPOINTS, "inference.endpoints.url=http://x/v1")).containsExactly(
        "--set inference.endpoints.url: inference.endpoints is a list; give an element's index, "
            + "e.g. inference.endpoints[0]");
    assertThat(problems("", "inference.endpoints[x].url=1")).containsExactly(
        "--set inference.endpoints[x].url=1: expected an index in brackets after a field, "
            + "e.g. inference.endpoints[0].url=...");
    assertThat(problems(TWO_ENDPOINTS, "inference.endpoints[0].name.first=x"))
        .containsExactly("--set inference.endpoints[0].name.first: inference.endpoints[0].name is a value, "
            + "not a group of fields");
  }

  @Test
  void anElementOfAListIsBoundAndValidatedWithItsIndexedPath() {
    assertThat(problems(TWO_ENDPOINTS, "inference.endpoints[1].maxInFlight=many"))
        .containsExactly("inference.endpoints[1].maxInFlight: expected a whole number, got the text 'many'");
  }

  @Test
  void settingOneOfTwoAlternativesClearsTheOtherTheFileGives() {
    ExperimentSpec spec = parse("committed: {fraction: 0.25}", "committed.count=6");
    assertThat(spec.committed().count()).isEqualTo(6);
    assertThat(spec.committed().fraction()).isNull();
    spec = parse("committed: {count: 6}", "committed.fraction=0.5");
    assertThat(spec.committed().count()).isNull();
    assertThat(spec.committedCount()).isEqualTo(12);
    spec = parse("game: {names: [Q, M]}", "game.poolSize=5");
    assertThat(spec.game().names()).isNull();
    assertThat(spec.game().poolSize()).isEqualTo(5);
    assertThat(parse("committed: {fraction: 0.25}", "committed.count=").committed().fraction())
        .as("clearing one clears nothing else").isEqualTo(0.25);
  }

  @Test
  void bothAlternativesInTheFileOrBothByOverridesStayAnError() {
    String clash = "committed.count: give either count or fraction, not both (on the command line a --set of one"
        + " alone replaces the other; or clear one with --set committed.fraction= or committed.count=)";
    assertThat(problems("committed: {count: 6, fraction: 0.25}")).containsExactly(clash);
    assertThat(problems("committed: {count: 6, fraction: 0.25}", "population.size=48")).containsExactly(clash);
    assertThat(problems("", "committed.count=6", "committed.fraction=0.25")).containsExactly(clash);
  }
}
