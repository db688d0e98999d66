package dev.norma.agents.llm;

import java.util.List;

/**
 * The bound on what a prompt shows of an agent's past ({@code policy.llm.contextTokens}): the
 * lines of its history, oldest first, are kept from the newest back while their estimated tokens
 * fit the budget; the oldest leave first. A game renders its history lines from what the agent's
 * mind remembers (part of its saved state), so the window a prompt shows is saved and restored
 * with the mind and replays from the seed.
 *
 * <p>Tokens are estimated, not counted with a model's tokenizer, so that a prompt does not depend
 * on which endpoint answers it: one token per four characters, rounded up, as for English text
 * with the common byte-pair tokenizers (a line of 80 characters is 20 tokens). {@code norma
 * estimate} counts real prompts with an endpoint's tokenizer where it has one.
 */
public final class ContextWindow {
  /** Characters per estimated token. */
  public static final int CHARS_PER_TOKEN = 4;

  private ContextWindow() {
  }

  /** The estimated tokens of {@code text}, a line break counted as a character. */
  public static int estimateTokens(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /**
   * The newest of {@code lines} (oldest first) whose estimated tokens, each line with its line
   * break, fit {@code tokens}; all of them when {@code tokens} is null.
   *
   * @return a view of the newest lines kept, oldest first; empty when not even the newest fits
   */
  public static <T extends CharSequence> List<T> keepNewest(List<T> lines, Integer tokens) {
    if (tokens == null) {
      return lines;
    }
    int used = 0;
    int from = lines.size();
    while (from > 0) {
      int next = estimateTokens(lines.get(from - 1).toString() + "\n");
      if (used + next > tokens) {
        break;
      }
      used += next;
      from--;
    }
    return lines.subList(from, lines.size());
  }
}
