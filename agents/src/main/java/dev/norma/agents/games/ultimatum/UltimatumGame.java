package dev.norma.agents.games.ultimatum;

import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.agents.games.ultimatum.UltimatumMind.Strategy;
import java.util.OptionalInt;

/**
 * The rules of the ultimatum game (Güth, Schmittberger &amp; Schwarze, J. Econ. Behav. Organ. 3:367,
 * 1982) played in a population that learns by imitation, after Nowak, Page &amp; Sigmund ("Fairness
 * versus reason in the ultimatum game", Science 289:1773, 2000).
 *
 * <p><b>One encounter</b>, two turns. The sum is {@link #SUM} grid steps (hundredths:
 * offers run 0.00, 0.01, …, 1.00), fine enough that mutations take small steps and that the
 * rational outcome, an offer of 0 or 0.01, is told apart from merely low offers of 0.05–0.10,
 * and coarse enough that a few encounters meet the same offer twice. Each agent holds a strategy
 * (p, q).
 * <ol>
 *   <li>{@link #offer}: the proposer offers its p; with reputation on and, with probability w, when
 *       it knows the responder's record, it offers instead the lowest offer that responder accepted
 *       among the encounters it remembers, if that is lower than p (after NPS: a proposer who knows
 *       that the responder has accepted a lower offer before offers that).</li>
 *   <li>{@link #respond}: the responder accepts when the offer is at least its q (so p = q is
 *       accepted); then it earns the offer and the proposer the rest, otherwise both earn 0.</li>
 *   <li>{@link #conclude}: the proposer learns the answer and books its payoff.</li>
 * </ol>
 * Both remember the encounter (role, offer, outcome) in a bounded memory, and add its payoff to
 * what they earned since their last revision.
 *
 * <p><b>Learning</b>, every few population rounds and for every agent at once, each from the
 * population as it stood before anyone revised: the learner picks a uniformly random other agent
 * (the model) with its own random stream and adopts the model's (p, q) with the Fermi probability
 * 1 / (1 + exp(−β (π_model − π_learner))), where π is the payoff per encounter since the last
 * revision, the two roles weighted equally ({@link UltimatumMind#meanPayoff()}), as a fraction of
 * the sum. Then, with probability μ, it perturbs p and q each by a
 * uniform whole number of grid steps in [−s, s], kept in [0, {@link #SUM}]; and it starts a new
 * payoff account.
 *
 * <p>Why this is Nowak, Page and Sigmund's dynamics: they let strategies reproduce in proportion
 * to payoff (replicator dynamics) with small mutations of p and q. Under the pairwise comparison
 * with the Fermi rule the expected change of a strategy's share x is
 * x Σ_y x_y tanh(β (π_x − π_y) / 2) per revision, which for small β(π_x − π_y) is
 * (β/2) x (π_x − π̄):
 * the replicator equation with time rescaled (Traulsen, Claussen &amp; Hauert, PRL 95:238701,
 * 2005; Traulsen, Nowak &amp; Pacheco, PRE 74:011909, 2006). Selection acts on neighbouring
 * strategies, one or two grid steps apart, whose payoffs differ by about 0.005–0.01 of the sum;
 * at the calibrated β = 50 that is β Δπ ≈ 0.25–0.5, where the Fermi rule is still close to
 * linear. Larger differences are imitated near certainly, as a strategy far ahead would also
 * take over under payoff-proportional reproduction. Unlike a
 * global replicator, every agent learns from what it met and earned itself, with its own seeded
 * stream, so the dynamics run the same in an actor per agent.
 *
 * <p>The class is not final so that tests can break one rule at a time (negative controls); the
 * published rule is what this class does.
 */
public class UltimatumGame {
  /** The sum to split, in grid steps. */
  public static final int SUM = 100;

  private final UltimatumParameters parameters;

  public UltimatumGame(UltimatumParameters parameters) {
    this.parameters = parameters;
  }

  public final UltimatumParameters parameters() {
    return parameters;
  }

  /**
   * One encounter: the proposer's offer ({@link #offer}, told the responder's record), the
   * responder's answer ({@link #respond}), the proposer's booking ({@link #conclude}).
   */
  public final Encounter play(UltimatumMind proposer, UltimatumMind responder) {
    int offer = offer(proposer, responder.lowestAcceptedOffer());
    boolean accepted = respond(responder, offer);
    conclude(proposer, offer, accepted);
    return new Encounter(offer, accepted);
  }

