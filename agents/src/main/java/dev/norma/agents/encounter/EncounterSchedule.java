package dev.norma.agents.encounter;

/**
 * A seeded sequence of encounters that does not depend on timing: the i-th call to {@link #next}
 * gives encounter i's participants, the same on every run of the same seed.
 */
public interface EncounterSchedule {

  /** Writes the next encounter's agent ids, distinct, into {@code members}; {@code members[0]} acts first. */
  void next(int[] members);
}
