package dev.norma.agents.games.higherorder;

import dev.norma.agents.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The higher-order naming game as a plain single-threaded loop on a homogeneously mixed
 * population: the reference any distributed run of the game must equal, and the simulation the
 * science tests compare with the mean-field equations.
 *
 * <p>Set-up: round(p·N) agents, a seeded uniform draw ({@link Streams#COMMITTED_STREAM}), are
 * committed to A from the start; everyone else starts on B. Groups come from a
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
  /** Uncommitted agents by state, indexed by {@link #stateOf}: A, B, AB. */
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
    int committedCount = (int) Math.round(committedFraction * populationSize);
    boolean[] committed = drawCommitted(populationSize, committedCount, runSeed);
    for (int id = 0; id < populationSize; id++) {
      if (committed[id]) {
        minds[id] = rules.newMind(id, runSeed, ConventionMind.A);
        minds[id].commitFrom(0);
      } else {
        minds[id] = rules.newMind(id, runSeed, ConventionMind.B);
        counts[stateOf(minds[id])]++;
      }
    }
    this.uncommitted = populationSize - committedCount;
  }

  /** A uniform choice of {@code count} agents, by a partial shuffle of the seeded committed stream. */
  private static boolean[] drawCommitted(int n, int count, long runSeed) {
    Streams.RandomStream random = new Streams.RandomStream(runSeed, Streams.COMMITTED_STREAM);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    boolean[] committed = new boolean[n];
    for (int i = 0; i < count; i++) {
      committed[GroupSchedule.drawInto(ids, i, random)] = true;
    }
    return committed;
  }

  private static int stateOf(ConventionMind mind) {
    return mind.undecided() ? 2 : mind.soleWord();
  }

  /** Plays the next group interaction; returns whether the group agreed. */
  public boolean playNext() {
    schedule.next(members);
    for (int i = 0; i < members.length; i++) {
      group[i] = minds[members[i]];
      if (!group[i].committedAt(index)) {
        counts[stateOf(group[i])]--;
      }
    }
    boolean agreed = rules.play(group, index);
    for (ConventionMind member : group) {
      if (!member.committedAt(index)) {
        counts[stateOf(member)]++;
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
        counts[ConventionMind.B] / total, counts[2] / total);
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
