package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code population.groups}: what a group may say, each mistake reported at its path, and the spec.yaml round trip. */
class PopulationGroupsTest {
  private static final String LLM = """
      population: {size: 20}
      policy: {kind: llm}
      inference:
        endpoints:
          - {name: small, url: 'http://127.0.0.1:8000/v1', model: a}
          - {name: large, url: 'http://127.0.0.1:8001/v1', model: b}
      """;

  @Test
  void groupsByIdsCountAndFractionBindAndComeBackFromSpecYaml() throws Exception {
    ExperimentSpec spec = Specs.parse(LLM, "population.groups=[{name: big, ids: 0-4, endpoints: [large],"
        + " persona: 'You are patient.', temperature: 0.3}, {name: some, count: 3, topK: 5},"
        + " {name: share, fraction: 0.25, maxTokens: 64, topP: 0.9}]");

    assertThat(spec.population().groups()).hasSize(3);
    GroupSpec big = spec.population().groups().get(0);
    assertThat(big.idRange()).containsExactly(0, 4);
    assertThat(big.size(20)).isEqualTo(5);
    assertThat(spec.population().groups().get(2).size(20)).isEqualTo(5);
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec), java.util.List.of())).isEqualTo(spec);
    assertThat(SpecLoader.toYaml(Specs.parse(LLM))).doesNotContain("groups");
  }

  @Test
  void oneIdMayBeWrittenAsANumber() {
    GroupSpec one = Specs.parse(LLM, "population.groups=[{name: one, ids: 7}]").population().groups().get(0);
    assertThat(one.idRange()).containsExactly(7, 7);
    assertThat(Specs.problems(LLM, "population.groups=[{name: one, ids: [1, 2]}]")).singleElement().asString()
        .startsWith("population.groups[0].ids: ");
  }

  @Test
  void eachMistakeIsReportedAtItsPath() {
    assertThat(Specs.problems(LLM, "population.groups=[{name: a, ids: 0-4, count: 2}, {name: a, ids: 4-25},"
        + " {name: 'b c', fraction: 1.5, endpoints: [huge]}, {name: d, count: 0, temperature: 3, persona: ' '}]"))
        .containsExactlyInAnyOrder(
            "population.groups[0].ids: expected exactly one of ids, count and fraction, got 2",
            "population.groups[1].ids: expected ids from 0 to 19, the first no larger than the last, got '4-25'",
            "population.groups[1].name: expected a name no other group has, got 'a' again",
            "population.groups[2].name: expected a name of letters, digits, '_', '.' or '-' (at most 64, not"
                + " starting with '_', '.' or '-'), got 'b c'",
            "population.groups[2].fraction: expected a share in (0, 1], got 1.5",
            "population.groups[2].endpoints[0]: expected a name of inference.endpoints [small, large], got 'huge'",
            "population.groups[3].count: expected 1..20 agents, got 0",
            "population.groups[3].persona: expected a text, or no persona field",
            "population.groups[3].temperature: expected 0..2, got 3.0");
  }

  @Test
  void idRangesMustBeApartAndTheGroupsMustFitThePopulation() {
    assertThat(Specs.problems(LLM, "population.groups=[{name: a, ids: 0-9}, {name: b, ids: 9-12}]"))
        .containsExactly("population.groups[1].ids: agent 9 is in an earlier group's ids already");
    assertThat(Specs.problems(LLM, "population.groups=[{name: a, ids: 0-9}, {name: b, fraction: 0.6}]"))
        .containsExactly("population.groups: the groups take 22 agents, more than the population's 20");
  }

  @Test
  void groupsAreForLanguageModelAgentsOnly() {
    assertThat(Specs.problems("population: {size: 20}", "population.groups=[{name: a, count: 2}]"))
        .containsExactly("population.groups: groups give language-model agents endpoints, sampling and personas"
            + " of their own; expected policy.kind 'llm', got 'memory'");
  }
}
