package dev.norma.agents.games.identity;

import dev.norma.agents.study.AgentGroups;
import dev.norma.protocols.spec.GroupSpec;
import dev.norma.protocols.spec.PopulationSpec;
import dev.norma.protocols.spec.SpecErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who debates whom: the population split into fixed pairs (groups of one agent per side), pair k
 * of condition k mod C (the conditions interleaved, so each has ⌈P/C⌉ or ⌊P/C⌋ of the P pairs).
 * A seat that names a group of {@code population.groups} is taken by that group's agents — so by
 * its endpoints, model and persona —, a seat that names none by agents in no group, each pool in
 * id order. Every agent sits in exactly one pair: the seats must take each pool whole, which
 * {@link #check} reports otherwise. The same spec and seed give the same pairs on every node.
 */
final class IdentityPairs {
  private final int[][] members;
  private final int[] conditionOf;

  private IdentityPairs(int[][] members, int[] conditionOf) {
    this.members = members;
    this.conditionOf = conditionOf;
  }

  /** The pairs of a valid spec's population (groups drawn by {@code seed}, as the gateway draws them). */
  static IdentityPairs assign(IdentitySettings settings, PopulationSpec population, long seed) {
    int seats = settings.seats();
    int pairs = population.size() / seats;
    int[] groupOf = AgentGroups.assign(population, seed);
    Map<Integer, List<Integer>> pools = new LinkedHashMap<>();
    for (int agent = 0; agent < population.size(); agent++) {
      pools.computeIfAbsent(groupOf[agent], g -> new ArrayList<>()).add(agent);
    }
    Map<Integer, Integer> taken = new LinkedHashMap<>();
    int[][] members = new int[pairs][seats];
    int[] conditionOf = new int[pairs];
    int conditions = settings.conditions().size();
    for (int pair = 0; pair < pairs; pair++) {
      conditionOf[pair] = pair % conditions;
      List<IdentitySettings.Seat> seatsOf = settings.conditions().get(conditionOf[pair]).seats();
      for (int seat = 0; seat < seats; seat++) {
        int pool = groupIndex(population, seatsOf.get(seat).group());
        int next = taken.merge(pool, 1, Integer::sum) - 1;
        List<Integer> agents = pools.getOrDefault(pool, List.of());
        if (next >= agents.size()) {
          throw new IllegalArgumentException("game.settings.conditions: " + shortfall(settings, population));
        }
        members[pair][seat] = agents.get(next);
      }
    }
    return new IdentityPairs(members, conditionOf);
  }

  /**
   * Reports at {@code settingsErrors} a seat naming no group of {@code population.groups}, a
   * population that does not split into pairs, and seats that do not take every pool whole.
   */
  static void check(IdentitySettings settings, PopulationSpec population, SpecErrors settingsErrors,
                    SpecErrors populationErrors) {
    List<IdentitySettings.Condition> conditions = settings.conditions();
    boolean named = true;
    for (int c = 0; c < conditions.size(); c++) {
      List<IdentitySettings.Seat> seats = conditions.get(c).seats();
      for (int s = 0; s < seats.size(); s++) {
        String group = seats.get(s).group();
        if (group != null && groupIndex(population, group) == AgentGroups.NONE) {
          settingsErrors.add("conditions[" + c + "].seats[" + s + "].group", "expected a group of population.groups "
              + population.groups().stream().map(GroupSpec::name).toList() + ", got '" + group + "'");
          named = false;
        }
      }
    }
    if (population.size() < 2 || conditions.isEmpty() || !named) {
      return;
    }
    if (population.size() % settings.seats() != 0) {
      populationErrors.add("size", "the in-group identity study seats every agent in a debate of "
          + settings.seats() + " (one per side of game.settings.sides); expected a multiple of " + settings.seats()
          + ", got " + population.size());
      return;
    }
    String shortfall = shortfall(settings, population);
    if (shortfall != null) {
      settingsErrors.add("conditions", shortfall);
    }
  }

  /** Why the seats do not take every pool whole, or null when they do. */
  private static String shortfall(IdentitySettings settings, PopulationSpec population) {
    int pairs = population.size() / settings.seats();
    int conditions = settings.conditions().size();
    Map<Integer, Integer> needed = new LinkedHashMap<>();
    for (int pair = 0; pair < pairs; pair++) {
      for (IdentitySettings.Seat seat : settings.conditions().get(pair % conditions).seats()) {
        needed.merge(groupIndex(population, seat.group()), 1, Integer::sum);
      }
    }
    int grouped = 0;
    for (GroupSpec group : population.groups()) {
      grouped += group.size(population.size());
    }
    List<String> wrong = new ArrayList<>();
    for (int g = AgentGroups.NONE; g < population.groups().size(); g++) {
      int has = g == AgentGroups.NONE ? population.size() - grouped : population.groups().get(g).size(population.size());
      int wants = needed.getOrDefault(g, 0);
      if (has != wants) {
        wrong.add((g == AgentGroups.NONE ? "agents in no group" : "group '" + population.groups().get(g).name() + "'")
            + ": the seats take " + wants + ", the population has " + has);
      }
    }
    return wrong.isEmpty() ? null : "every agent sits in one of the " + pairs + " debates (conditions taking turns,"
        + " debate k of condition k mod " + conditions + "), so each seat's pool must be taken whole; "
        + String.join("; ", wrong);
  }

  private static int groupIndex(PopulationSpec population, String group) {
    if (group == null) {
      return AgentGroups.NONE;
    }
    for (int g = 0; g < population.groups().size(); g++) {
      if (population.groups().get(g).name().equals(group)) {
        return g;
      }
    }
    return AgentGroups.NONE;
  }

  int pairs() {
    return members.length;
  }

  /** Pair {@code pair}'s agents, by seat (a copy). */
  int[] members(int pair) {
    return members[pair].clone();
  }

  int condition(int pair) {
    return conditionOf[pair];
  }
}
