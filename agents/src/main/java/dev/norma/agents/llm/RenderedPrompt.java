package dev.norma.agents.llm;

import java.util.List;

/**
 * One rendered naming-game prompt, with what is needed to replay and audit it.
 *
 * @param system          the system message: the shared rules, identical across agents
 * @param user            the user message: option order, history, round and score
 * @param optionOrder     the game's word ids in the order the options were shown
 * @param currentRound    the round the agent is told it is in (remembered interactions + 1)
 * @param score           the score the agent is shown (payoffs summed over its window)
 * @param templatesSha256 {@link NamingPromptTemplates#sha256()} of the templates used
 */
public record RenderedPrompt(String system, String user, List<Integer> optionOrder, int currentRound, int score,
                             String templatesSha256) {
  /** Between the system and the user text in {@link #text()}. */
  public static final String SEPARATOR = "\n\n";

  public RenderedPrompt {
    optionOrder = List.copyOf(optionOrder);
  }

  /**
   * The prompt as one text, for completion endpoints that take a single string: the system text,
   * a blank line, the user text. It starts with the shared rules, like the chat form.
   */
  public String text() {
    return system + SEPARATOR + user;
  }

  /**
   * SHA-256 of the prompt: of the system text, a NUL character and the user text, in UTF-8,
   * lower-case hex. The NUL keeps the boundary between the two messages part of the identity.
   */
  public String sha256() {
    return PromptTemplate.sha256Hex(system + '\0' + user);
  }
}