  /** What one encounter came to: the offer made (in grid steps) and whether it was accepted. */
  public record Encounter(int offer, boolean accepted) {
  }

  /** A fresh agent with p and q drawn uniformly from the grid by its own stream, memory empty. */
  public UltimatumMind newMind(int agentId, long runSeed) {
    UltimatumMind mind = new UltimatumMind(agentId, runSeed, parameters.memory());
    int offer = mind.nextInt(SUM + 1);
    int threshold = mind.nextInt(SUM + 1);
    mind.adopt(new Strategy(offer, threshold));
    return mind;
  }

  /**
   * The proposer's turn.
   *
   * @param responderRecord the lowest offer the responder accepted among the encounters it
   *                        remembers ({@link UltimatumMind#lowestAcceptedOffer()}); used only
   *                        with reputation on, and then only when the proposer is informed
   */
  public int offer(UltimatumMind proposer, OptionalInt responderRecord) {
    if (!parameters.reputation() || responderRecord.isEmpty() || responderRecord.getAsInt() >= proposer.offer()) {
      return proposer.offer();
    }
    boolean informed = parameters.informedProbability() >= 1
        || proposer.nextDouble() < parameters.informedProbability();
    return informed ? responderRecord.getAsInt() : proposer.offer();
  }

  /** The responder's turn: accepts exactly when {@code offer >= q}; remembers and books it. */
  public boolean respond(UltimatumMind responder, int offer) {
    boolean accepted = offer >= responder.threshold();
    responder.remember(Role.RESPONDER, offer, accepted, responderPayoff(offer, accepted));
    return accepted;
  }

  /** The proposer learns the answer; remembers and books it. */
  public void conclude(UltimatumMind proposer, int offer, boolean accepted) {
    proposer.remember(Role.PROPOSER, offer, accepted, proposerPayoff(offer, accepted));
  }

  public static int proposerPayoff(int offer, boolean accepted) {
    return accepted ? SUM - offer : 0;
  }

  public static int responderPayoff(int offer, boolean accepted) {
    return accepted ? offer : 0;
  }

  /** The agent the learner compares itself with: uniform over the others, from its own stream. */
  public int chooseModel(UltimatumMind learner, int populationSize) {
    int other = learner.nextInt(populationSize - 1);
    return other >= learner.id() ? other + 1 : other;
  }

  /** The Fermi rule: the probability of adopting the model's strategy. */
  public double imitationProbability(double learnerPayoff, double modelPayoff) {
    return 1 / (1 + Math.exp(-parameters.selectionIntensity() * (modelPayoff - learnerPayoff)));
  }

  /**
   * One revision of the learner: imitation of the model (as it stood when the revision began),
   * then mutation, then a new payoff account. Draws exactly one number for the imitation and one
   * for the mutation, plus two more when it mutates.
   */
  public void revise(UltimatumMind learner, Strategy model, double modelPayoff) {
    if (learner.nextDouble() < imitationProbability(learner.meanPayoff(), modelPayoff)) {
      learner.adopt(model);
    }
    if (learner.nextDouble() < parameters.mutationProbability()) {
      learner.adopt(new Strategy(perturb(learner, learner.offer()), perturb(learner, learner.threshold())));
    }
    learner.closeAccount();
  }

  /**
   * Every agent revises at once: each learner, in id order, chooses its model and revises against
   * a snapshot of everyone's strategy and payoff taken before the first of them revised, so the
   * order of revision does not matter.
   *
   * @param population every agent, by id
   */
  public final void revise(UltimatumMind[] population) {
    Strategy[] strategies = new Strategy[population.length];
    double[] payoffs = new double[population.length];
    for (int id = 0; id < population.length; id++) {
      strategies[id] = population[id].strategy();
      payoffs[id] = population[id].meanPayoff();
    }
    for (UltimatumMind learner : population) {
      int model = chooseModel(learner, population.length);
      revise(learner, strategies[model], payoffs[model]);
    }
  }

  private int perturb(UltimatumMind mind, int value) {
    int step = parameters.mutationStep();
    int moved = value + mind.nextInt(2 * step + 1) - step;
    return Math.max(0, Math.min(SUM, moved));
  }
}
