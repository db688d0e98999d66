package dev.norma.agents.study;

import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents {@code endpoint} interventions switch to another endpoint or model, and from which
 * interaction index: {@code count} (or {@code fraction} of, or all) the N agents, a seeded draw from
 * the run seed and the intervention's position. A later switch of an agent replaces an earlier
 * one. Pure: the runtime asks it, for each call, which switch (if any) routes agent a's call in
 * interaction i.
 */
public final class EndpointSwitches {
  /** Per agent, the switches that take it, in index order: {index, position in the spec's list}. */
  private final Map<Integer, List<long[]>> byAgent = new HashMap<>();

  EndpointSwitches(List<Interventions.Applied> applied) {
    for (Interventions.Applied item : applied) {
      if (InterventionSpec.ENDPOINT.equals(item.action())) {
        for (int agent : item.agents()) {
          byAgent.computeIfAbsent(agent, k -> new ArrayList<>()).add(new long[] {item.index(), item.position()});
        }
      }
    }
  }

  /** What {@code interventions.csv} names: the endpoint, or the model. */
  static String describe(InterventionSpec item) {
    return item.endpoint() != null ? item.endpoint() : "model " + item.model();
  }

  /**
   * The position in the spec's {@code interventions} of the switch that routes agent {@code agent}'s
   * calls in interaction {@code index}, or -1 when none does.
   */
  public int switchOf(int agent, long index) {
    List<long[]> own = byAgent.get(agent);
    int position = -1;
    for (int i = 0; own != null && i < own.size() && own.get(i)[0] <= index; i++) {
      position = (int) own.get(i)[1];
    }
    return position;
  }

  /** Whether any agent is switched. */
  public boolean isEmpty() {
    return byAgent.isEmpty();
  }
}
