package dev.norma.agents.games.ultimatum;

import dev.norma.agents.Mind;
import dev.norma.agents.llm.ContextRecall;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * An ultimatum-game agent: its strategy (the offer p it makes as proposer, the threshold q under
 * which it rejects as responder, both in grid steps of {@link UltimatumGame#SUM}), a bounded
 * memory of its last encounters and the payoff it earned since its last strategy revision.
 *
 * <p>Each remembered encounter is packed into one int: the offer in the low seven bits, whether
 * it was accepted in bit 7, whether this agent proposed in bit 8. The memory keeps the newest
 * {@code memory} encounters, oldest first.
 *
 * <p>Under the language-model policy it also keeps a {@link ContextRecall}: how many encounters it
 * has remembered in all, and its summary of those that left its prompts' context window. A
 * rule-based mind keeps none, and its saved contents are as before.
 */
public final class UltimatumMind extends Mind {
  private static final int OFFER_BITS = 0x7F;
  private static final int ACCEPTED_BIT = 1 << 7;
  private static final int PROPOSED_BIT = 1 << 8;
  /** Numbers in {@link #contents()} before the memory. */
  private static final int HEADER = 8;

  private int offer;
  private int threshold;
  private final int[] window;
  private int start;
  private int size;
  /** Payoff (grid steps) and encounters since the last revision, indexed by role ordinal. */
  private final int[] payoffSinceRevision = new int[2];
  private final int[] encountersSinceRevision = new int[2];
  /** Null under rules. */
  private ContextRecall recall;

  UltimatumMind(int id, long runSeed, int memory) {
    super(id, runSeed);
    this.window = new int[memory];
  }

  /** This fresh mind, keeping a {@link ContextRecall} for its prompts from now on. */
  UltimatumMind recalling() {
    if (recall != null) {
      throw new IllegalStateException("the mind already keeps a recall");
    }
    recall = new ContextRecall();
    return this;
  }

  /** What the mind keeps for its prompts' context window; null under rules. */
  ContextRecall recall() {
    return recall;
  }

  /** The role an agent played in an encounter. */
  public enum Role {
    PROPOSER, RESPONDER
  }

  /** p: what this agent offers as proposer when it knows nothing of the responder. */
  public int offer() {
    return offer;
  }

  /** q: the lowest offer this agent accepts as responder. */
  public int threshold() {
    return threshold;
  }

  public Strategy strategy() {
    return new Strategy(offer, threshold);
  }

  void adopt(Strategy strategy) {
    this.offer = strategy.offer();
    this.threshold = strategy.threshold();
  }

  /** Adds an encounter to the memory and its payoff to what was earned since the last revision. */
  void remember(Role role, int offerMade, boolean accepted, int payoff) {
    int packed = offerMade | (accepted ? ACCEPTED_BIT : 0) | (role == Role.PROPOSER ? PROPOSED_BIT : 0);
    if (size < window.length) {
      window[(start + size) % window.length] = packed;
      size++;
    } else {
      window[start] = packed;
      start = (start + 1) % window.length;
    }
    payoffSinceRevision[role.ordinal()] += payoff;
    encountersSinceRevision[role.ordinal()]++;
    if (recall != null) {
      recall.remembered();
    }
  }

  /** Starts a new payoff account, as a revision does. */
  void closeAccount() {
    Arrays.fill(payoffSinceRevision, 0);
    Arrays.fill(encountersSinceRevision, 0);
  }

  /** Number of remembered encounters (at most the memory). */
  public int remembered() {
    return size;
  }

  public int capacity() {
    return window.length;
  }

  /** The role this agent played in the {@code i}-th remembered encounter, oldest first. */
  public Role role(int i) {
    return (packed(i) & PROPOSED_BIT) != 0 ? Role.PROPOSER : Role.RESPONDER;
  }

  /** The offer made in the {@code i}-th remembered encounter, by whichever side proposed. */
  public int offerIn(int i) {
    return packed(i) & OFFER_BITS;
  }

  public boolean acceptedIn(int i) {
    return (packed(i) & ACCEPTED_BIT) != 0;
  }

  private int packed(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("encounter " + i + " of " + size);
    }
    return window[(start + i) % window.length];
  }

  /**
   * The lowest offer this agent accepted as responder among the encounters it remembers: what a
   * proposer may learn of it when reputation is on. Empty when it remembers no acceptance.
   */
  public OptionalInt lowestAcceptedOffer() {
    int lowest = Integer.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      if (role(i) == Role.RESPONDER && acceptedIn(i)) {
        lowest = Math.min(lowest, offerIn(i));
      }
    }
    return lowest == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(lowest);
  }

  /** Total payoff, in grid steps, earned in {@code role} since the last revision. */
  public int payoffSinceRevision(Role role) {
    return payoffSinceRevision[role.ordinal()];
  }

  public int encountersSinceRevision(Role role) {
    return encountersSinceRevision[role.ordinal()];
  }

  /**
   * The payoff the imitation rule compares: the mean payoff per encounter as proposer and the
   * mean payoff per encounter as responder since the last revision, averaged with equal weights,
   * as a fraction of the sum. A role not played since counts as 0.
   *
   * <p>Equal weights because a strategy is judged as NPS judge it, playing both roles equally
   * often. A plain mean over encounters would also measure how often the schedule happened to
   * make the agent propose: over 20 encounters the share of proposals varies by ±0.11, which at a
   * low offer moves the payoff by about 0.08 of the sum and drowns the differences of a few
   * hundredths that selection acts on.
   */
  public double meanPayoff() {
    return (roleMean(Role.PROPOSER) + roleMean(Role.RESPONDER)) / 2;
  }

  private double roleMean(Role role) {
    int encounters = encountersSinceRevision[role.ordinal()];
    return encounters == 0 ? 0 : payoffSinceRevision[role.ordinal()] / (double) (encounters * UltimatumGame.SUM);
  }

  /**
   * {@code [offer, threshold, proposer payoff, proposer encounters, responder payoff, responder
   * encounters, start, size, window...]}, then under the language-model policy its
   * {@link ContextRecall#save()}.
   */
  @Override
  protected int[] contents() {
    int[] recalled = recall == null ? new int[0] : recall.save();
    int[] contents = new int[HEADER + window.length + recalled.length];
    contents[0] = offer;
    contents[1] = threshold;
    contents[2] = payoffSinceRevision[Role.PROPOSER.ordinal()];
    contents[3] = encountersSinceRevision[Role.PROPOSER.ordinal()];
    contents[4] = payoffSinceRevision[Role.RESPONDER.ordinal()];
    contents[5] = encountersSinceRevision[Role.RESPONDER.ordinal()];
    contents[6] = start;
    contents[7] = size;
    System.arraycopy(window, 0, contents, HEADER, window.length);
    System.arraycopy(recalled, 0, contents, HEADER + window.length, recalled.length);
    return contents;
  }

  @Override
  protected void restoreContents(int[] contents) {
    int recallAt = HEADER + window.length;
    if (recall == null ? contents.length != recallAt : !holdsRecall(contents, recallAt)) {
      throw new IllegalArgumentException("contents of " + contents.length + " numbers do not fit a memory of "
          + window.length + " encounters" + (recall == null ? "" : " and a recall"));
    }
    offer = contents[0];
    threshold = contents[1];
    payoffSinceRevision[Role.PROPOSER.ordinal()] = contents[2];
    encountersSinceRevision[Role.PROPOSER.ordinal()] = contents[3];
    payoffSinceRevision[Role.RESPONDER.ordinal()] = contents[4];
    encountersSinceRevision[Role.RESPONDER.ordinal()] = contents[5];
    start = contents[6];
    size = contents[7];
    System.arraycopy(contents, HEADER, window, 0, window.length);
    if (recall != null) {
      recall.restore(contents, recallAt);
    }
  }

  private static boolean holdsRecall(int[] contents, int from) {
    // A recall saves at least its count (two ints) and its summary's covered count and length (three).
    return contents.length >= from + 5 && contents.length == from + ContextRecall.savedLength(contents, from);
  }

  /**
   * A strategy (p, q) in grid steps.
   *
   * @param offer     p, what the agent offers as proposer
   * @param threshold q, the lowest offer it accepts as responder
   */
  public record Strategy(int offer, int threshold) {
    public Strategy {
      if (offer < 0 || offer > UltimatumGame.SUM || threshold < 0 || threshold > UltimatumGame.SUM) {
        throw new IllegalArgumentException("offer and threshold must lie in [0, " + UltimatumGame.SUM + "]: "
            + offer + ", " + threshold);
      }
    }
  }
}
