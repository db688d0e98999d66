package dev.norma.agents;

import java.util.Arrays;

/**
 * One agent's commitments over a run when interventions change them: from which interaction index
 * on it is committed to which word, and from which on it is an ordinary agent again. Immutable,
 * made by the study plan from the spec alone, so every node and the plain loop hold the same one
 * and nothing of it needs saving with the agent.
 */
public final class Commitments {
  /** The word of a stretch in which the agent is not committed. */
  public static final int NONE = -1;
  private final long[] from;
  private final int[] words;

  /**
   * @param from  the indices at which each stretch starts, increasing
   * @param words the word committed to in each stretch, or {@link #NONE}
   */
  public Commitments(long[] from, int[] words) {
    if (from.length != words.length) {
      throw new IllegalArgumentException("one word per stretch: " + from.length + " starts, " + words.length + " words");
    }
    for (int i = 1; i < from.length; i++) {
      if (from[i] < from[i - 1]) {
        throw new IllegalArgumentException("stretches out of order: " + Arrays.toString(from));
      }
    }
    this.from = from.clone();
    this.words = words.clone();
  }

  /** The word the agent is committed to when it plays interaction {@code index}, or {@link #NONE}. */
  public int wordAt(long index) {
    int word = NONE;
    for (int i = 0; i < from.length && from[i] <= index; i++) {
      word = words[i];
    }
    return word;
  }

  @Override
  public String toString() {
    return "Commitments" + Arrays.toString(from) + Arrays.toString(words);
  }
}
