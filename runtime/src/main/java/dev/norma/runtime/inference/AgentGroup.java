package dev.norma.runtime.inference;

import java.util.Set;

/**
 * The language-model settings of a group of agents ({@code population.groups}): its requests are
 * sent with its own sampling parameters, only to its endpoints, with its persona before the game's
 * system text. Its name goes into each call line of the journal and tags the group meters.
 *
 * @param name      the group's name
 * @param params    its sampling parameters (the policy's where the group sets none)
 * @param endpoints the names of the endpoints that answer it; null: every endpoint
 * @param persona   text put before the system text of its prompts, or null
 */
public record AgentGroup(String name, SamplingParams params, Set<String> endpoints, String persona) {
  public AgentGroup {
    endpoints = endpoints == null ? null : Set.copyOf(endpoints);
  }

  /** Whether endpoint {@code name} may answer the group. */
  public boolean answeredBy(String endpoint) {
    return endpoints == null || endpoints.contains(endpoint);
  }
}
