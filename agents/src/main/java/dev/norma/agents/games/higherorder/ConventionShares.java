package dev.norma.agents.games.higherorder;

/**
 * The uncommitted agents' states at the end of a population round, as fractions of the
 * uncommitted agents (committed agents are always on A and are left out).
 *
 * @param round        the population round just finished, from 0
 * @param interactions group interactions played so far
 * @param onA          fraction knowing only A
 * @param onB          fraction knowing only B
 * @param undecided    fraction knowing both (AB)
 */
public record ConventionShares(long round, long interactions, double onA, double onB, double undecided) {
}
