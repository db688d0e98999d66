package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and binding: what is not a spec at all, unknown fields and values of the wrong kind. */
class SpecBindingTest {
  private static final String TOP_LEVEL_FIELDS =
      "committed, durability, format, game, inference, interventions, name, output, policy, population, schedule, seed, stop, topology";

  @Test
  void anUnknownTopLevelFieldIsNamedWithTheKnownOnes() {
    assertThat(problems("populaton:\n  size: 10\n"))
        .containsExactly("populaton: unknown field (known fields: " + TOP_LEVEL_FIELDS + ")");
  }

  @Test
  void anUnknownNestedFieldIsNamedByItsPath() {
    assertThat(problems("game:\n  memroy: 3\n"))
        .containsExactly("game.memroy: unknown field (known fields: kind, memory, names, payoff, poolSize, settings)");
    assertThat(problems("game:\n  payoff:\n    bonus: 1\n"))
        .containsExactly("game.payoff.bonus: unknown field (known fields: failure, success)");
  }

  @Test
  void everyUnknownFieldIsReportedInFileOrderBeforeTheFirstWrongType() {
    assertThat(problems("""
        seeed: 3
        stop:
          maxRound: 10
        population:
          size: many
        output:
          interaction: false
        """)).containsExactly(
            "seeed: unknown field (known fields: " + TOP_LEVEL_FIELDS + ")",
            "stop.maxRound: unknown field (known fields: convergenceWindowRounds, flipThreshold, "
                + "flipWindowRounds, flipWithinRounds, maxRounds, onConvergence, onFlip)",
            "output.interaction: unknown field (known fields: dir, format, interactions)",
            "population.size: expected a whole number, got the text 'many'");
  }

  @Test
  void theNamesInABiasAreNotFields() {
    assertThat(parse("policy:\n  bias: {Q: 2, M: 0.5}\n").policy().bias()).containsOnlyKeys("Q", "M");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of("text for a whole number", "population:\n  size: twenty",
            "population.size: expected a whole number, got the text 'twenty'"),
        Arguments.of("quoted digits are text", "population:\n  size: '24'",
            "population.size: expected a whole number, got the text '24'"),
        Arguments.of("text for a number", "policy:\n  temperature: hot",
            "policy.temperature: expected a number, got the text 'hot'"),
        Arguments.of("number for text", "name: 3",
            "name: expected a text value, got 3"),
        Arguments.of("decimal for text", "game:\n  kind: 1.5",
            "game.kind: expected a text value, got 1.5"),
        Arguments.of("number for a name in a list", "game:\n  names: [Q, 7]",
            "game.names[1]: expected a text value, got 7"),
        Arguments.of("boolean for text", "name: true",
            "name: expected a text value, got true (quote it, 'true', to use the word as text)"),
        Arguments.of("float for an int", "game:\n  memory: 2.5",
            "game.memory: expected a whole number, got 2.5"),
        Arguments.of("a whole float is still a float", "population:\n  size: 24.0",
            "population.size: expected a whole number, got 24.0"),
        Arguments.of("float for a long", "seed: 1.5",
            "seed: expected a whole number, got 1.5"),
        Arguments.of("a number too large for its field", "population:\n  size: 99999999999",
            "population.size: expected a whole number from -2147483648 to 2147483647, got 99999999999"),
        Arguments.of("number for a boolean", "output:\n  interactions: 1",
            "output.interactions: expected true or false, got 1"),
        Arguments.of("a yes is a word, not a boolean", "stop:\n  onFlip: yes",
            "stop.onFlip: expected true or false, got the text 'yes'"),
        Arguments.of("list for a map", "policy:\n  bias: [Q, M]",
            "policy.bias: expected a group of fields, got a list"),
        Arguments.of("list for a group of fields", "game: [naming]",
            "game: expected a group of fields, got a list"),
        Arguments.of("number for a group of fields", "population: 24",
            "population: expected a group of fields, got 24"),
        Arguments.of("text for a list", "game:\n  names: Q M X",
            "game.names: expected a list, got the text 'Q M X'"),
        Arguments.of("map for a list", "game:\n  names: {Q: 1}",
            "game.names: expected a list, got a group of fields"),
        Arguments.of("list for text", "committed:\n  name: [Q]",
            "committed.name: expected a text value, got a list"),
        Arguments.of("text for a bias weight", "policy:\n  bias: {Q: heavy}",
            "policy.bias.Q: expected a number, got the text 'heavy'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void aValueOfTheWrongKindNamesItsPathWhatWasExpectedAndWhatCame(String what, String yaml, String expected) {
    assertThat(problems(yaml)).containsExactly(expected);
  }

  @Test
  void wordsThatOlderYamlReadsAsBooleansAreNames() {
    assertThat(parse("game:\n  names: [yes, no, on, off, Y, N]").game().names())
        .containsExactly("yes", "no", "on", "off", "Y", "N");
  }

  @Test
  void aNullNameOrWeightIsAFieldErrorNotACrash() {
    assertThat(problems("game:\n  names: [Q, ~, M]"))
        .containsExactly("game.names[1]: expected a non-empty name without commas, quotes or newlines, got null");
    assertThat(problems("policy:\n  bias: {Q: ~}"))
        .containsExactly("policy.bias.Q: expected a positive weight, got null");
  }

  @Test
  void aDuplicateKeyIsNamedByItsPathAndLine() {
    assertThat(problems("name: a\nname: b\n"))
        .containsExactly("name: duplicate key, given more than once (line 2)");
    assertThat(problems("game:\n  payoff:\n    success: 100\n    success: 10\n"))
        .containsExactly("game.payoff.success: duplicate key, given more than once (line 4)");
  }

  @Test
  void invalidYamlIsReportedOnOneLineWithWhereAndWhat() {
    assertThat(problems("population:\n  size: [24\n")).containsExactly(
        "spec: not valid YAML at line 3, column 1: expected ',' or ']', but got <stream end>"
            + " (while parsing a flow sequence from line 2, column 9)");
    assertThat(problems("game:\n\tkind: naming\n")).singleElement().asString()
        .startsWith("spec: not valid YAML at line 2, column 1: found character '\\t(TAB)'");
  }

  @Test
  void theTopLevelMustBeAMappingOfFields() {
    assertThat(problems("- population\n- game\n"))
        .containsExactly("spec: expected a mapping of fields at the top level, got a list");
    assertThat(problems("naming game"))
        .containsExactly("spec: expected a mapping of fields at the top level, got the text 'naming game'");
    assertThat(problems("24"))
        .containsExactly("spec: expected a mapping of fields at the top level, got 24");
  }

  @Test
  void anEmptyValueIsUnsetButAQuotedEmptyTextIsText() {
    assertThat(parse("population:\n  # size: 48\ngame:\n")).isEqualTo(ExperimentSpec.defaults());
    assertThat(problems("name: ''"))
        .containsExactly("name: expected letters, digits, '.', '_' or '-', got ''");
  }

  @Test
  void jsonIsYamlToo() {
    assertThat(parse("{\"population\": {\"size\": 48}, \"game\": {\"names\": [\"Q\", \"M\"]}}")
        .population().size()).isEqualTo(48);
  }

  @Test
  void loadReadsAFileAndAppliesOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, "name: tipping\npopulation:\n  size: 48\n");

