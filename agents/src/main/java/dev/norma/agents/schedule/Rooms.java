package dev.norma.agents.schedule;

import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterSchedule;

/**
 * A population seated in rooms of equal size that mixes between periods: the schedule of an
 * encounter game whose encounter is a room's whole company for one period (everyone in the room
 * acts, sees the others and may talk to one of them). Encounter i is room {@code i mod rooms} in
 * period {@code i / rooms}, its members in seat order; so a period is one population round of
 * {@code rooms} encounters, and no agent is in two encounters of one period.
 *
 * <p>The rooms are {@code topology.kind: rooms} ({@code size}, {@code moveProbability}); a pair
 * game draws its pairs within them through {@link RoomPairs}, a group game its groups through
 * {@link RoomGroups}, both reading the period's seating from {@link RoomSeating}.
 *
 * <p>At the start everyone sits by id: room r holds agents {@code r·size … r·size + size − 1}.
 * Before every later period each agent leaves its seat with probability {@code moveProbability},
 * drawn in id order from the schedule's own stream; the movers, in a random order, take each other's
 * seats in a cycle (each the seat of the next), so rooms keep their size and every mover changes
 * seat. A mover whose new seat is in its own room (the next mover was a room-mate) stays in that
 * room; with many rooms that is rare. Nothing depends on timing or on the minds: the i-th
 * encounter is the same on every run of the seed.
 *
 * <p>Agents may leave the study for good ({@link Presence}, the CRSEC study's {@code removeAgents}):
 * the seat of one that left stays empty. An empty seat mixes like a taken one (drawn to change with
 * {@code moveProbability}, so someone may move into it and leave an empty seat behind), so the
 * draws, and the seat of everyone present, are those of the same seed without the removal; a room's
 * encounter ({@link #nextPresent}) holds only the agents present on its seats: fewer people, down to
 * none.
 *
 * <p>Not thread-safe: one caller, asking for encounters in index order.
 */
public final class Rooms implements EncounterSchedule {

  /** Who is still in the study at a period; an agent that left never comes back. */
  @FunctionalInterface
  public interface Presence {
    Presence EVERYONE = (agent, period) -> true;

    boolean present(int agent, long period);
  }

  private final int roomSize;
  private final int rooms;
  private final double moveProbability;
  /** The agent on each seat; seat s is in room {@code s / roomSize}. */
  private final int[] seated;
  private final int[] movers;
  private final Streams.RandomStream random;
  private final Presence presence;
  private long index;

  public Rooms(int populationSize, int roomSize, double moveProbability, long runSeed) {
    this(populationSize, roomSize, moveProbability, runSeed, Presence.EVERYONE);
  }

  /** Rooms whose encounters ({@link #nextPresent}) hold only the agents {@code presence} says are present. */
  public Rooms(int populationSize, int roomSize, double moveProbability, long runSeed, Presence presence) {
    this(populationSize, roomSize, moveProbability, new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM),
        presence);
  }

  /**
   * @param random the schedule's stream, shared with a schedule that draws within the rooms
   *               ({@link RoomPairs})
   */
  public Rooms(int populationSize, int roomSize, double moveProbability, Streams.RandomStream random) {
    this(populationSize, roomSize, moveProbability, random, Presence.EVERYONE);
  }

  private Rooms(int populationSize, int roomSize, double moveProbability, Streams.RandomStream random,
                Presence presence) {
    if (roomSize < 2 || populationSize % roomSize != 0) {
      throw new IllegalArgumentException("cannot seat " + populationSize + " agents in rooms of " + roomSize);
    }
    if (!(moveProbability >= 0 && moveProbability <= 1)) {
      throw new IllegalArgumentException("a probability lies in [0, 1]: " + moveProbability);
    }
    this.roomSize = roomSize;
    this.rooms = populationSize / roomSize;
    this.moveProbability = moveProbability;
    this.seated = new int[populationSize];
    this.movers = new int[populationSize];
    for (int seat = 0; seat < populationSize; seat++) {
      seated[seat] = seat;
    }
    this.random = random;
    this.presence = presence;
  }

  /**
   * Writes the next room's seats, in seat order, into {@code members} (of the room's size): every
   * seat's agent, including those that have left ({@link #nextPresent} leaves them out).
   */
  @Override
  public void next(int[] members) {
    if (index > 0 && index % rooms == 0) {
      mix();
    }
    int room = (int) (index % rooms);
    System.arraycopy(seated, room * roomSize, members, 0, roomSize);
    index++;
  }

  /**
   * Writes the agents present on the next room's seats, in seat order, into the start of
   * {@code members} (of the room's size) and returns how many.
   */
  @Override
  public int nextPresent(int[] members) {
    long period = index / rooms;
    next(members);
    int count = 0;
    for (int agent : members) {
      if (presence.present(agent, period)) {
        members[count++] = agent;
      }
    }
    return count;
  }

  /** Before a new period: the movers trade seats in a random cycle. */
  private void mix() {
    int count = 0;
    for (int seat = 0; seat < seated.length; seat++) {
      // Drawn for every seat, mover or not, so the stream advances the same whatever is drawn.
      if (random.nextDouble() < moveProbability) {
        movers[count++] = seat;
      }
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swapped = movers[i];
      movers[i] = movers[j];
      movers[j] = swapped;
    }
    if (count < 2) {
      return;
    }
    int first = seated[movers[0]];
    for (int i = 0; i < count - 1; i++) {
      seated[movers[i]] = seated[movers[i + 1]];
    }
    seated[movers[count - 1]] = first;
  }

  /** The room encounter {@code index} takes place in. */
  public static int roomOf(long index, int rooms) {
    return (int) (index % rooms);
  }

  public int rooms() {
    return rooms;
  }

  public int roomSize() {
    return roomSize;
  }
}
