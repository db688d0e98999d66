package dev.norma.agents.games.higherorder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The higher-order naming game as a plain single-threaded loop on a homogeneously mixed
 * population: the reference any distributed run of the game must equal, and the simulation the
 * science tests compare with the mean-field equations.
 *
 * <p>Set-up: round(p·N) agents, a seeded uniform draw ({@link CommittedMinority}), are committed
 * to A from the start; everyone else starts on B. Groups come from a
 * {@link GroupSchedule} seeded from the run seed; each agent's randomness from its own stream.
 *
 * <p>Time: a population round is N group interactions, so that on average every agent speaks once
 * per round (and takes part g times). This is the time unit of the mean-field equations, in which
 * one interaction advances time by 1/N, and for g = 2 it is the speaker–hearer games' population
 * round of N pair interactions, so rounds compare directly with binary agreement.
 */
public final class HigherOrderLoop {
  private final GroupInteraction rules;
  private final ConventionMind[] minds;
  private final GroupSchedule schedule;
  private final int[] members;
  private final ConventionMind[] group;
  private final int uncommitted;
  /** Uncommitted agents by {@link ConventionMind#state()}: A, B, AB. */
  private final int[] counts = new int[3];
  private long index;

  /**
   * @param committedFraction p; round(p·N) agents are committed to A
   */
  public HigherOrderLoop(GroupInteraction rules, int populationSize, double committedFraction, long runSeed) {
    if (!(committedFraction >= 0 && committedFraction < 1)) {
      throw new IllegalArgumentException("committed fraction must be in [0, 1): " + committedFraction);
    }
    this.rules = rules;
    int g = rules.groupSize();
    this.schedule = new GroupSchedule(populationSize, g, runSeed);
    this.members = new int[g];
    this.group = new ConventionMind[g];
    this.minds = new ConventionMind[populationSize];
    CommittedMinority committed = new CommittedMinority(populationSize,
        (int) Math.round(committedFraction * populationSize), runSeed);
    for (int id = 0; id < populationSize; id++) {
      minds[id] = committed.startingMind(rules, id, runSeed);
      if (!committed.contains(id)) {
        counts[minds[id].state()]++;
      }
    }
    this.uncommitted = populationSize - committed.count();
  }

  /** Plays the next group interaction; returns whether the group agreed. */
  public boolean playNext() {
    schedule.next(members);
    for (int i = 0; i < members.length; i++) {
      group[i] = minds[members[i]];
      if (!group[i].committedAt(index)) {
        counts[group[i].state()]--;
      }
    }
    boolean agreed = rules.play(group, index);
    for (ConventionMind member : group) {
      if (!member.committedAt(index)) {
        counts[member.state()]++;
      }
    }
    index++;
    return agreed;
  }

  /**
   * Plays {@code interactions} more group interactions, reporting the shares at the end of every
   * population round they complete.
   *
   * @param onRound sees each finished round (may be null)
   */
  public void run(long interactions, Consumer<ConventionShares> onRound) {
    for (long i = 0; i < interactions; i++) {
      playNext();
      if (onRound != null && index % minds.length == 0) {
        onRound.accept(shares());
      }
    }
  }

  /** Plays {@code rounds} population rounds and returns the shares at the end of each. */
  public List<ConventionShares> runRounds(int rounds) {
    List<ConventionShares> rows = new ArrayList<>(rounds);
    run((long) rounds * minds.length, rows::add);
    return rows;
  }

  /**
   * Plays up to {@code rounds} more population rounds, stopping at the end of the first in which
   * more than half of the uncommitted agents hold only A (the minority's convention has tipped the
   * population).
   *
   * @return that round, or -1 if the population has not tipped by the end of the last
   */
  public long tippingRound(int rounds) {
    for (int i = 0; i < rounds; i++) {
      run(minds.length, null);
      ConventionShares shares = shares();
      if (shares.onA() > 0.5) {
        return shares.round();
      }
    }
    return -1;
  }

  /** The shares now; {@code round} is the last round completed (-1 before the first). */
  public ConventionShares shares() {
    double total = Math.max(1, uncommitted);
    return new ConventionShares(index / minds.length - 1, index, counts[ConventionMind.A] / total,
        counts[ConventionMind.B] / total, counts[ConventionMind.AB] / total);
  }

  /** Group interactions played so far. */
  public long interactions() {
    return index;
  }

  public ConventionMind mind(int id) {
    return minds[id];
  }

  public GroupInteraction rules() {
    return rules;
  }
}
