package dev.norma.agents.games.higherorder;

import dev.norma.agents.Mind;

/**
 * An agent of the two-convention naming game: it knows convention A, convention B, or both (the
 * undecided state AB). Kept as a two-bit set so a population of millions stays small.
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

  ConventionMind(int id, long runSeed, int initialConvention) {
    super(id, runSeed);
    this.known = bit(initialConvention);
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

  @Override
  protected int[] contents() {
    return new int[] {known};
  }

  @Override
  protected void restoreContents(int[] contents) {
    if (contents.length != 1 || contents[0] < KNOWS_A || contents[0] > KNOWS_BOTH) {
      throw new IllegalArgumentException("not a convention mind's contents");
    }
    known = contents[0];
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
