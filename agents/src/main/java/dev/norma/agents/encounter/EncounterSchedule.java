package dev.norma.agents.encounter;

/**
 * A seeded sequence of encounters that does not depend on timing: the i-th call to {@link #next}
 * gives encounter i's participants, the same on every run of the same seed.
 */
public interface EncounterSchedule {

  /** Writes the next encounter's agent ids, distinct, into {@code members}; {@code members[0]} acts first. */
  void next(int[] members);

  /**
   * Writes the next encounter's agent ids into the start of {@code members} (of the game's
   * {@link EncounterGame#participants}) and returns how many there are: fewer in a study whose
   * agents may leave (a room some have left holds only those present), down to none (a room
   * everyone has left, whose encounter plays nothing). The engine and {@link EncounterLoop} ask
   * this; by default every encounter is whole, as {@link #next} gives it.
   */
  default int nextPresent(int[] members) {
    next(members);
    return members.length;
  }
}
