package dev.norma.agents.game;

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

  public boolean succeeded(int i) {
    return ownChoice(i) == partnerChoice(i);
  }
}
