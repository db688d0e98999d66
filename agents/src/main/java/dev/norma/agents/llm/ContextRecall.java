package dev.norma.agents.llm;

/**
 * What a language-model agent's mind keeps for its context window besides the ring of encounters
 * it remembers: how many encounters it has remembered in all, so that its ring's lines have
 * numbers over its whole past ({@link ContextWindow#show}'s {@code firstNumber}), and its
 * {@link Recollection} of those that left its window ({@code policy.llm.contextOverflow:
 * summarise}; empty otherwise). Part of the mind's saved state ({@link #save} / {@link #restore}).
 * Mutable; owned by one mind.
 */
public final class ContextRecall {
  private long encounters;
  private final Recollection recollection = new Recollection();

  /** Counts one more encounter remembered. */
  public void remembered() {
    encounters++;
  }

  /** How many encounters the agent has remembered in all. */
  public long encounters() {
    return encounters;
  }

  /** The number (from 0) of the oldest of the newest {@code ringSize} encounters remembered. */
  public long firstNumber(int ringSize) {
    return encounters - ringSize;
  }

  public Recollection recollection() {
    return recollection;
  }

  /** Ints that hold it: {@code [encounters (two ints), recollection...]}. */
  public int[] save() {
    int[] summary = recollection.save();
    int[] saved = new int[2 + summary.length];
    saved[0] = (int) (encounters >>> 32);
    saved[1] = (int) encounters;
    System.arraycopy(summary, 0, saved, 2, summary.length);
    return saved;
  }

  /** How many ints {@link #save} gave, read from {@code saved} at {@code from}. */
  public static int savedLength(int[] saved, int from) {
    return 2 + Recollection.savedLength(saved, from + 2);
  }

  /** Takes back what {@link #save} gave, found in {@code saved} at {@code from}. */
  public void restore(int[] saved, int from) {
    encounters = (long) saved[from] << 32 | (saved[from + 1] & 0xFFFF_FFFFL);
    recollection.restore(saved, from + 2);
  }

  /**
   * The most heap one recall may take, with compressed references: itself and its recollection
   * (56 bytes), and a summary of at most half of {@code contextTokens} (two characters a byte
   * pair, four characters a token) when {@code summarise} is on; none for a mind without one.
   */
  public static long bytes(dev.norma.protocols.spec.LlmPolicySpec llm) {
    boolean summarise = dev.norma.protocols.spec.LlmPolicySpec.SUMMARISE.equals(llm.contextOverflow())
        && llm.contextTokens() != null;
    long text = summarise ? 24 + 16 + ((long) llm.contextTokens() / 2 * ContextWindow.CHARS_PER_TOKEN * 2 + 7) / 8 * 8
        : 0;
    return 56 + text;
  }
}
