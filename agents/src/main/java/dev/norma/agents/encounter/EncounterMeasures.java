package dev.norma.agents.encounter;

import java.util.List;

/**
 * What the files of a study of an {@link EncounterGame} show: the columns of {@code rounds.csv}
 * after {@code round}, computed from what the engine reports in index order, the same whether an
 * actor run or {@link EncounterLoop} reports it. Not thread-safe: one caller.
 */
public interface EncounterMeasures {

  /** The game's columns of {@code rounds.csv}, after {@code round}. */
  List<String> columns();

  /**
   * A mind's observation ({@link EncounterGame#observe}) changed from {@code before} to
   * {@code after}; {@code before} is null when the agent is first seen, at the start.
   */
  void observed(int agent, double[] before, double[] after);

  /** Encounter {@code index} among {@code members} ended with {@code outcome}, reported in index order. */
  void encounter(long index, int[] members, double[] outcome);

  /**
   * Population round {@code round} (from 0) ended, its population step (if any) included: its row,
   * in the order of {@link #columns()}. Counts kept per round start again.
   */
  double[] endRound(long round);

  /**
   * Why the study stops after round {@code round} whose row is {@code row}, as the summary's
   * {@code stopReason} (such as {@code converged} or {@code flipped}), or null to go on; the
   * engine stops at {@code stop.maxRounds} itself.
   */
  default String stopAfter(long round, double[] row) {
    return null;
  }
}
