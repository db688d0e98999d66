package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * A pair game's schedule on {@code topology.kind: rooms}: the population seated in rooms as
 * {@link Rooms} seats it, each agent meeting only its room-mates, the seats mixing between
 * periods. A period is one population round (N consecutive interaction indices, a row of
 * {@code rounds.csv}): the seating holds for the whole period and mixes, each agent leaving its
 * seat with the topology's {@code moveProbability}, before every later one.
 *
 * <ul>
 *   <li>{@code rounds} ({@link #matching}): each matching round every room is shuffled and paired
 *       off in seat order, room 0's pairs first; with an odd room size the last of each room's
 *       shuffle sits that matching out. With an even room size a period is exactly two matchings;
 *       with an odd one the matching under way when the period ends is cut off, and the next
 *       period starts a fresh one in its new seating.</li>
 *   <li>{@code sequential} ({@link #sequential}): an initiator drawn uniformly from the population,
 *       then a uniformly drawn room-mate of it.</li>
 * </ul>
 *
 * <p>The seating is {@link RoomSeating}'s, which {@link RoomGroups} (groups of g) shares. The
 * mixing and the pairing draw from one stream, the run seed's schedule stream, so the i-th
 * pair is the same on every run of the seed, in the plain loop and the actor runtime alike. Not
 * thread-safe: one caller, asking for pairs in index order.
 */
public final class RoomPairs implements PairSchedule {
  private final RoomSeating seating;
  private final Streams.RandomStream random;
  /** The current matching's pairs, packed, and the next one to give out. */
  private final long[] pairs;
  private int pairCount;
  private int cursor;
  private long index;

  private RoomPairs(int populationSize, int roomSize, double moveProbability, long runSeed) {
    this.random = new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM);
    this.seating = new RoomSeating(populationSize, roomSize, moveProbability, random);
    this.pairs = new long[seating.rooms() * (roomSize / 2)];
  }

  /** The {@code rounds} schedule: a random matching within every room, matching after matching. */
  public static RoomPairs matching(int populationSize, int roomSize, double moveProbability, long runSeed) {
    return new RoomPairs(populationSize, roomSize, moveProbability, runSeed);
  }

  /**
   * The {@code sequential} schedule: a uniform initiator and a uniform room-mate, step by step; the
   * groups of two of {@link RoomGroups}.
   */
  public static PairSchedule sequential(int populationSize, int roomSize, double moveProbability, long runSeed) {
    RoomGroups groups = new RoomGroups(populationSize, roomSize, moveProbability, 2, runSeed);
    int[] pair = new int[2];
    return () -> {
      groups.next(pair);
      return PairSchedule.pack(pair[0], pair[1]);
    };
  }

  @Override
  public long next() {
    if (seating.startsPeriod(index++)) {
      // The matching under way ends with its period.
      pairCount = 0;
      cursor = 0;
    }
    if (cursor == pairCount) {
      drawMatching();
    }
    return pairs[cursor++];
  }

  /** Shuffles each room's seats and pairs them off in seat order, room 0's pairs first. */
  private void drawMatching() {
    seating.shuffleWithinRooms(random);
    pairCount = 0;
    cursor = 0;
    int roomSize = seating.roomSize();
    for (int first = 0; first < seating.populationSize(); first += roomSize) {
      for (int i = 0; i + 1 < roomSize; i += 2) {
        pairs[pairCount++] = PairSchedule.pack(seating.seated(first + i), seating.seated(first + i + 1));
      }
    }
  }
}
