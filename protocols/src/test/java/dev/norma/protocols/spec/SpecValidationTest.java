package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ranges and cross-field rules: each bad value gives exactly one problem, named by its path. */
class SpecValidationTest {
  private static final String GAME_KINDS = "[naming, minimal-naming, binary-agreement]";
  private static final String TEN = "[Q, M, X, Y, F, J, P, R, C, D]";

  private static Arguments rejects(String expected, String... overrides) {
    return Arguments.of(String.join(" ", overrides), overrides, expected);
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        rejects("format: expected 1 (the only spec format this version reads), got 2", "format=2"),
        rejects("name: expected letters, digits, '.', '_' or '-', got 'my study'", "name=my study"),
        rejects("name: expected letters, digits, '.', '_' or '-', got 'runs/x'", "name=runs/x"),
        rejects("population.size: expected at least 2 agents, got 1", "population.size=1"),
        rejects("topology.kind: expected one of [complete, ring, small-world, scale-free, lattice, edges, rooms], got 'torus'",
            "topology.kind=torus"),
        rejects("game.kind: expected one of " + GAME_KINDS + ", got 'naming-game'", "game.kind=naming-game"),
        rejects("game.poolSize: expected 1..10000, got 0", "game.poolSize=0"),
        rejects("game.poolSize: expected 1..10000, got -1", "game.poolSize=-1"),
        rejects("game.poolSize: expected 1..10000, got 10001", "game.poolSize=10001"),
        rejects("game.poolSize: the naming game needs at least 2 names, got 1", "game.poolSize=1"),
        rejects("game.names: the naming game needs at least 2 names, got 1", "game.names=[Q]"),
        rejects("game.names[1]: expected a non-empty name without commas, quotes or newlines, got 'a,b'",
            "game.names=[Q, 'a,b']"),
        rejects("game.names[0]: expected a non-empty name without commas, quotes or newlines, got ' '",
            "game.names=[' ', M]"),
        rejects("game.names[1]: expected a non-empty name without commas, quotes or newlines, got 'say \"hi\"'",
            "game.names=[Q, 'say \"hi\"']"),
        rejects("game.names: expected exactly 2 names for binary-agreement's two states, got 3",
            "game.kind=binary-agreement", "game.names=[A, B, C]"),
        rejects("game.poolSize: expected 2 for binary-agreement's two states (A and B), got 5",
            "game.kind=binary-agreement", "game.poolSize=5"),
        rejects("game.memory: expected 1..1000 remembered interactions, got 0", "game.memory=0"),
        rejects("game.memory: expected 1..1000 remembered interactions, got 1001", "game.memory=1001"),
        rejects("game.payoff.success: expected a success payoff greater than the failure payoff (-50), got -50",
            "game.payoff.success=-50"),
        rejects("committed.count: expected 0..23 (fewer than population.size 24), got 24", "committed.count=24"),
        rejects("committed.count: expected 0..23 (fewer than population.size 24), got -1", "committed.count=-1"),
        rejects("committed.fraction: expected a fraction in [0, 1), got 1.0", "committed.fraction=1.0"),
        rejects("committed.fraction: expected a fraction in [0, 1), got -0.1", "committed.fraction=-0.1"),
        rejects("committed.fraction: expected fewer committed agents than population.size 24, but 0.99 of 24 rounds to 24",
            "committed.fraction=0.99"),
        rejects("committed.introduce: expected 'start', 'prepared' or 'atRound K' (K a whole number), got 'later'",
            "committed.introduce=later"),
        rejects("committed.introduce: expected 'atRound K' with K at most 1000000000, got 'atRound 99999999999999999999'",
            "committed.introduce=atRound 99999999999999999999"),
        rejects("policy.kind: expected one of [memory, rules, llm], got 'gpt'", "policy.kind=gpt"),
        rejects("policy.temperature: expected 0..100, got -0.1", "policy.temperature=-0.1"),
        rejects("policy.temperature: expected 0..100, got 100.5", "policy.temperature=100.5"),
        rejects("policy.bias.Z: expected a name of the game's pool " + TEN, "policy.bias.Z=2"),
        rejects("policy.bias.Q: expected a positive weight, got 0.0", "policy.bias.Q=0"),
        rejects("policy.bias.Q: expected a positive weight, got -1.0", "policy.bias.Q=-1"),
        rejects("schedule.kind: expected one of [sequential, rounds, continuous], got 'random'", "schedule.kind=random"),
        rejects("schedule.inFlight: expected 1..1000000 interactions in flight, got 0", "schedule.inFlight=0"),
        rejects("schedule.inFlight: expected 1..1000000 interactions in flight, got 1000001", "schedule.inFlight=1000001"),
        rejects("stop.maxRounds: expected 1..1000000000 population rounds, got 0", "stop.maxRounds=0"),
        rejects("stop.maxRounds: expected 1..1000000000 population rounds, got 1000000001", "stop.maxRounds=1000000001"),
        rejects("stop.convergenceWindowRounds: expected 1..1000, got 0", "stop.convergenceWindowRounds=0"),
        rejects("stop.convergenceWindowRounds: expected 1..1000, got 1001", "stop.convergenceWindowRounds=1001"),
        rejects("stop.flipThreshold: expected a share in (0, 1], got 0.0", "stop.flipThreshold=0"),
        rejects("stop.flipThreshold: expected a share in (0, 1], got 1.5", "stop.flipThreshold=1.5"),
        rejects("stop.flipWindowRounds: expected 1..1000, got 1001", "stop.flipWindowRounds=1001", "stop.flipWithinRounds=2000"),
        rejects("stop.flipWindowRounds: expected 1..1000, got 0", "stop.flipWindowRounds=0"),
        rejects("output.dir: expected a directory path, got an empty string", "output.dir=''"),
        rejects("durability: expected one of [none, durable], got 'journal'", "durability=journal"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfRange")
  void anOutOfRangeValueIsOneProblemNamingItsPathAndRange(String label, String[] overrides, String expected) {
    assertThat(problems("", overrides)).containsExactly(expected);
  }

  static Stream<Arguments> crossFieldRules() {
    return Stream.of(
        rejects("committed.count: give either count or fraction, not both (on the command line a --set of one alone"
            + " replaces the other; or clear one with --set committed.fraction= or committed.count=)",
            "committed.count=3", "committed.fraction=0.1"),
        rejects("committed.name: expected one of the game's names " + TEN + ", got 'Z'",
            "committed.count=3", "committed.name=Z"),
        rejects("committed.majorityName: expected one of the game's names [A, B], got 'C'",
            "game.kind=binary-agreement", "committed.majorityName=C"),
        rejects("committed.majorityName: expected a majority name different from the committed name 'Q'",
            "committed.introduce=prepared", "committed.count=3", "committed.name=Q", "committed.majorityName=Q"),
        rejects("committed.majorityName: expected a majority name different from the committed name 'M'",
            "committed.introduce=prepared", "committed.name=M", "committed.majorityName=M"),
        rejects("committed.name: expected the committed name: minimal-naming without a name pool invents its"
            + " words, so there is no pool to take it from",
            "game.kind=minimal-naming", "committed.count=3"),
        rejects("committed.majorityName: expected the majority name for a prepared population: minimal-naming"
            + " without a name pool invents its words, so there is no pool to take it from",
            "game.kind=minimal-naming", "committed.introduce=prepared", "committed.count=3", "committed.name=A"),
        rejects("committed.name: expected a non-empty name without commas, quotes or newlines, got 'A,B'",
            "game.kind=minimal-naming", "committed.count=3", "committed.name='A,B'"),
        rejects("policy.kind: the memory policy plays the naming game only; use 'rules' for minimal-naming",
            "game.kind=minimal-naming", "policy.kind=memory"),
        rejects("policy.kind: the memory policy plays the naming game only; use 'rules' for binary-agreement",
            "game.kind=binary-agreement", "policy.kind=memory"),
        rejects("policy.kind: the naming game has no rule-based update; use 'memory' or 'llm'", "policy.kind=rules"),
        rejects("policy.bias: expected no bias: it weighs names for the memory policy, and the rules policy has no use for it",
            "game.kind=binary-agreement", "policy.bias.A=2"),
        rejects("game.poolSize: give either names or poolSize, not both (on the command line a --set of one alone"
            + " replaces the other; or clear one with --set game.names= or game.poolSize=)", "game.names=[Q, M]", "game.poolSize=2"),
        rejects("game.names: expected distinct names, got [Q, M, Q]", "game.names=[Q, M, Q]"),
        rejects("game.payoff.success: expected a success payoff greater than the failure payoff (10), got 5",
            "game.payoff.success=5", "game.payoff.failure=10"),
        rejects("stop.flipWithinRounds: expected at least flipWindowRounds (5), got 4",
            "stop.flipWindowRounds=5", "stop.flipWithinRounds=4"),
        rejects("committed.fraction: expected fewer committed agents than population.size 2, but 0.75 of 2 rounds to 2",
            "population.size=2", "committed.fraction=0.75"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crossFieldRules")
  void aBrokenCrossFieldRuleIsOneProblemNamingTheField(String label, String[] overrides, String expected) {
    assertThat(problems("", overrides)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "population.size=2",
      "game.poolSize=2", "game.poolSize=10000",
      "game.memory=1", "game.memory=1000",
      "game.payoff.success=-49",
      "committed.count=0", "committed.count=23", "committed.fraction=0", "committed.fraction=0.97",
      "committed.introduce=atRound 1000000000",
      "policy.temperature=0", "policy.temperature=100", "policy.bias.Q=0.001",
      "schedule.inFlight=1", "schedule.inFlight=1000000",
      "stop.maxRounds=1", "stop.maxRounds=1000000000",
      "stop.convergenceWindowRounds=1", "stop.convergenceWindowRounds=1000",
      "stop.flipThreshold=1", "stop.flipThreshold=0.001",
      "stop.flipWindowRounds=1", "stop.flipWithinRounds=3",
      "name=a.B_c-1"})
  void theEdgesOfEachRangeAreAccepted(String override) {
    parse("", override);
  }

  @Test
  void namesAreCheckedAgainstTheNamesGiven() {
    ExperimentSpec spec = parse("", "game.names=[red, blue]", "committed.count=2", "committed.name=blue",
        "committed.introduce=prepared", "policy.bias.red=2");
    assertThat(spec.committed().resolvedMajorityName(spec.game().resolvedNames())).isEqualTo("red");
  }

  @Test
  void aGameThatInventsNamesTakesAnyCommittedAndMajorityName() {
    parse("", "game.kind=minimal-naming", "committed.count=3", "committed.name=new",
        "committed.introduce=prepared", "committed.majorityName=old");
  }

  @Test
  void anUnknownGameKindIsTheOnlyProblemReportedForTheSectionsThatDependOnIt() {
    // game.memory too: whether a game has a memory depends on the kind (a module's game reads its settings).
    assertThat(problems("", "game.kind=nameing", "game.memory=0", "committed.count=3", "committed.introduce=prepared",
        "committed.name=Z", "policy.kind=memory", "policy.bias.Z=2"))
        .containsExactly("game.kind: expected one of " + GAME_KINDS + ", got 'nameing'");
  }

  @Test
  void anUnknownGameKindStillLetsEveryIndependentProblemThrough() {
    assertThat(problems("", "game.kind=nameing", "committed.count=-1",
        "committed.fraction=0.1", "policy.kind=gpt", "policy.temperature=-1", "stop.maxRounds=0"))
        .containsExactly(
            "game.kind: expected one of " + GAME_KINDS + ", got 'nameing'",
            "committed.count: give either count or fraction, not both (on the command line a --set of one alone"
            + " replaces the other; or clear one with --set committed.fraction= or committed.count=)",
            "committed.count: expected 0..23 (fewer than population.size 24), got -1",
            "policy.kind: expected one of [memory, rules, llm], got 'gpt'",
            "policy.temperature: expected 0..100, got -1.0",
            "stop.maxRounds: expected 1..1000000000 population rounds, got 0");
  }

  @Test
  void anInvalidPoolSizeIsTheOnlyProblemReportedForNamesThatDependOnIt() {
    assertThat(problems("", "game.kind=minimal-naming", "game.poolSize=-3", "committed.count=2"))
        .containsExactly("game.poolSize: expected 1..10000, got -3");
    assertThat(problems("", "game.poolSize=2000000000", "committed.name=Z", "committed.count=1"))
        .containsExactly("game.poolSize: expected 1..10000, got 2000000000");
  }

  @Test
  void anInvalidPopulationSizeDoesNotBoundTheCommittedCount() {
    assertThat(problems("", "population.size=0", "committed.count=5"))
        .containsExactly("population.size: expected at least 2 agents, got 0");
  }

  @Test
  void everyProblemIsReportedTogetherInSpecOrder() {
    List<String> problems = problems("""
        name: my study
        population:
          size: 1
        game:
          memory: 0
          payoff: {success: 0, failure: 0}
        policy:
          temperature: -1
        schedule:
          kind: random
        stop:
          maxRounds: 0
          flipThreshold: 2
        output:
          dir: ''
        """);
    assertThat(problems).containsExactly(
        "name: expected letters, digits, '.', '_' or '-', got 'my study'",
        "population.size: expected at least 2 agents, got 1",
        "game.memory: expected 1..1000 remembered interactions, got 0",
        "game.payoff.success: expected a success payoff greater than the failure payoff (0), got 0",
        "policy.temperature: expected 0..100, got -1.0",
        "schedule.kind: expected one of [sequential, rounds, continuous], got 'random'",
        "stop.maxRounds: expected 1..1000000000 population rounds, got 0",
        "stop.flipThreshold: expected a share in (0, 1], got 2.0",
        "output.dir: expected a directory path, got an empty string");
  }

  @Test
  void tooManyNamesAreRejected() {
    List<String> many = new ArrayList<>(GameSpec.generatedNames(GameSpec.MAX_NAMES + 1));
    assertThat(problems("game:\n  names: [" + String.join(", ", many) + "]\n"))
        .containsExactly("game.names: expected at most 10000 names, got 10001");
  }

  @Test
  void validationOfARecordBuiltInCodeNamesTheSameFields() {
    ExperimentSpec spec = ExperimentSpec.defaults()
        .withOutput(new OutputSpec("", true));
    SpecErrors errors = new SpecErrors();
    spec.validate(errors);
    assertThat(errors.messages()).containsExactly("output.dir: expected a directory path, got an empty string");
  }

  @Test
  void notANumberIsOutOfEveryRange() {
    SpecErrors errors = new SpecErrors();
    new ExperimentSpec(null, null, null, null, null, null,
        new CommittedSpec(null, Double.NaN, null, null, null),
        new PolicySpec(null, Double.NaN, null), null,
        new StopSpec(null, null, null, Double.NaN, null, null, null), null, null, null).validate(errors);
    assertThat(errors.messages()).containsExactly(
        "committed.fraction: expected a fraction in [0, 1), got NaN",
        "policy.temperature: expected 0..100, got NaN",
        "stop.flipThreshold: expected a share in (0, 1], got NaN");
  }
}
