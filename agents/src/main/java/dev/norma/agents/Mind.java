package dev.norma.agents;

import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.record.InteractionRecord;

/**
 * One agent's private state: what its game keeps (context window or inventory), whether it is
 * committed, and its own random stream. The stream is derived from the run seed and the agent id,
 * so an agent decides the same way whichever thread, node or order runs it.
 *
 * <p>The random stream is SplitMix64 kept inline (one {@code long}) rather than a
 * {@link java.util.SplittableRandom} object: a study may hold millions of idle agents.
 */
public abstract class Mind {
  private final int id;
  private long randomState;
  private long committedFromIndex = Long.MAX_VALUE;
  /**
   * This agent's commitments when interventions change them (then they decide, not
   * {@link #committedFromIndex}); null for every other agent. Made from the spec, never saved.
   */
  private Commitments commitments;

  protected Mind(int id, long runSeed) {
    this.id = id;
    this.randomState = Streams.seedFor(runSeed, id);
  }

  public final int id() {
    return id;
  }

  /** Whether this agent is committed when it plays interaction {@code index}. */
  public final boolean committedAt(long index) {
    return commitments == null ? index >= committedFromIndex : commitments.wordAt(index) != Commitments.NONE;
  }

  /**
   * The word this agent is committed to when it plays interaction {@code index}, or -1 when it is
   * not committed then.
   *
   * @param minorityWord the word of the study's committed minority (what {@link #commitFrom} commits to)
   */
  public final int committedWordAt(long index, int minorityWord) {
    if (commitments == null) {
      return index >= committedFromIndex ? minorityWord : Commitments.NONE;
    }
    return commitments.wordAt(index);
  }

  /** Lets interventions decide this agent's commitments from now on (the study plan calls it on a new mind). */
  public final void followCommitments(Commitments changed) {
    this.commitments = changed;
  }

  /** From which interaction index on this agent is committed ({@code Long.MAX_VALUE}: never). */
  public final long committedFromIndex() {
    return committedFromIndex;
  }

  public final void commitFrom(long index) {
    this.committedFromIndex = index;
  }

  /** Number of names the agent currently holds (speaker–hearer games), else 0. */
  public int inventorySize() {
    return 0;
  }

  /** The agent's only name when it holds exactly one (speaker–hearer games), else -1. */
  public int soleWord() {
    return -1;
  }

  /**
   * The record this mind reports as the initiator of interaction {@code index} once it has
   * concluded: its own side read from the mind as the interaction left it, the responder's side as
   * the responder answered.
   *
   * @param success whether the responder's reply was a success; it counts only when {@code valid}
   */
  public final InteractionRecord concludedRecord(long index, boolean committed, int ownWord, int responder,
                                                 int responderWord, boolean success, boolean valid,
                                                 boolean responderCommitted, int responderInventory,
                                                 int responderSole) {
    return new InteractionRecord(index, id, responder, ownWord, responderWord, success && valid, valid, committed,
        responderCommitted, inventorySize(), responderInventory, soleWord(), responderSole);
  }

  /** This mind's state, for a snapshot. */
  public final MindState save() {
    return new MindState(randomState, committedFromIndex, contents());
  }

  /** Takes the state {@link #save()} gave, on a mind of the same agent and game. */
  public final void restore(MindState state) {
    this.randomState = state.randomState();
    this.committedFromIndex = state.committedFromIndex();
    restoreContents(state.contents());
  }

  /** What the game keeps in this mind, as numbers (for snapshots); nothing by default. */
  protected int[] contents() {
    return new int[0];
  }

  /** Takes back what {@link #contents()} gave. */
  protected void restoreContents(int[] contents) {
  }

  public final long nextLong() {
    randomState += Streams.GOLDEN_GAMMA;
    return Streams.mix64(randomState);
  }

  /** Uniform in [0, bound), unbiased. */
  public final int nextInt(int bound) {
    return Streams.boundedInt(this::nextLong, bound);
  }

  /** Uniform in [0, 1). */
  public final double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
