package dev.norma.agents.games.crsec;

import dev.norma.agents.study.Interventions;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CRSEC study's {@code uncommit} interventions, resolved once from the spec and the run seed:
 * from which period each advocate is an ordinary customer. Pure, so every node, the plain loop, a
 * resumed run and a replay hold the same; a mind asks it when its room plays a period, and nothing
 * is sent or saved for it.
 *
 * <p>An intervention at {@code {round: K}} applies from period K. Without {@code count} or
 * {@code fraction} it takes every advocate still advocating then; with them, a uniform draw of so
 * many among those (a fraction rounded to the nearest agent), seeded by the run seed and the
 * intervention's position in the list, as the naming games' interventions draw.
 */
final class AdvocateUncommits {
  static final AdvocateUncommits NONE = new AdvocateUncommits(null, List.of());

  /** Per agent, the period from which it no longer advocates; null when nobody is uncommitted. */
  private final long[] ordinaryFrom;
  /** The interventions in spec order, each with the agents it uncommits. */
  private final List<Interventions.Applied> applied;

  private AdvocateUncommits(long[] ordinaryFrom, List<Interventions.Applied> applied) {
    this.ordinaryFrom = ordinaryFrom;
    this.applied = List.copyOf(applied);
  }

  /** The uncommits of a valid spec of a study with {@code parameters}, run with {@code seed}. */
  static AdvocateUncommits of(ExperimentSpec spec, CrsecParameters parameters, long seed) {
    List<InterventionSpec> items = spec.interventions();
    if (items.isEmpty()) {
      return NONE;
    }
    int n = parameters.populationSize();
    long[] from = new long[n];
    Arrays.fill(from, Long.MAX_VALUE);
    List<Interventions.Applied> applied = new ArrayList<>();
    for (int position = 0; position < items.size(); position++) {
      InterventionSpec item = items.get(position);
      long period = item.at().round();
      int[] advocating = advocating(parameters, from, period);
      int[] chosen = Interventions.draw(advocating, Math.min(item.resolveCount(advocating.length),
          advocating.length), seed, position);
      for (int agent : chosen) {
        from[agent] = period;
      }
      // A period is one round of one encounter per room: it starts at encounter period × rooms.
      applied.add(new Interventions.Applied(position, period * parameters.rooms(), item.action(), "", chosen));
    }
    return new AdvocateUncommits(from, applied);
  }

  /**
   * The interventions as the run reaches them, in spec order: each at the first encounter of its
   * period, with the advocates it made ordinary customers (none when nobody advocated any more).
   */
  List<Interventions.Applied> applied() {
    return applied;
  }

  /** The agents seated as advocates at the start that still advocate at {@code period}, by id. */
  static int[] advocating(CrsecParameters parameters, long[] ordinaryFrom, long period) {
    int[] found = new int[parameters.rooms() * parameters.advocatesPerRoom()];
    int size = 0;
    for (int id = 0; id < parameters.populationSize(); id++) {
      if (id % parameters.roomSize() < parameters.advocatesPerRoom() && ordinaryFrom[id] > period) {
        found[size++] = id;
      }
    }
    return Arrays.copyOf(found, size);
  }

  /** Whether agent {@code id}, if seated as an advocate, is an ordinary customer at {@code period}. */
  boolean ordinaryAt(int id, long period) {
    return ordinaryFrom != null && period >= ordinaryFrom[id];
  }
}
