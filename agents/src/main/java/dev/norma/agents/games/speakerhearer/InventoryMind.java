package dev.norma.agents.games.speakerhearer;

import dev.norma.agents.Mind;
import java.util.Arrays;

/** A speaker–hearer agent's inventory of names: a small unordered set of word ids. */
public final class InventoryMind extends Mind {
  private static final int[] EMPTY = new int[0];
  private int[] words = EMPTY;
  private int size;

  InventoryMind(int id, long runSeed) {
    super(id, runSeed);
  }

  @Override
  public int inventorySize() {
    return size;
  }

  @Override
  public int soleWord() {
    return size == 1 ? words[0] : -1;
  }

  /** The words held. */
  @Override
  protected int[] contents() {
    return Arrays.copyOf(words, size);
  }

  @Override
  protected void restoreContents(int[] contents) {
    words = contents.length == 0 ? EMPTY : contents.clone();
    size = contents.length;
  }

  public int word(int i) {
    return words[i];
  }

  public boolean holds(int word) {
    for (int i = 0; i < size; i++) {
      if (words[i] == word) {
        return true;
      }
    }
    return false;
  }

  void add(int word) {
    if (size == words.length) {
      words = Arrays.copyOf(words, Math.max(2, size * 2));
    }
    words[size++] = word;
  }

  /** Drops every word but {@code word}. */
  void collapseTo(int word) {
    if (words.length == 0) {
      words = new int[1];
    }
    words[0] = word;
    size = 1;
  }
}
