package dev.norma.agents.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Information flowing from partners to agents over one time window (the interactionist view of
 * Ferrarotti et al., arXiv 2601.10567): fed tuples (A_t, P_{t−1}, A_{t−1}) — an agent's action,
 * its partner's previous action and its own previous action, actions being ids ≥ 0 — it gives
 *
 * <pre>
 *   mutual information  I(A_t ; P_{t−1})           = H(A) + H(P) − H(A,P)
 *   transfer entropy    I(A_t ; P_{t−1} | A_{t−1})  = H(A,A') + H(P,A') − H(A,P,A') − H(A')
 * </pre>
 *
 * in bits, pooled over the agents of the window. Transfer entropy is Schreiber's (Phys. Rev. Lett.
 * 85:461, 2000) with history length 1: what the partner's action tells about the agent's next
 * one beyond what the agent's own last action already tells.
 *
 * <p>Each is reported plug-in and bias-corrected, with Miller–Madow applied to every entropy term
 * ({@link Entropy#millerMadowBits}); the corrected value can fall a little below 0. Against that
 * estimate stands a shuffled-surrogate baseline: the partner actions are permuted within the
 * window ({@code surrogates} times, from a stream seeded by {@code seed}, so a window gives the
 * same answer each time), which keeps every marginal and destroys the dependence on partners; the
 * report gives the surrogates' mean, the excess (corrected estimate − surrogate mean) and the
 * one-sided p = (1 + #{surrogate ≥ estimate}) / (1 + surrogates).
 *
 * <p>Incremental: one accumulator per window, {@link #add} per tuple, {@link #result} at the
 * window's end (it may be called at any time). Memory: 3 ints per tuple.
 */
public final class InformationFlow {
  /** Enough surrogates for a p-value down to 1/201. */
  public static final int DEFAULT_SURROGATES = 200;
  /** Actions are ids below 2^21, so that three fit in one long key. */
  static final int ACTION_BITS = 21;

  private final int surrogates;
  private final long seed;
  private int[] actions = new int[64];
  private int[] partnerPrevious = new int[64];
  private int[] ownPrevious = new int[64];
  private int size;

  public InformationFlow(int surrogates, long seed) {
    if (surrogates < 0) {
      throw new IllegalArgumentException("surrogates: expected >= 0, got " + surrogates);
    }
    this.surrogates = surrogates;
    this.seed = seed;
  }

  /** One estimate: plug-in, Miller–Madow corrected, and against shuffled partners. */
  public record Estimate(double plugInBits, double correctedBits, double surrogateMeanBits, double excessBits,
                         double pValue) {
  }

  /** The window's estimates; with no tuples both are 0 with p = 1. */
  public record Result(int samples, Estimate mutualInformation, Estimate transferEntropy) {
  }

  /** Adds one tuple: the agent's action, its partner's previous action, its own previous action. */
  public void add(int action, int partnerPreviousAction, int agentPreviousAction) {
    check("action", action);
    check("partnerPreviousAction", partnerPreviousAction);
    check("agentPreviousAction", agentPreviousAction);
    if (size == actions.length) {
      actions = Arrays.copyOf(actions, size * 2);
      partnerPrevious = Arrays.copyOf(partnerPrevious, size * 2);
      ownPrevious = Arrays.copyOf(ownPrevious, size * 2);
    }
    actions[size] = action;
    partnerPrevious[size] = partnerPreviousAction;
    ownPrevious[size] = agentPreviousAction;
    size++;
  }

  private static void check(String field, int value) {
    if (value < 0 || value >= 1 << ACTION_BITS) {
      throw new IllegalArgumentException(field + ": expected an action id in [0, 2^" + ACTION_BITS + "), got " + value);
    }
  }

  public int size() {
    return size;
  }

  public Result result() {
    if (size == 0) {
      Estimate none = new Estimate(0, 0, surrogates == 0 ? Double.NaN : 0, surrogates == 0 ? Double.NaN : 0, 1);
      return new Result(0, none, none);
    }
    int[] partners = Arrays.copyOf(partnerPrevious, size);
    int base = alphabet();
    // H(A), H(P), H(A') and H(A,A') do not change when P is shuffled: computed once.
    double[] hA = entropy(base, actions, null, null);
    double[] hP = entropy(base, partners, null, null);
    double[] hOwn = entropy(base, ownPrevious, null, null);
    double[] hAOwn = entropy(base, actions, ownPrevious, null);
    double[][] dependent = dependentTerms(base, partners);
    double[] mi = new double[2];
    double[] te = new double[2];
    for (int k = 0; k < 2; k++) {
      mi[k] = hA[k] + hP[k] - dependent[0][k];
      te[k] = hAOwn[k] + dependent[1][k] - dependent[2][k] - hOwn[k];
    }
    SplittableRandom random = new SplittableRandom(seed);
    double miSum = 0;
    double teSum = 0;
    int miAbove = 0;
    int teAbove = 0;
    for (int s = 0; s < surrogates; s++) {
      shuffle(partners, random);
      double[][] shuffled = dependentTerms(base, partners);
      double surrogateMi = hA[1] + hP[1] - shuffled[0][1];
      double surrogateTe = hAOwn[1] + shuffled[1][1] - shuffled[2][1] - hOwn[1];
      miSum += surrogateMi;
      teSum += surrogateTe;
      miAbove += surrogateMi >= mi[1] ? 1 : 0;
      teAbove += surrogateTe >= te[1] ? 1 : 0;
    }
    return new Result(size, estimate(mi, miSum, miAbove), estimate(te, teSum, teAbove));
  }

  private Estimate estimate(double[] value, double surrogateSum, int above) {
    if (surrogates == 0) {
      return new Estimate(value[0], value[1], Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = surrogateSum / surrogates;
    return new Estimate(value[0], value[1], mean, value[1] - mean, (1.0 + above) / (1.0 + surrogates));
  }

  /** {H(A,P), H(P,A'), H(A,P,A')}, each as {plug-in, Miller–Madow}. */
  private double[][] dependentTerms(int base, int[] partners) {
    return new double[][] {entropy(base, actions, partners, null), entropy(base, partners, ownPrevious, null),
        entropy(base, actions, partners, ownPrevious)};
  }

  /**
   * {plug-in, Miller–Madow} entropy in bits of the joint outcome of up to three actions per tuple:
   * counted in a dense table over ids below {@code base} when that table is small, else by
   * sorting packed keys.
   */
  private double[] entropy(int base, int[] first, int[] second, int[] third) {
    int dimensions = 1 + (second == null ? 0 : 1) + (third == null ? 0 : 1);
    long cells = 1;
    for (int d = 0; d < dimensions; d++) {
      cells *= base;
    }
    if (cells <= 4L * size + 1024) {
      int[] counts = new int[(int) cells];
      for (int i = 0; i < size; i++) {
        int cell = first[i];
        cell = second == null ? cell : cell * base + second[i];
        cell = third == null ? cell : cell * base + third[i];
        counts[cell]++;
      }
      return bits(counts, counts.length);
    }
    long[] keys = new long[size];
    for (int i = 0; i < size; i++) {
      long key = first[i];
      key = (key << ACTION_BITS) | (second == null ? 0 : second[i]);
      key = (key << ACTION_BITS) | (third == null ? 0 : third[i]);
      keys[i] = key;
    }
    Arrays.sort(keys);
    int[] counts = new int[size];
    int categories = 0;
    for (int i = 0; i < size; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        categories++;
      }
      counts[categories - 1]++;
    }
    return bits(counts, categories);
  }

  private static double[] bits(int[] counts, int length) {
    return new double[] {Entropy.plugInBits(counts, length), Entropy.millerMadowBits(counts, length)};
  }

  /** One more than the largest action id seen (the partner column is only ever permuted). */
  private int alphabet() {
    int max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, Math.max(actions[i], Math.max(partnerPrevious[i], ownPrevious[i])));
    }
    return max + 1;
  }

  /** Fisher–Yates. */
  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
