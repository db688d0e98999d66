package dev.norma.agents.llm;

import java.util.Arrays;

/**
 * What an agent recalls of the encounters that left its context window, in its own model's words
 * ({@code policy.llm.contextOverflow: summarise}): a summary text and how many of its encounters,
 * counted from its first, the summary covers. Part of the agent's saved state
 * ({@link #save} / {@link #restore}), so it survives a mind lent by state and replays from the
 * call journal. Empty ({@code covered} 0, no text) until the first summary. Mutable; owned by one
 * mind.
 */
public final class Recollection {
  private String text = "";
  private long covered;

  /** The summary, empty when there is none. */
  public String text() {
    return text;
  }

  /** How many of the agent's encounters, from its first, the summary covers. */
  public long covered() {
    return covered;
  }

  /** Takes a new summary covering the agent's first {@code covered} encounters. */
  public void update(String text, long covered) {
    if (covered < this.covered) {
      throw new IllegalArgumentException("a summary covers " + this.covered + " encounters already, not " + covered);
    }
    this.text = text;
    this.covered = covered;
  }

  /** Ints that hold it: {@code [covered (two ints), length, code units...]}. */
  public int[] save() {
    int[] saved = new int[3 + text.length()];
    saved[0] = (int) (covered >>> 32);
    saved[1] = (int) covered;
    saved[2] = text.length();
    for (int i = 0; i < text.length(); i++) {
      saved[3 + i] = text.charAt(i);
    }
    return saved;
  }

  /** How many ints {@link #save} gave, read from {@code saved} at {@code from}. */
  public static int savedLength(int[] saved, int from) {
    return 3 + saved[from + 2];
  }

  /** Takes back what {@link #save} gave, found in {@code saved} at {@code from}. */
  public void restore(int[] saved, int from) {
    covered = (long) saved[from] << 32 | (saved[from + 1] & 0xFFFF_FFFFL);
    char[] chars = new char[saved[from + 2]];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) saved[from + 3 + i];
    }
    text = new String(chars);
  }

  @Override
  public String toString() {
    return "Recollection[covered=" + covered + ", text=" + text + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Recollection r && r.covered == covered && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {text, covered});
  }
}
