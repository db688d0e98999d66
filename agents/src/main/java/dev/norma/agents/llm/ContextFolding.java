package dev.norma.agents.llm;

import java.util.List;

/**
 * How a game's prompts bound an agent's past ({@code policy.llm.contextTokens}) and what they do
 * with what does not fit ({@code policy.llm.contextOverflow}): the budget, the rule and the game's
 * system text, which a summary prompt shares so that the model summarises knowing the game.
 *
 * <p>A turn of an agent under {@link ContextWindow.Overflow#SUMMARISE} goes: {@link #show} its
 * remembered lines; when {@link ContextWindow.Shown#needsSummary()}, the exchange asks the
 * {@link #summaryPrompt} as a turn of its own and gives the answer to {@link #fold}, then shows
 * the lines again, which now fit with the summary before them. Under
 * {@link ContextWindow.Overflow#DROP_OLDEST} {@link #show} keeps the newest lines that fit, as
 * {@link ContextWindow#keepNewest} does, and never asks for a summary. Immutable and thread-safe.
 */
public final class ContextFolding {
  private final Integer tokens;
  private final ContextWindow.Overflow overflow;
  private final String system;

  /**
   * @param tokens the budget in estimated tokens, or null for none (then every line is shown)
   * @param system the game's system text
   */
  public ContextFolding(Integer tokens, ContextWindow.Overflow overflow, String system) {
    this.tokens = tokens;
    this.overflow = overflow;
    this.system = system;
  }

  /**
   * What a prompt shows of an agent whose mind remembers {@code lines}, oldest first, the newest
   * last.
   *
   * @param recall what its mind keeps for the window; null for a mind that keeps none, which can
   *               only drop what does not fit (its lines are then numbered from 0)
   */
  public ContextWindow.Shown show(List<String> lines, ContextRecall recall) {
    if (recall == null) {
      if (overflow == ContextWindow.Overflow.SUMMARISE && tokens != null) {
        throw new IllegalStateException("a mind that keeps no recall cannot summarise its past");
      }
      return ContextWindow.show(lines, 0, new Recollection(), tokens, overflow);
    }
    return ContextWindow.show(lines, recall.firstNumber(lines.size()), recall.recollection(), tokens, overflow);
  }

  /** The prompt asking the agent for the summary {@code shown} needs. */
  public RenderedPrompt summaryPrompt(ContextWindow.Shown shown) {
    return ContextSummary.render(system, shown, tokens);
  }

  /** Takes the model's {@code answer} to {@link #summaryPrompt} as the agent's summary. */
  public void fold(ContextRecall recall, ContextWindow.Shown shown, String answer) {
    recall.recollection().update(ContextWindow.clipSummary(answer, tokens), shown.coveredAfter());
  }
}
