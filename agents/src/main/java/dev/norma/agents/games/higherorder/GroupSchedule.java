package dev.norma.agents.games.higherorder;

import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterSchedule;

/**
 * A seeded sequence of groups drawn from the whole population (homogeneous mixing): each group is
 * g distinct agents, uniformly among all ordered choices, the first of which speaks. It does not
 * depend on timing: the i-th group is the same on every run of the same seed, so it serves as the
 * game's {@link EncounterSchedule}.
 *
 * <p>Each draw is a partial Fisher–Yates shuffle of a permutation kept between draws: g swaps
 * bring a uniform ordered sample to the front. Since any permutation stays a permutation, draws
 * are independent of each other and O(g) each.
 */
public final class GroupSchedule implements EncounterSchedule {
  private final int[] order;
  private final int groupSize;
  private final Streams.RandomStream random;

  public GroupSchedule(int populationSize, int groupSize, long runSeed) {
    if (groupSize < 2 || groupSize > populationSize) {
      throw new IllegalArgumentException("cannot draw groups of " + groupSize + " from " + populationSize);
    }
    this.order = new int[populationSize];
    for (int i = 0; i < populationSize; i++) {
      order[i] = i;
    }
    this.groupSize = groupSize;
    this.random = new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM);
  }

  /** Writes the next group's agent ids into {@code members[0..g-1]}; {@code members[0]} speaks. */
  @Override
  public void next(int[] members) {
    for (int i = 0; i < groupSize; i++) {
      members[i] = random.drawInto(order, i);
    }
  }

  public int groupSize() {
    return groupSize;
  }
}
