package dev.norma.agents.games.higherorder;

import dev.norma.agents.Mind;
import dev.norma.agents.llm.ContextRecall;

/**
 * An agent of the two-convention naming game: it knows convention A, convention B, or both (the
 * undecided state AB). Kept as a two-bit set so a population of millions stays small.
 *
 * <p>Under the language-model policy it also remembers its last encounters ({@link
 * EncounterMemory}), which its prompts show, with its summary of older ones; a rule-based agent remembers none, and its saved
 * contents are the two bits alone, as before.
 */
public final class ConventionMind extends Mind {
  /** The committed minority's convention. */
  public static final int A = 0;
  /** The majority's initial convention. */
  public static final int B = 1;
  /** The state of an agent that knows both conventions, as {@link #state()} gives it. */
  public static final int AB = 2;

  private static final int KNOWS_A = 1;
  private static final int KNOWS_B = 2;
  private static final int KNOWS_BOTH = KNOWS_A | KNOWS_B;

  private int known;
  /** Null under rules: nothing remembered, and no room taken. */
  private EncounterMemory memory;

  ConventionMind(int id, long runSeed, int initialConvention) {
    super(id, runSeed);
    this.known = bit(initialConvention);
  }

  /** This fresh mind, remembering its last {@code capacity} encounters from now on (0: none). */
  ConventionMind remembering(int capacity) {
    if (memory != null) {
      throw new IllegalStateException("the mind already has a memory");
    }
    memory = capacity == 0 ? null : new EncounterMemory(capacity);
    return this;
  }

  private static int bit(int convention) {
    if (convention != A && convention != B) {
      throw new IllegalArgumentException("a convention is A (0) or B (1), not " + convention);
    }
    return convention == A ? KNOWS_A : KNOWS_B;
  }

  public boolean knows(int convention) {
    return (known & bit(convention)) != 0;
  }

  /** Whether the agent knows both conventions (state AB). */
  public boolean undecided() {
    return known == KNOWS_BOTH;
  }

  /** What the agent knows: {@link #A} only, {@link #B} only, or both ({@link #AB}). */
  public int state() {
    return undecided() ? AB : soleWord();
  }

  @Override
  public int inventorySize() {
    return undecided() ? 2 : 1;
  }

  @Override
  public int soleWord() {
    return switch (known) {
      case KNOWS_A -> A;
      case KNOWS_B -> B;
      default -> -1;
    };
  }

  /**
   * What it knows; with a memory, then the number of remembered encounters, each of them packed
   * ({@link EncounterMemory}), oldest first, and its {@link ContextRecall#save()}.
   */
  @Override
  protected int[] contents() {
    if (memory == null) {
      return new int[] {known};
    }
    int[] recalled = memory.recall().save();
    int[] contents = new int[2 + memory.size() + recalled.length];
    contents[0] = known;
    contents[1] = memory.size();
    memory.writeTo(contents, 2);
    System.arraycopy(recalled, 0, contents, 2 + memory.size(), recalled.length);
    return contents;
  }

  @Override
  protected void restoreContents(int[] contents) {
    boolean fits = memory == null ? contents.length == 1 : holdsMemory(contents);
    if (!fits || contents[0] < KNOWS_A || contents[0] > KNOWS_BOTH) {
      throw new IllegalArgumentException("not a convention mind's contents");
    }
    known = contents[0];
    if (memory != null) {
      memory.readFrom(contents, 2, contents[1]);
      memory.recall().restore(contents, 2 + contents[1]);
    }
  }

  private static boolean holdsMemory(int[] contents) {
    // A recall saves at least its count (two ints) and its summary's covered count and length (three).
    int recallAt = contents.length >= 2 && contents[1] >= 0 ? 2 + contents[1] : Integer.MAX_VALUE;
    return contents.length >= recallAt + 5L && contents.length == recallAt + ContextRecall.savedLength(contents, recallAt);
  }

  /** What the mind keeps for its prompts' context window; null under rules. */
  ContextRecall recall() {
    return memory == null ? null : memory.recall();
  }

  /** Encounters remembered, at most the memory's capacity (0 under rules). */
  public int remembered() {
    return memory == null ? 0 : memory.size();
  }

  /** The {@code i}-th remembered encounter, oldest first. */
  EncounterMemory.Entry rememberedEncounter(int i) {
    if (memory == null) {
      throw new IndexOutOfBoundsException("encounter " + i + " of 0");
    }
    return memory.get(i);
  }

  /** Remembers an encounter, if the mind has a memory. */
  void remember(boolean spoke, int said, boolean agreed) {
    if (memory != null) {
      memory.remember(spoke, said, agreed);
    }
  }

  /** Adds {@code convention} to what the agent knows (A→AB or B→AB; no change if known). */
  void learn(int convention) {
    known |= bit(convention);
  }

  /** Forgets everything but {@code convention}. */
  void collapseTo(int convention) {
    known = bit(convention);
  }
}
