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
 * @param again   the decision was asked for before (by this run before a failure, or before it
 *                was resumed): a model call it makes is a reissued call
 */
public record LlmRequest(int agent, long index, Role role, int attempt, RenderedPrompt prompt, Long seed,
                         boolean again) {
  /**
   * The asking agent's role in the interaction. Its {@link #wireName()} is written in the call
   * journal and is part of each decision's replay key, so it never changes.
   */
  public enum Role {
    /** Chooses first (the speaker in a speaker-hearer game). */
    INITIATOR("initiator"),
    /** Answers the initiator. */
    RESPONDER("responder"),
    /** Not in an interaction: a first-round prompt sampled by {@code norma probe}. */
    PROBE("probe");

    private final String wireName;

    Role(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    @Override
    public String toString() {
      return wireName;
    }
  }

  /** A decision asked for the first time. */
  public LlmRequest(int agent, long index, Role role, int attempt, RenderedPrompt prompt, Long seed) {
    this(agent, index, role, attempt, prompt, seed, false);
  }
}
