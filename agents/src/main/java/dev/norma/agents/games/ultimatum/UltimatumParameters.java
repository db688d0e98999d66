package dev.norma.agents.games.ultimatum;

/**
 * What a population playing the ultimatum game is given. Offers and thresholds are in grid steps
 * of one hundredth of the sum ({@link UltimatumGame#SUM} steps), so an offer of 37 is 0.37.
 *
 * @param populationSize       number of agents, at least 2
 * @param memory               encounters each agent remembers (both roles, newest kept); the
 *                             responder's reputation is read from these only
 * @param reputation           whether a proposer may learn the lowest offer the responder accepted
 *                             among the encounters it remembers (Nowak, Page &amp; Sigmund's
 *                             information about the co-player's past)
 * @param informedProbability  with reputation on, the probability that a proposer knows the
 *                             responder's record in a given encounter (NPS's w); 1 means always
 * @param revisionInterval     population rounds between two strategy revisions; the payoff an
 *                             agent compares is what it earned since its last revision
 * @param selectionIntensity   β of the Fermi imitation rule, in inverse units of the sum
 *                             (payoffs run from 0 to 1)
 * @param mutationProbability  per revision and agent, the probability that its strategy is
 *                             perturbed after the imitation step
 * @param mutationStep         the largest change, in grid steps, a mutation makes to p and to q
 */
public record UltimatumParameters(int populationSize, int memory, boolean reputation, double informedProbability,
                                  int revisionInterval, double selectionIntensity, double mutationProbability,
                                  int mutationStep) {

  public UltimatumParameters {
    if (populationSize < 2) {
      throw new IllegalArgumentException("the game needs at least two agents: " + populationSize);
    }
    if (memory < 1) {
      throw new IllegalArgumentException("memory must hold at least one encounter: " + memory);
    }
    if (!(informedProbability >= 0 && informedProbability <= 1)) {
      throw new IllegalArgumentException("informedProbability must lie in [0, 1]: " + informedProbability);
    }
    if (revisionInterval < 1) {
      throw new IllegalArgumentException("revisionInterval must be at least one round: " + revisionInterval);
    }
    if (!(selectionIntensity >= 0)) {
      throw new IllegalArgumentException("selectionIntensity must not be negative: " + selectionIntensity);
    }
    if (!(mutationProbability >= 0 && mutationProbability <= 1)) {
      throw new IllegalArgumentException("mutationProbability must lie in [0, 1]: " + mutationProbability);
    }
    if (mutationStep < 0 || mutationStep > UltimatumGame.SUM) {
      throw new IllegalArgumentException("mutationStep must lie in [0, " + UltimatumGame.SUM + "]: " + mutationStep);
    }
  }

  /**
   * The settings the science tests are calibrated on: a memory of 10 encounters (about 5 as
   * responder), proposers always informed (w = 1), a revision every 10 rounds (about 10
   * encounters in each role), β = 50, and mutations of at most 2 grid steps for 5% of revisions.
   *
   * <p>Why these: β must make a difference of one grid step in one role (0.005 of the compared
   * payoff) count against the drift of imitation among equals, which the Fermi rule makes
   * frequent (probability 1/2 at equal payoffs); at β = 10 the population drifts more than it is
   * selected and neither outcome is clear in a few thousand rounds. With w = 0.9 the fair state
   * is reached too (mean offer made 0.40 after 4000 rounds at N = 100, seeds 0–5) but erodes over 20000
   * rounds, as the uninformed tenth of proposals keeps rewarding lower offers.
   */
  public static UltimatumParameters standard(int populationSize, boolean reputation) {
    return new UltimatumParameters(populationSize, 10, reputation, 1.0, 10, 50.0, 0.05, 2);
  }

  public UltimatumParameters withReputation(boolean reputation) {
    return new UltimatumParameters(populationSize, memory, reputation, informedProbability, revisionInterval,
        selectionIntensity, mutationProbability, mutationStep);
  }

  public UltimatumParameters withInformedProbability(double informedProbability) {
    return new UltimatumParameters(populationSize, memory, reputation, informedProbability, revisionInterval,
        selectionIntensity, mutationProbability, mutationStep);
  }

  public UltimatumParameters withPopulationSize(int populationSize) {
    return new UltimatumParameters(populationSize, memory, reputation, informedProbability, revisionInterval,
        selectionIntensity, mutationProbability, mutationStep);
  }
}
