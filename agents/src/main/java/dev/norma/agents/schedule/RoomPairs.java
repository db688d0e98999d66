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
 * <p>The mixing and the pairing draw from one stream, the run seed's schedule stream, so the i-th
 * pair is the same on every run of the seed, in the plain loop and the actor runtime alike. Not
 * thread-safe: one caller, asking for pairs in index order.
 */
public final class RoomPairs implements PairSchedule {
  private final Rooms rooms;
  private final int populationSize;
  private final int roomSize;
  private final boolean sequential;
  private final Streams.RandomStream random;
  /** This period's seating: room r's members on seats {@code r·size … r·size + size − 1}. */
  private final int[] seats;
  /** Each agent's seat in {@link #seats} (the sequential draw finds its room-mates by it). */
  private final int[] seatOf;
  private final int[] members;
  /** The current matching's pairs, packed, and the next one to give out. */
  private final long[] pairs;
  private int pairCount;
  private int cursor;
  private long index;

  private RoomPairs(int populationSize, int roomSize, double moveProbability, boolean sequential, long runSeed) {
    this.random = new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM);
    this.rooms = new Rooms(populationSize, roomSize, moveProbability, random);
    this.populationSize = populationSize;
    this.roomSize = roomSize;
    this.sequential = sequential;
    this.seats = new int[populationSize];
    this.seatOf = new int[populationSize];
    this.members = new int[roomSize];
    this.pairs = new long[rooms.rooms() * (roomSize / 2)];
  }

  /** The {@code rounds} schedule: a random matching within every room, matching after matching. */
  public static RoomPairs matching(int populationSize, int roomSize, double moveProbability, long runSeed) {
    return new RoomPairs(populationSize, roomSize, moveProbability, false, runSeed);
  }

  /** The {@code sequential} schedule: a uniform initiator and a uniform room-mate, step by step. */
  public static RoomPairs sequential(int populationSize, int roomSize, double moveProbability, long runSeed) {
    return new RoomPairs(populationSize, roomSize, moveProbability, true, runSeed);
  }

  @Override
  public long next() {
    if (index % populationSize == 0) {
      seatPeriod();
    }
    index++;
    return sequential ? roomMates() : matched();
  }

  /** A new period: the rooms mix (from the second on), and the matching under way ends. */
  private void seatPeriod() {
    for (int room = 0; room < rooms.rooms(); room++) {
      rooms.next(members);
      System.arraycopy(members, 0, seats, room * roomSize, roomSize);
    }
    for (int seat = 0; seat < seats.length; seat++) {
      seatOf[seats[seat]] = seat;
    }
    pairCount = 0;
    cursor = 0;
  }

  private long roomMates() {
    int initiator = random.nextInt(populationSize);
    int seat = seatOf[initiator];
    int other = seat - seat % roomSize + random.nextInt(roomSize - 1);
    if (other >= seat) {
      other++;
    }
    return PairSchedule.pack(initiator, seats[other]);
  }

  private long matched() {
    if (cursor == pairCount) {
      drawMatching();
    }
    return pairs[cursor++];
  }

  /** Shuffles each room's seats (Fisher–Yates within the room) and pairs them off in order. */
  private void drawMatching() {
    pairCount = 0;
    cursor = 0;
    for (int first = 0; first < seats.length; first += roomSize) {
      for (int i = roomSize - 1; i > 0; i--) {
        int j = first + random.nextInt(i + 1);
        int swapped = seats[first + i];
        seats[first + i] = seats[j];
        seats[j] = swapped;
      }
      for (int i = 0; i + 1 < roomSize; i += 2) {
        pairs[pairCount++] = PairSchedule.pack(seats[first + i], seats[first + i + 1]);
      }
    }
  }
}
