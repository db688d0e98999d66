package dev.norma.agents;

import java.util.function.LongSupplier;

/**
 * Seeded random streams. Every stream of a run (each agent's, the matchmaker's, the committed
 * minority's draw) is SplitMix64 started from a mix of the run seed and a stream id, so streams
 * are independent of each other and of the order in which they are used.
 */
public final class Streams {
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  /** Stream ids below zero are reserved for the study's own draws; agents use their ids. */
  public static final long SCHEDULE_STREAM = -1;
  public static final long COMMITTED_STREAM = -2;
  /** The stream that draws which agents a group of {@code population.groups} takes by count or fraction. */
  public static final long GROUPS_STREAM = -3;
  /** The stream that draws a random interaction network (small-world rewiring, scale-free growth). */
  public static final long TOPOLOGY_STREAM = -4;
  /** The first of the streams that draw which agents an intervention changes, one per intervention. */
  private static final long INTERVENTION_STREAMS = -1_000_000L;
  /** The first of the streams that draw a rewire intervention's network, one per intervention. */
  private static final long REWIRE_STREAMS = -2_000_000L;

  private Streams() {
  }

  /** The stream of the intervention at {@code position} in the spec's list (0-based). */
  public static long interventionStream(int position) {
    return INTERVENTION_STREAMS - position;
  }

  /** The stream that draws the network of the {@code rewire} intervention at {@code position}. */
  public static long rewireStream(int position) {
    return REWIRE_STREAMS - position;
  }

  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public static long seedFor(long runSeed, long streamId) {
    return mix64(runSeed * GOLDEN_GAMMA + mix64(streamId ^ 0x5DEECE66DL));
  }

  /** Lemire's nearly-divisionless unbiased bounded draw. */
  static int boundedInt(LongSupplier next, int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long m = (next.getAsLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        m = (next.getAsLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /**
   * A stand-alone seeded random number generator (not a Pekko or {@code java.util} stream), for
   * draws that belong to the study rather than to one agent: the schedule's pairs, the committed
   * minority, a prompt's shuffled options.
   */
  public static final class RandomStream {
    private long state;

    public RandomStream(long runSeed, long streamId) {
      this.state = seedFor(runSeed, streamId);
    }

    public long nextLong() {
      state += GOLDEN_GAMMA;
      return mix64(state);
    }

    public int nextInt(int bound) {
      return boundedInt(this::nextLong, bound);
    }

    public double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Fisher–Yates from the last position down: every order equally likely. */
    public void shuffle(int[] values) {
      shuffle(values, 0, values.length);
    }

    /** {@link #shuffle(int[])} of {@code values[from..to)} alone, the rest untouched. */
    public void shuffle(int[] values, int from, int to) {
      for (int i = to - 1; i > from; i--) {
        swap(values, i, from + nextInt(i - from + 1));
      }
    }

    /**
     * One step of a partial Fisher–Yates shuffle: swaps a uniform choice among
     * {@code values[position..]} into {@code position} and returns it. Steps 0 … k − 1 bring a
     * uniform ordered sample of k to the front; any permutation stays a permutation, so the array
     * may be kept and drawn from again.
     */
    public int drawInto(int[] values, int position) {
      int chosen = position + nextInt(values.length - position);
      swap(values, position, chosen);
      return values[position];
    }

    private static void swap(int[] values, int i, int j) {
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
