package dev.norma.protocols.spec;

import java.util.List;

/**
 * Checks the {@code endpoint} intervention: from its moment a seeded draw of {@code count} (or
 * {@code fraction} of, or all) the agents sends its language-model calls to the endpoint named
 * {@code endpoint}, or to the endpoints serving {@code model} (both: that endpoint, which must
 * serve that model). It needs {@code policy.kind: llm}.
 */
public final class EndpointChanges {
  private EndpointChanges() {
  }

  /**
   * Checks {@code item} if it is an {@code endpoint} intervention, else only that it sets neither
   * of its fields.
   *
   * @return whether it is an {@code endpoint} intervention
   */
  static boolean check(InterventionSpec item, SpecErrors errors, ExperimentSpec spec, int n) {
    if (!InterventionSpec.ENDPOINT.equals(item.action())) {
      for (String field : fieldsGiven(item)) {
        errors.add(field, "not a field of action '" + item.action() + "'");
      }
      return false;
    }
    if (item.name() != null) {
      errors.add("name", "not a field of action 'endpoint'");
    }
    String policy = spec.policy().resolvedKind(spec.game());
    if (!PolicySpec.LLM.equals(policy)) {
      errors.add("action", "'endpoint' switches language-model agents' endpoint or model: it needs policy.kind '"
          + PolicySpec.LLM + "', not '" + policy + "'");
      return true;
    }
    if (item.count() != null && item.fraction() != null) {
      errors.add("count", "give either count or fraction, not both");
    } else if (item.count() != null && (item.count() < 1 || (n >= 2 && item.count() > n))) {
      errors.add("count", "expected 1 to " + n + " agents, got " + item.count());
    } else if (item.fraction() != null && (item.fraction().isNaN() || item.fraction() <= 0 || item.fraction() > 1)) {
      errors.add("fraction", "expected a fraction in (0, 1], got " + item.fraction());
    }
    List<EndpointSpec> endpoints = spec.inference().endpoints().stream().filter(java.util.Objects::nonNull).toList();
    List<String> names = endpoints.stream().map(EndpointSpec::name).toList();
    List<String> models = endpoints.stream().map(EndpointSpec::model).distinct().toList();
    if (item.endpoint() == null && item.model() == null) {
      errors.add("endpoint", "expected endpoint (one of " + names + ") or model (one of " + models + "), or both");
    } else if (item.endpoint() != null && !names.contains(item.endpoint())) {
      errors.add("endpoint", "expected one of inference.endpoints " + names + ", got '" + item.endpoint() + "'");
    } else if (item.model() != null && !models.contains(item.model())) {
      errors.add("model", "expected a model of inference.endpoints " + models + ", got '" + item.model() + "'");
    } else if (item.endpoint() != null && item.model() != null
        && !item.model().equals(endpoints.get(names.indexOf(item.endpoint())).model())) {
      errors.add("model", "expected the model endpoint '" + item.endpoint() + "' serves ('"
          + endpoints.get(names.indexOf(item.endpoint())).model() + "'), got '" + item.model() + "'");
    }
    return true;
  }

  private static List<String> fieldsGiven(InterventionSpec item) {
    List<String> given = new java.util.ArrayList<>();
    if (item.endpoint() != null) {
      given.add("endpoint");
    }
    if (item.model() != null) {
      given.add("model");
    }
    return given;
  }

  /** The names of the endpoints an {@code endpoint} intervention of a valid spec sends calls to. */
  public static List<String> targets(InterventionSpec item, ExperimentSpec spec) {
    return spec.inference().endpoints().stream()
        .filter(e -> item.endpoint() == null || e.name().equals(item.endpoint()))
        .filter(e -> item.model() == null || e.model().equals(item.model()))
        .map(EndpointSpec::name).toList();
  }
}
