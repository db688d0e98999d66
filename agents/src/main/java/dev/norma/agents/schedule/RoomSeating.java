package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * The rooms of {@code topology.kind: rooms} as a schedule that draws within them sees them: the
 * seating of {@link Rooms}, taken whole at the start of each period and held for the period, with
 * each agent's seat, so that its room-mates are found at once. A period is one population round,
 * N consecutive encounter indices; the seats mix, as {@link Rooms} mixes them, before every period
 * after the first. Shared by {@link RoomPairs} (pairs) and {@link RoomGroups} (groups of g), so
 * every encounter game draws within the rooms the same way.
 *
 * <p>The mixing draws from the stream it is given, the schedule's own, which the schedule goes on
 * to draw its pairs or groups from: the order of the draws, and so the encounters, follow from the
 * seed alone. Not thread-safe: one caller, asking in index order.
 */
final class RoomSeating {
  private final Rooms rooms;
  private final int populationSize;
  private final int roomSize;
  /** This period's seating: room r's members on seats {@code r·size … r·size + size − 1}. */
  private final int[] seats;
  /** Each agent's seat in {@link #seats}. */
  private final int[] seatOf;
  private final int[] members;

  RoomSeating(int populationSize, int roomSize, double moveProbability, Streams.RandomStream random) {
    this.rooms = new Rooms(populationSize, roomSize, moveProbability, random);
    this.populationSize = populationSize;
    this.roomSize = roomSize;
    this.seats = new int[populationSize];
    this.seatOf = new int[populationSize];
    this.members = new int[roomSize];
  }

  /** Before encounter {@code index}: when a period starts there, the rooms mix and the new seating holds; true then. */
  boolean startsPeriod(long index) {
    if (index % populationSize != 0) {
      return false;
    }
    for (int room = 0; room < rooms.rooms(); room++) {
      rooms.next(members);
      System.arraycopy(members, 0, seats, room * roomSize, roomSize);
    }
    indexSeats();
    return true;
  }

  /** Shuffles every room's seats within the room (Fisher–Yates, room 0 first), nobody changing rooms. */
  void shuffleWithinRooms(Streams.RandomStream random) {
    for (int first = 0; first < seats.length; first += roomSize) {
      random.shuffle(seats, first, first + roomSize);
    }
    indexSeats();
  }

  /** Writes {@code agent}'s room-mates, in seat order and without the agent, into {@code mates[0 .. size − 2]}. */
  void roomMates(int agent, int[] mates) {
    int seat = seatOf[agent];
    int first = seat - seat % roomSize;
    System.arraycopy(seats, first, mates, 0, seat - first);
    System.arraycopy(seats, seat + 1, mates, seat - first, first + roomSize - seat - 1);
  }

  /** The agent on {@code seat} (in room {@code seat / size}). */
  int seated(int seat) {
    return seats[seat];
  }

  int rooms() {
    return rooms.rooms();
  }

  int roomSize() {
    return roomSize;
  }

  int populationSize() {
    return populationSize;
  }

  private void indexSeats() {
    for (int seat = 0; seat < seats.length; seat++) {
      seatOf[seats[seat]] = seat;
    }
  }
}
