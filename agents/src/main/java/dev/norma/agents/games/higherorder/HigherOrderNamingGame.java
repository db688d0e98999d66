package dev.norma.agents.games.higherorder;

/**
 * The higher-order naming game with binary conventions and a committed minority (Iacopini, Petri,
 * Baronchelli &amp; Barrat, "Group interactions modulate critical mass dynamics in social
 * convention", Commun. Phys. 5, 64, 2022), on groups drawn from the whole population.
 *
 * <p>The model. Each agent knows convention A, B or both (AB). A committed minority, a fraction p
 * of the population, knows only A and never changes; everyone else starts on B. An interaction
 * involves a group of g agents: one speaker and g − 1 hearers. The speaker utters a convention it
 * knows (an AB speaker picks A or B with probability ½; a committed speaker always says A).
 * <ul>
 *   <li>Unanimity: if every hearer knows the uttered convention, then with probability β the
 *       whole group agrees on it: every uncommitted member, the speaker included, forgets the
 *       other convention. With probability 1 − β nothing changes.</li>
 *   <li>Otherwise (some hearer does not know it) every uncommitted hearer that does not know it
 *       learns it (A→AB or B→AB); the others and the speaker are unchanged.</li>
 * </ul>
 * A committed hearer knows only A, so it blocks unanimity on B. With g = 2 and β = 1 this is the
 * binary agreement model of Xie et al. (Phys. Rev. E 84, 011130, 2011) step for step.
 *
 * <p>Parameters: the group size g ≥ 2 and the agreement probability β in [0, 1] (the paper's
 * "propensity" of a group to reach an agreement it could reach).
 *
 * <p>Choice: β is drawn once per group, not per hearer. The paper's rule, its mean-field
 * equations (which for g = 2 reduce to Xie et al.'s at β = 1 and whose β-terms multiply the
 * probability that the whole group is unanimous) and the authors' published simulation code all
 * make one draw per interaction, after which the group either agrees as a whole or does not. Two
 * per-hearer readings differ: if every hearer had to accept with probability β independently,
 * the group would agree with probability β^(g−1), a different model (a test shows it misses the
 * mean field); if every member collapsed independently with probability β, the mean number of
 * members that change is the same as here, so the mean-field equations cannot tell it apart, only
 * the fluctuations can. The draw is made from the speaker's own random stream, so a run's result
 * does not depend on which thread or node plays which group.
 */
public final class HigherOrderNamingGame implements GroupInteraction {
  private final int groupSize;
  private final double agreementProbability;

  /**
   * @param groupSize            g, the number of agents in every interaction (speaker included)
   * @param agreementProbability β, the probability that a unanimous group agrees
   */
  public HigherOrderNamingGame(int groupSize, double agreementProbability) {
    if (groupSize < 2) {
      throw new IllegalArgumentException("a group needs a speaker and at least one hearer: " + groupSize);
    }
    if (!(agreementProbability >= 0 && agreementProbability <= 1)) {
      throw new IllegalArgumentException("beta must be in [0, 1]: " + agreementProbability);
    }
    this.groupSize = groupSize;
    this.agreementProbability = agreementProbability;
  }

  @Override
  public int groupSize() {
    return groupSize;
  }

  public double agreementProbability() {
    return agreementProbability;
  }

  @Override
  public ConventionMind newMind(int agentId, long runSeed, int convention) {
    return new ConventionMind(agentId, runSeed, convention);
  }

  @Override
  public boolean play(ConventionMind[] group, long index) {
    return interact(group, index).agreed();
  }

  /** Plays interaction {@code index} on {@code group} as {@link #play} does, and tells what was said. */
  public Outcome interact(ConventionMind[] group, long index) {
    ConventionMind speaker = group[0];
    int word = utter(speaker, index);
    if (everyHearerKnows(group, groupSize, word)) {
      if (agrees(speaker)) {
        collapse(group, groupSize, word, index);
        return Outcome.of(word, true);
      }
      return Outcome.of(word, false);
    }
    learn(group, groupSize, word, index);
    return Outcome.of(word, false);
  }

  /**
   * What one interaction did: the convention the speaker uttered ({@link ConventionMind#A} or
   * {@link ConventionMind#B}) and whether the group agreed on it. There are four, made once.
   */
  public record Outcome(int uttered, boolean agreed) {
    private static final Outcome[] ALL = {new Outcome(ConventionMind.A, false), new Outcome(ConventionMind.B, false),
        new Outcome(ConventionMind.A, true), new Outcome(ConventionMind.B, true)};

    static Outcome of(int uttered, boolean agreed) {
      return ALL[(agreed ? 2 : 0) + uttered];
    }
  }

  /** The speaker's convention: A when committed, its only one, or either with probability ½. */
  static int utter(ConventionMind speaker, long index) {
    if (speaker.committedAt(index)) {
      speaker.collapseTo(ConventionMind.A);
      return ConventionMind.A;
    }
    if (speaker.undecided()) {
      return speaker.nextInt(2) == 0 ? ConventionMind.A : ConventionMind.B;
    }
    return speaker.soleWord();
  }

  static boolean everyHearerKnows(ConventionMind[] group, int size, int word) {
    for (int i = 1; i < size; i++) {
      if (!group[i].knows(word)) {
        return false;
      }
    }
    return true;
  }

  /** The one draw of the group's agreement, made from the speaker's stream. */
  boolean agrees(ConventionMind speaker) {
    return speaker.nextDouble() < agreementProbability;
  }

  /** Every uncommitted member keeps only {@code word}. */
  static void collapse(ConventionMind[] group, int size, int word, long index) {
    for (int i = 0; i < size; i++) {
      if (!group[i].committedAt(index)) {
        group[i].collapseTo(word);
      }
    }
  }

  /** Every uncommitted hearer learns {@code word}. */
  static void learn(ConventionMind[] group, int size, int word, long index) {
    for (int i = 1; i < size; i++) {
      if (!group[i].committedAt(index)) {
        group[i].learn(word);
      }
    }
  }
}
