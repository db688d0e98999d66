package dev.norma.agents.games.naming;

import dev.norma.agents.Mind;

/**
 * A naming-game agent's context window: its last H interactions, oldest first, each packed into
 * one int (own choice in the high half, partner's choice in the low half; the payoff follows from
 * whether they match). About 60 bytes for H = 5.
 */
public final class NamingMind extends Mind {
  private final int[] window;
  private int start;
  private int size;

  NamingMind(int id, long runSeed, int memory) {
    super(id, runSeed);
    this.window = new int[memory];
  }

  void remember(int own, int partner) {
    int packed = (own << 16) | (partner & 0xFFFF);
    if (size < window.length) {
      window[(start + size) % window.length] = packed;
      size++;
    } else {
      window[start] = packed;
      start = (start + 1) % window.length;
    }
  }

  /** {@code [start, size, window...]}. */
  @Override
  protected int[] contents() {
    int[] contents = new int[2 + window.length];
    contents[0] = start;
    contents[1] = size;
    System.arraycopy(window, 0, contents, 2, window.length);
    return contents;
  }

  @Override
  protected void restoreContents(int[] contents) {
    if (contents.length != 2 + window.length) {
      throw new IllegalArgumentException("a context window of " + (contents.length - 2)
          + " interactions does not fit a memory of " + window.length);
    }
    start = contents[0];
    size = contents[1];
    System.arraycopy(contents, 2, window, 0, window.length);
  }

  /** Renames every remembered word w to {@code map[w]} (a relabel intervention; idempotent). */
  void relabel(int[] map) {
    for (int i = 0; i < size; i++) {
      int at = (start + i) % window.length;
      int own = window[at] >>> 16;
      int partner = window[at] & 0xFFFF;
      window[at] = (map[own] << 16) | (map[partner] & 0xFFFF);
    }
  }

  /** Number of remembered interactions (at most H). */
  public int remembered() {
    return size;
  }

  public int capacity() {
    return window.length;
  }

  /** Own choice in the {@code i}-th remembered interaction, oldest first. */
  public int ownChoice(int i) {
    return window[(start + i) % window.length] >>> 16;
  }

  /** Partner's choice in the {@code i}-th remembered interaction, oldest first. */
  public int partnerChoice(int i) {
    return window[(start + i) % window.length] & 0xFFFF;
  }

  /** Whether it remembers H interactions, each a success on {@code word}. */
  boolean agreedOn(int word) {
    if (size < window.length) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (ownChoice(i) != word || partnerChoice(i) != word) {
        return false;
      }
    }
    return true;
  }

  public boolean succeeded(int i) {
    return ownChoice(i) == partnerChoice(i);
  }
}
