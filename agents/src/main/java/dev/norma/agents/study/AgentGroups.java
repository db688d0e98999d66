package dev.norma.agents.study;

import dev.norma.agents.Streams;
import dev.norma.protocols.spec.GroupSpec;
import dev.norma.protocols.spec.PopulationSpec;
import java.util.List;

/**
 * Which group of {@code population.groups} each agent belongs to. Groups by id range take their
 * ids; then the groups by count or fraction, in the spec's order, take the agents they need from
 * the others, in an order shuffled by the run's seed ({@link Streams#GROUPS_STREAM}): so a seed
 * gives one assignment on every node, and a group's agents are spread over the id range, not
 * bunched at its start. Agents no group takes belong to none (-1): the policy's settings.
 */
public final class AgentGroups {
  /** The group of an agent that belongs to none. */
  public static final int NONE = -1;

  private AgentGroups() {
  }

  /**
   * Each agent's group, an index into {@code population.groups()}, or {@link #NONE}.
   *
   * @param population a valid spec's population
   */
  public static int[] assign(PopulationSpec population, long seed) {
    int size = population.size();
    int[] groupOf = new int[size];
    java.util.Arrays.fill(groupOf, NONE);
    List<GroupSpec> groups = population.groups();
    for (int g = 0; g < groups.size(); g++) {
      int[] range = groups.get(g).idRange();
      for (int id = range == null ? 0 : range[0]; range != null && id <= range[1]; id++) {
        groupOf[id] = g;
      }
    }
    int free = 0;
    int[] others = new int[size];
    for (int id = 0; id < size; id++) {
      if (groupOf[id] == NONE) {
        others[free++] = id;
      }
    }
    Streams.RandomStream random = new Streams.RandomStream(seed, Streams.GROUPS_STREAM);
    for (int i = free - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = others[i];
      others[i] = others[j];
      others[j] = swap;
    }
    int next = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).idRange() != null) {
        continue;
      }
      int want = Math.min(groups.get(g).size(size), free - next);
      for (int k = 0; k < want; k++) {
        groupOf[others[next++]] = g;
      }
    }
    return groupOf;
  }

  /**
   * Each agent's model as a spec assigns it, by id, for transcripts: the models of its group's
   * endpoints (of every endpoint for an agent in no group, or in a group that names none), joined
   * by {@code +} when they differ; {@code default} for an endpoint that names no model.
   *
   * @param spec a valid spec
   */
  public static String[] models(dev.norma.protocols.spec.ExperimentSpec spec, long seed) {
    int size = spec.population().size();
    String[] models = new String[size];
    List<dev.norma.protocols.spec.EndpointSpec> endpoints = spec.inference().endpoints();
    int[] groupOf = assign(spec.population(), seed);
    for (int agent = 0; agent < size; agent++) {
      GroupSpec group = groupOf[agent] == NONE ? null : spec.population().groups().get(groupOf[agent]);
      java.util.Set<String> named = new java.util.LinkedHashSet<>();
      for (dev.norma.protocols.spec.EndpointSpec endpoint : endpoints) {
        if (group == null || group.endpoints() == null || group.endpoints().isEmpty()
            || group.endpoints().contains(endpoint.name())) {
          named.add(endpoint.model() == null ? "default" : endpoint.model());
        }
      }
      models[agent] = named.isEmpty() ? "default" : String.join("+", named);
    }
    return models;
  }
}
