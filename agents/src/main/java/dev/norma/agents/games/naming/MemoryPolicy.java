package dev.norma.agents.games.naming;

import java.util.Arrays;

/**
 * A model of an LLM player of the naming game that decides only from what the LLM would see:
 * its last H interactions and their payoffs. It is a model, not an LLM: it scores each name by
 * how often the partner played it in the remembered window (the name that would have paid) and
 * picks by a softmax at the given temperature, weighted by an optional prior bias over names:
 *
 * <pre>P(w) ∝ bias(w) · exp(f(w) / T),   f(w) = (# remembered partner choices equal to w) / H</pre>
 *
 * With an empty window it picks by the bias alone (uniform by default); at {@code T = 0} it is a
 * best response to the remembered partners, ties broken by the bias. Work per decision is
 * O(H), not O(pool size): names absent from the window share one weight mass.
 */
public final class MemoryPolicy implements NamingPolicy {
  private final int poolSize;
  private final double temperature;
  private final double[] bias;
  private final double[] cumulativeBias;
  private final boolean uniformBias;
  /** The word ids it may choose, increasing. */
  private final int[] offered;

  /**
   * @param poolSize    W, the number of names
   * @param temperature softmax temperature, 0 for best response
   * @param bias        prior weight per name (length W, positive), or null for uniform
   */
  public MemoryPolicy(int poolSize, double temperature, double[] bias) {
    this(poolSize, temperature, bias, null);
  }

  /**
   * A policy that chooses only among some of the names (the names a phase of the game offers):
   * the others weigh nothing, and a window holding none of them is what it decides from.
   *
   * @param offered the word ids it may choose, or null for all W
   */
  public MemoryPolicy(int poolSize, double temperature, double[] bias, int[] offered) {
    this.poolSize = poolSize;
    this.temperature = temperature;
    this.bias = bias == null ? filled(poolSize) : bias.clone();
    if (this.bias.length != poolSize) {
      throw new IllegalArgumentException("bias has " + this.bias.length + " weights for " + poolSize + " names");
    }
    this.offered = offered == null ? null : java.util.Arrays.stream(offered).sorted().toArray();
    if (this.offered != null) {
      double[] kept = new double[poolSize];
      for (int w : this.offered) {
        kept[w] = this.bias[w];
      }
      System.arraycopy(kept, 0, this.bias, 0, poolSize);
    }
    this.cumulativeBias = new double[poolSize];
    double sum = 0;
    boolean uniform = true;
    double first = this.bias[this.offered == null ? 0 : this.offered[0]];
    for (int i = 0; i < poolSize; i++) {
      sum += this.bias[i];
      cumulativeBias[i] = sum;
      uniform &= this.bias[i] == first || (this.offered != null && this.bias[i] == 0);
    }
    this.uniformBias = uniform;
  }

  private static double[] filled(int n) {
    double[] a = new double[n];
    Arrays.fill(a, 1.0);
    return a;
  }

  @Override
  public int choose(NamingMind mind) {
    int remembered = mind.remembered();
    if (remembered == 0) {
      return drawByBias(mind);
    }
    // Distinct partner choices in the window and their counts (at most H of them).
    int[] seen = new int[remembered];
    int[] counts = new int[remembered];
    int distinct = 0;
    for (int i = 0; i < remembered; i++) {
      int w = mind.partnerChoice(i);
      int j = 0;
      while (j < distinct && seen[j] != w) {
        j++;
      }
      if (j == distinct) {
        seen[distinct++] = w;
      }
      counts[j]++;
    }
    double window = mind.capacity();
    if (temperature == 0) {
      return bestResponse(mind, seen, counts, distinct);
    }
    // Weights are scaled by exp(-maxCount / (H T)) so that none overflows at low temperature.
    int maxCount = 0;
    for (int j = 0; j < distinct; j++) {
      maxCount = Math.max(maxCount, counts[j]);
    }
    double[] weights = new double[distinct];
    double seenMass = 0;
    double seenBias = 0;
    for (int j = 0; j < distinct; j++) {
      weights[j] = bias[seen[j]] * Math.exp((counts[j] - maxCount) / window / temperature);
      seenMass += weights[j];
      seenBias += bias[seen[j]];
    }
    double restMass = Math.max(0, cumulativeBias[poolSize - 1] - seenBias)
        * Math.exp(-maxCount / window / temperature);
    double r = mind.nextDouble() * (seenMass + restMass);
    for (int j = 0; j < distinct; j++) {
      r -= weights[j];
      if (r < 0) {
        return seen[j];
      }
    }
    if (restMass <= 0) {
      return seen[distinct - 1];
    }
    return drawByBiasExcluding(mind, seen, distinct);
  }

  private int bestResponse(NamingMind mind, int[] seen, int[] counts, int distinct) {
    int best = 0;
    for (int j = 1; j < distinct; j++) {
      if (counts[j] > counts[best]) {
        best = j;
      }
    }
    // Ties among the most-played names are broken by the prior bias.
    double tieMass = 0;
    for (int j = 0; j < distinct; j++) {
      if (counts[j] == counts[best]) {
        tieMass += bias[seen[j]];
      }
    }
    double r = mind.nextDouble() * tieMass;
    for (int j = 0; j < distinct; j++) {
      if (counts[j] == counts[best]) {
        r -= bias[seen[j]];
        if (r < 0) {
          return seen[j];
        }
      }
    }
    return seen[best];
  }

  private int drawByBias(NamingMind mind) {
    if (uniformBias) {
      return offered == null ? mind.nextInt(poolSize) : offered[mind.nextInt(offered.length)];
    }
    double r = mind.nextDouble() * cumulativeBias[poolSize - 1];
    int i = Arrays.binarySearch(cumulativeBias, r);
    i = i >= 0 ? i + 1 : -i - 1;
    i = Math.min(i, poolSize - 1);
    while (bias[i] == 0 && i + 1 < poolSize) {
      i++; // a name not offered weighs nothing: never drawn
    }
    return i;
  }

  /** A draw by bias among the names not in {@code seen} (rejection: the window is small). */
  private int drawByBiasExcluding(NamingMind mind, int[] seen, int distinct) {
    while (true) {
      int w = drawByBias(mind);
      boolean excluded = false;
      for (int j = 0; j < distinct; j++) {
        excluded |= seen[j] == w;
      }
      if (!excluded) {
        return w;
      }
    }
  }

  public double temperature() {
    return temperature;
  }
}
