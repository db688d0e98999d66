package dev.norma.agents.games.crsec;

import dev.norma.agents.schedule.Rooms;
import dev.norma.agents.study.Interventions;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CRSEC study's interventions, resolved once from the spec and the run seed: from which period
 * each advocate is an ordinary customer ({@code uncommit}) and from which period each agent has left
 * its room for good ({@code removeAgents}). Pure, so every node, the plain loop, a resumed run and a
 * replay hold the same; a mind asks it when its room plays a period, the schedule when it seats a
 * room, the measures when a period ends, and nothing is sent or saved for it.
 *
 * <p>An intervention at {@code {round: K}} applies from period K, in the spec's order (one later in
 * the list, at the same period, sees what the earlier did). Each draws uniformly among the agents
 * it may take, seeded by the run seed and the intervention's position in the list, as the naming
 * games' interventions draw ({@link Interventions#draw}); a fraction is of those, rounded to the
 * nearest agent.
 *
 * <ul>
 *   <li>{@code uncommit}: among the advocates present and still advocating then; without
 *       {@code count} or {@code fraction}, every one of them.</li>
 *   <li>{@code removeAgents}: {@code count} or {@code fraction} of the agents present then
 *       ({@code committed: true}: only advocates still advocating; {@code false}: only the
 *       others, ordinary customers and advocates made ordinary by an earlier {@code uncommit}).
 *       Validation keeps at least two agents present.</li>
 * </ul>
 */
final class CrsecInterventions implements Rooms.Presence {
  static final CrsecInterventions NONE = new CrsecInterventions(null, null, List.of());

  /** Per agent, the period from which it no longer advocates; null when nobody is uncommitted. */
  private final long[] ordinaryFrom;
  /** Per agent, the period from which it is gone; null when nobody leaves. */
  private final long[] leftAt;
  /** The interventions in spec order, each with the agents it uncommits or removes. */
  private final List<Interventions.Applied> applied;

  private CrsecInterventions(long[] ordinaryFrom, long[] leftAt, List<Interventions.Applied> applied) {
    this.ordinaryFrom = ordinaryFrom;
    this.leftAt = leftAt;
    this.applied = List.copyOf(applied);
  }

  /** The interventions of a valid spec of a study with {@code parameters}, run with {@code seed}. */
  static CrsecInterventions of(ExperimentSpec spec, CrsecParameters parameters, long seed) {
    List<InterventionSpec> items = spec.interventions();
    if (items.isEmpty()) {
      return NONE;
    }
    int n = parameters.populationSize();
    long[] from = new long[n];
    long[] left = new long[n];
    Arrays.fill(from, Long.MAX_VALUE);
    Arrays.fill(left, Long.MAX_VALUE);
    List<Interventions.Applied> applied = new ArrayList<>();
    boolean anyLeave = false;
    for (int position = 0; position < items.size(); position++) {
      InterventionSpec item = items.get(position);
      long period = item.at().round();
      boolean removal = InterventionSpec.REMOVE_AGENTS.equals(item.action());
      int[] candidates = removal ? removable(parameters, from, left, period, item.committed())
          : advocating(parameters, from, left, period);
      int count = Math.min(item.resolveCount(candidates.length), candidates.length);
      if (removal) {
        // Validation keeps two agents; the draw never takes more than leaves them.
        count = Math.max(0, Math.min(count, present(left, period) - 2));
      }
      int[] chosen = Interventions.draw(candidates, count, seed, position);
      for (int agent : chosen) {
        (removal ? left : from)[agent] = period;
      }
      anyLeave |= removal;
      // A period is one round of one encounter per room: it starts at encounter period × rooms.
      applied.add(new Interventions.Applied(position, period * parameters.rooms(), item.action(), "", chosen));
    }
    return new CrsecInterventions(from, anyLeave ? left : null, applied);
  }

  /**
   * The interventions as the run reaches them, in spec order: each at the first encounter of its
   * period, with the advocates it made ordinary customers or the agents that left (none when none
   * were left to take).
   */
  List<Interventions.Applied> applied() {
    return applied;
  }

  /** The agents seated as advocates at the start, present and still advocating at {@code period}, by id. */
  private static int[] advocating(CrsecParameters parameters, long[] ordinaryFrom, long[] leftAt, long period) {
    int[] found = new int[parameters.rooms() * parameters.advocatesPerRoom()];
    int size = 0;
    for (int id = 0; id < parameters.populationSize(); id++) {
      if (seatedAsAdvocate(parameters, id) && ordinaryFrom[id] > period && leftAt[id] > period) {
        found[size++] = id;
      }
    }
    return Arrays.copyOf(found, size);
  }

  /** The agents present at {@code period} that a removal may take, by id: advocates, the others, or all. */
  private static int[] removable(CrsecParameters parameters, long[] ordinaryFrom, long[] leftAt, long period,
                                 Boolean advocates) {
    int[] found = new int[parameters.populationSize()];
    int size = 0;
    for (int id = 0; id < found.length; id++) {
      boolean advocating = seatedAsAdvocate(parameters, id) && ordinaryFrom[id] > period;
      if (leftAt[id] > period && (advocates == null || advocates == advocating)) {
        found[size++] = id;
      }
    }
    return Arrays.copyOf(found, size);
  }

  private static int present(long[] leftAt, long period) {
    int present = 0;
    for (long at : leftAt) {
      present += at > period ? 1 : 0;
    }
    return present;
  }

  static boolean seatedAsAdvocate(CrsecParameters parameters, int id) {
    return id % parameters.roomSize() < parameters.advocatesPerRoom();
  }

  /** Whether agent {@code id}, if seated as an advocate, is an ordinary customer at {@code period}. */
  boolean ordinaryAt(int id, long period) {
    return ordinaryFrom != null && period >= ordinaryFrom[id];
  }

  /** Whether agent {@code agent} is still in the study at {@code period} (it has not left). */
  @Override
  public boolean present(int agent, long period) {
    return leftAt == null || period < leftAt[agent];
  }

  /** Whether anyone ever leaves: without, the rooms and the measures are those of a study without removals. */
  boolean anyoneLeaves() {
    return leftAt != null;
  }
}
