package dev.norma.protocols.journal;

import java.util.Arrays;

/**
 * A mind's whole state as plain numbers, for snapshots: {@link Mind#restore} of it on a fresh mind
 * of the same agent gives back the mind it was taken from, random stream included.
 *
 * @param randomState        the position of the agent's random stream
 * @param committedFromIndex from which interaction on the agent is committed
 * @param contents           what the game keeps (context window or inventory), in the mind's own layout
 */
public record MindState(long randomState, long committedFromIndex, int[] contents) {

  @Override
  public boolean equals(Object other) {
    return other instanceof MindState s && s.randomState == randomState
        && s.committedFromIndex == committedFromIndex && Arrays.equals(s.contents, contents);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(randomState) * 31 + Arrays.hashCode(contents);
  }

  @Override
  public String toString() {
    return "MindState[" + randomState + ", " + committedFromIndex + ", " + Arrays.toString(contents) + "]";
  }
}
