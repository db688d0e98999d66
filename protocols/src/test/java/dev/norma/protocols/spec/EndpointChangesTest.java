package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code endpoint}: bound, written back, and checked against {@code inference.endpoints}. */
class EndpointChangesTest {
  private static final String LLM = """
      population: {size: 20}
      policy: {kind: llm}
      inference:
        endpoints:
          - {name: small, url: 'http://127.0.0.1:9/v1', model: m-small}
          - {name: large, url: 'http://127.0.0.1:8/v1', model: m-large}
      interventions:
      """;

  @Test
  void bindsTheEndpointOrModelAndNamesTheEndpointsItSendsTo() {
    ExperimentSpec spec = parse(LLM + """
          - {at: {round: 3}, action: endpoint, fraction: 0.5, endpoint: large}
          - {at: {round: 4}, action: endpoint, count: 2, model: m-small}
        """);
    assertThat(EndpointChanges.targets(spec.interventions().get(0), spec)).containsExactly("large");
    assertThat(EndpointChanges.targets(spec.interventions().get(1), spec)).containsExactly("small");
    assertThat(parse(SpecLoader.toYaml(spec.resolved())).interventions()).isEqualTo(spec.interventions());
  }

  @Test
  void namesEachBadField() {
    assertThat(problems(LLM + """
          - {at: {round: 1}, action: endpoint}
          - {at: {round: 1}, action: endpoint, endpoint: huge}
          - {at: {round: 1}, action: endpoint, model: m-huge}
          - {at: {round: 1}, action: endpoint, endpoint: large, model: m-small}
          - {at: {round: 1}, action: endpoint, count: 21, endpoint: large}
          - {at: {round: 1}, action: endpoint, fraction: 0, endpoint: large, name: Q}
          - {at: {round: 1}, action: commit, count: 2, model: m-small}
        """)).containsExactlyInAnyOrder(
        "interventions[0].endpoint: expected endpoint (one of [small, large]) or model (one of [m-small, m-large]),"
            + " or both",
        "interventions[1].endpoint: expected one of inference.endpoints [small, large], got 'huge'",
        "interventions[2].model: expected a model of inference.endpoints [m-small, m-large], got 'm-huge'",
        "interventions[3].model: expected the model endpoint 'large' serves ('m-large'), got 'm-small'",
        "interventions[4].count: expected 1 to 20 agents, got 21",
        "interventions[5].fraction: expected a fraction in (0, 1], got 0.0",
        "interventions[5].name: not a field of action 'endpoint'",
        "interventions[6].model: not a field of action 'commit'");
    assertThat(problems("""
        population: {size: 20}
        interventions:
          - {at: {round: 1}, action: endpoint, endpoint: large}
        """)).containsExactly("interventions[0].action: 'endpoint' switches language-model agents' endpoint or"
        + " model: it needs policy.kind 'llm', not 'memory'");
  }
}
