package dev.norma.agents.schedule;

import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterSchedule;

/**
 * A group game's schedule on {@code topology.kind: rooms}: each encounter a first member (the
 * speaker, the initiator) drawn uniformly from the whole population, then g − 1 distinct
 * room-mates of it, uniformly among the ordered choices. The population is seated as
 * {@link Rooms} seats it ({@link RoomSeating}): a period is one population round, N consecutive
 * encounters, in which the seating holds, and the seats mix, each agent leaving its seat with the
 * topology's {@code moveProbability}, before every later period. So every member of a group sits
 * in the first member's room for that period, and within a period nobody meets beyond its room.
 * A room must hold a group: g ≤ {@code topology.size}.
 *
 * <p>The draws, the seats' mixing included, come from one stream, the run seed's schedule stream:
 * the i-th group is the same on every run of the seed, in the plain loop and the actor runtime
 * alike. With g = 2 this is the {@code sequential} pair schedule within rooms
 * ({@link RoomPairs#sequential}). Not thread-safe: one caller, asking in index order.
 */
public final class RoomGroups implements EncounterSchedule {
  private final RoomSeating seating;
  private final int groupSize;
  private final Streams.RandomStream random;
  /** The first member's room-mates, drawn from by a partial shuffle. */
  private final int[] mates;
  private long index;

  /**
   * @param groupSize g, from 2 to {@code roomSize}
   * @throws IllegalArgumentException when the rooms cannot seat the population or cannot hold a group
   */
  public RoomGroups(int populationSize, int roomSize, double moveProbability, int groupSize, long runSeed) {
    if (groupSize < 2 || groupSize > roomSize) {
      throw new IllegalArgumentException("cannot draw groups of " + groupSize + " within rooms of " + roomSize);
    }
    this.random = new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM);
    this.seating = new RoomSeating(populationSize, roomSize, moveProbability, random);
    this.groupSize = groupSize;
    this.mates = new int[roomSize - 1];
  }

  /** Writes the next group into {@code members[0 .. g − 1]}; {@code members[0]} acts first. */
  @Override
  public void next(int[] members) {
    seating.startsPeriod(index++);
    int first = random.nextInt(seating.populationSize());
    seating.roomMates(first, mates);
    members[0] = first;
    for (int i = 1; i < groupSize; i++) {
      members[i] = random.drawInto(mates, i - 1);
    }
  }

  public int groupSize() {
    return groupSize;
  }
}
