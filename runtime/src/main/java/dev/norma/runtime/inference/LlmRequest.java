package dev.norma.runtime.inference;

import dev.norma.agents.llm.RenderedPrompt;

/**
 * One decision an agent asks a language model for: who asks, in which interaction and role, on
 * which attempt (an answer that names no option is asked again), and the rendered prompt.
 *
 * @param agent   the agent's id
 * @param index   the interaction's index
 * @param role    {@code initiator} or {@code responder}
 * @param attempt 0 for the first ask, then 1, 2, ... after unusable answers
 * @param prompt  the rendered prompt
 * @param seed    the request seed, or null to send none
 * @param again   the decision was asked for before (by this run before a failure, or before it
 *                was resumed): a model call it makes is a reissued call
 */
public record LlmRequest(int agent, long index, String role, int attempt, RenderedPrompt prompt, Long seed,
                         boolean again) {
  public static final String INITIATOR = "initiator";
  public static final String RESPONDER = "responder";

  /** A decision asked for the first time. */
  public LlmRequest(int agent, long index, String role, int attempt, RenderedPrompt prompt, Long seed) {
    this(agent, index, role, attempt, prompt, seed, false);
  }
}
