package dev.norma.agents.games.higherorder;

/**
 * One rule for a group of agents that meet: the speaker is {@code group[0]}, the hearers are
 * {@code group[1..size-1]}. {@link HigherOrderNamingGame} is the published rule; tests plug in
 * deliberately altered rules to show that the science tests can tell them apart.
 */
public interface GroupInteraction {
  /** The number of agents in every group this rule plays. */
  int groupSize();

  /** A fresh agent holding only {@code convention}. */
  ConventionMind newMind(int agentId, long runSeed, int convention);

  /**
   * Plays interaction {@code index} on {@code group}; only the group's minds change, each drawing
   * any randomness from its own stream.
   *
   * @return whether the group agreed
   */
  boolean play(ConventionMind[] group, long index);
}
