package dev.norma.runtime.inference;

import dev.norma.agents.llm.RenderedPrompt;

/**
 * One decision an agent asks a language model for: who asks, in which interaction and role, on
 * which attempt (an answer that names no option is asked again), and the rendered prompt.
 *
 * @param agent   the agent's id
 * @param index   the interaction's index
 * @param role    the agent's role in the interaction
 * @param attempt 0 for the first ask, then 1, 2, ... after unusable answers
 * @param prompt  the rendered prompt
 * @param seed    the request seed, or null to send none
 * @param again   this was asked for before (the decision's first attempt: by this run before a
 *                failure, or before it was resumed; a parse retry: noted as sent by an earlier
 *                session, {@link SentCalls}): a model call it makes is a reissued call
 * @param group   the asking agent's group of {@code population.groups}, or null: the run's sampling
 *                parameters and every endpoint
 */
public record LlmRequest(int agent, long index, Role role, int attempt, RenderedPrompt prompt, Long seed,
                         boolean again, AgentGroup group) {
  /**
   * The asking agent's part in the interaction. Its {@link #wireName()} is written in the call
   * journal and is part of each decision's replay key, so it never changes.
   */
  public static final class Role {
    /** Chooses first (the speaker in a speaker-hearer game). */
    public static final Role INITIATOR = new Role("initiator", 0, -1);
    /** Answers the initiator. */
    public static final Role RESPONDER = new Role("responder", 1, -1);
    /** Not in an interaction: a first-round prompt sampled by {@code norma probe}. */
    public static final Role PROBE = new Role("probe", 0, -1);

    private final String wireName;
    private final long salt;
    private final int turn;

    private Role(String wireName, long salt, int turn) {
      this.wireName = wireName;
      this.salt = salt;
      this.turn = turn;
    }

    /**
     * Turn {@code turn} of an encounter game's encounter, taken by a participant in the game's
     * part {@code part} ("proposer", "hearer"): written {@code part:turn}, so that with the agent
     * and the encounter's index it names one decision.
     */
    public static Role turn(String part, int turn) {
      if (turn < 0 || part.isBlank() || part.contains(":") || part.contains("|")) {
        throw new IllegalArgumentException("a turn is a part without ':' or '|' and a number from 0: '" + part
            + "', " + turn);
      }
      return new Role(part + ":" + turn, 0x7475_726EL << 8 | turn, turn);
    }

    public String wireName() {
      return wireName;
    }

    /** The turn of an encounter game's decision, or -1 for a two-party game's or the probe's. */
    public int turn() {
      return turn;
    }

    /**
     * What a request seed derived from the decision mixes in for the role: the two-party roles' 0
     * and 1, as they always have been; a turn, a number of its own.
     */
    long salt() {
      return salt;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Role role && role.wireName.equals(wireName);
    }

    @Override
    public int hashCode() {
      return wireName.hashCode();
    }

    @Override
    public String toString() {
      return wireName;
    }
  }

  /** The sampling parameters this request is sent with: its group's, or {@code run}'s (the run's own). */
  public SamplingParams params(SamplingParams run) {
    return group != null ? group.params() : run;
  }

  /** A request of an agent in no group. */
  public LlmRequest(int agent, long index, Role role, int attempt, RenderedPrompt prompt, Long seed, boolean again) {
    this(agent, index, role, attempt, prompt, seed, again, null);
  }

  /** A decision asked for the first time. */
  public LlmRequest(int agent, long index, Role role, int attempt, RenderedPrompt prompt, Long seed) {
    this(agent, index, role, attempt, prompt, seed, false);
  }
}