    ExperimentSpec spec = SpecLoader.load(file, List.of("population.size=96"));

    assertThat(spec.name()).isEqualTo("tipping");
    assertThat(spec.population().size()).isEqualTo(96);
  }

  @Test
  void loadOfAnEmptyFileGivesTheDefaults(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("empty.yaml"), "");
    assertThat(SpecLoader.load(file, List.of())).isEqualTo(ExperimentSpec.defaults());
  }

  @Test
  void loadOfAMissingFileSaysSo(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-study.yaml");
    assertThatThrownBy(() -> SpecLoader.load(missing, List.of()))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems())
            .containsExactly("spec: file not found: " + missing));
  }

  @Test
  void loadOfADirectorySaysItCannotBeRead(@TempDir Path dir) {
    assertThatThrownBy(() -> SpecLoader.load(dir, List.of()))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("spec: cannot read " + dir));
  }

  @Test
  void loadNamesTheFileOfInvalidYamlAndOfADuplicateKey(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "game: {kind: naming\n");
    assertThatThrownBy(() -> SpecLoader.load(broken, List.of()))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
            "spec: " + broken + " is not valid YAML at line 2, column 1: expected ',' or '}', but got"
                + " <stream end> (while parsing a flow mapping from line 1, column 7)"));

    Path twice = Files.writeString(dir.resolve("twice.yaml"), "population:\n  size: 24\n  size: 48\n");
    assertThatThrownBy(() -> SpecLoader.load(twice, List.of()))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems())
            .containsExactly("population.size: duplicate key, given more than once (" + twice + ", line 3)"));
  }

  @Test
  void theExceptionMessageHasOneProblemPerLine() {
    SpecException e = new SpecException(List.of("population.size: a", "stop.maxRounds: b"));
    assertThat(e.getMessage()).isEqualTo("population.size: a\nstop.maxRounds: b");
    assertThat(e.problems()).containsExactly("population.size: a", "stop.maxRounds: b");
  }
}
