package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where language-model agents get their answers: the endpoints the node's inference gateway
 * spreads calls over, and the run's budget.
 *
 * @param endpoints OpenAI-compatible endpoints; at least one when {@code policy.kind} is
 *                  {@code llm}
 * @param budget    limits on calls, tokens and estimated cost
 */
public record InferenceSpec(List<EndpointSpec> endpoints, BudgetSpec budget) {

  public InferenceSpec {
    // Not List.copyOf: a null entry must reach validate() and be reported as endpoints[i].
    endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
    budget = budget == null ? new BudgetSpec(null, null, null) : budget;
  }

  public static InferenceSpec none() {
    return new InferenceSpec(null, null);
  }

  /** These endpoints as one of {@code nodes} cluster nodes uses them (see {@link EndpointSpec#sharedAmong}). */
  public InferenceSpec sharedAmong(int nodes) {
    return new InferenceSpec(endpoints.stream().map(endpoint -> endpoint.sharedAmong(nodes)).toList(), budget);
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointSpec endpoint = endpoints.get(i);
      if (endpoint == null) {
        errors.add("endpoints[" + i + "]", "expected an endpoint (name, url, model, ...), got nothing");
        continue;
      }
      endpoint.validate(errors.at("endpoints[" + i + "]"));
      if (endpoint.name() != null && !names.add(endpoint.name())) {
        errors.add("endpoints[" + i + "].name", "expected a name no other endpoint has, got '" + endpoint.name() + "' again");
      }
    }
    if (endpoints.isEmpty() && PolicySpec.LLM.equals(spec.policy().kind())) {
      errors.add("endpoints", "expected at least one endpoint: policy.kind llm asks a language model");
    }
    budget.validate(errors.at("budget"));
  }
}
