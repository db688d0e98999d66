package dev.norma.agents.llm;

import java.util.List;

/**
 * The bound on what a prompt shows of an agent's past ({@code policy.llm.contextTokens}): the
 * lines of its history, oldest first, are kept from the newest back while their estimated tokens
 * fit the budget; what does not fit leaves by the rule of {@code policy.llm.contextOverflow}
 * ({@link Overflow}): dropped, oldest first, or folded into a summary the agent's own model writes
 * ({@link #show}). A game renders its history lines from what the agent's mind remembers (part of
 * its saved state, with its {@link Recollection}), so the window a prompt shows is saved and
 * restored with the mind and replays from the seed.
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

  /** What happens to the history that does not fit: {@code policy.llm.contextOverflow}. */
  public enum Overflow {
    /** The oldest lines leave first. */
    DROP_OLDEST("dropOldest"),
    /**
     * The oldest lines, with the summary so far, are summarised by the agent's own model before
     * the prompt is shown; the summary takes at most half the budget.
     */
    SUMMARISE("summarise");

    private final String specName;

    Overflow(String specName) {
      this.specName = specName;
    }

    /** The rule a spec names ({@code dropOldest} or {@code summarise}). */
    public static Overflow of(String specName) {
      for (Overflow overflow : values()) {
        if (overflow.specName.equals(specName)) {
          return overflow;
        }
      }
      throw new IllegalArgumentException("no overflow rule '" + specName + "'");
    }
  }

  /**
   * What a prompt shows of an agent's past.
   *
   * @param summary     the summary of what left the window, shown before the lines; empty for none
   * @param lines       the history lines shown, oldest first
   * @param firstShown  the number (from 0, over all the agent's encounters) of the first line shown
   * @param toFold      lines to fold into the summary before the prompt can be shown; empty when it
   *                    can be shown now
   * @param coveredAfter how many encounters the summary covers once {@code toFold} is folded in
   */
  public record Shown(String summary, List<String> lines, long firstShown, List<String> toFold, long coveredAfter) {
    /** Whether the agent must summarise {@link #toFold} first. */
    public boolean needsSummary() {
      return !toFold.isEmpty();
    }
  }

  /**
   * What a prompt shows of an agent's past under the bound and the rule.
   *
   * @param lines        the history lines the agent remembers, oldest first
   * @param firstNumber  the number (from 0, over all its encounters) of {@code lines.get(0)}
   * @param recollection the agent's summary so far (unused when dropping)
   * @param tokens       the budget, or null for none (then every line is shown)
   */
  public static Shown show(List<String> lines, long firstNumber, Recollection recollection, Integer tokens,
                           Overflow overflow) {
    if (tokens == null || overflow == Overflow.DROP_OLDEST) {
      List<String> kept = keepNewest(lines, tokens);
      return new Shown("", kept, firstNumber + lines.size() - kept.size(), List.of(), recollection.covered());
    }
    // Lines the summary covers are not shown again.
    int from = (int) Math.max(0, Math.min(lines.size(), recollection.covered() - firstNumber));
    List<String> candidates = lines.subList(from, lines.size());
    String summary = recollection.text();
    int summaryTokens = summary.isEmpty() ? 0 : estimateTokens(summary + "\n");
    List<String> fitting = keepNewest(candidates, Math.max(0, tokens - summaryTokens));
    if (fitting.size() == candidates.size()) {
      return new Shown(summary, candidates, firstNumber + from, List.of(), recollection.covered());
    }
    List<String> kept = keepNewest(candidates, tokens / 2);
    List<String> toFold = candidates.subList(0, candidates.size() - kept.size());
    long firstKept = firstNumber + from + toFold.size();
    return new Shown(summary, kept, firstKept, toFold, firstKept);
  }

  /**
   * A summary as a prompt shows it: the model's answer with its white space collapsed, cut to half
   * the budget (at a word where it can be).
   */
  public static String clipSummary(String answer, int tokens) {
    String text = answer.strip().replaceAll("\\s+", " ");
    int most = Math.max(0, tokens / 2 * CHARS_PER_TOKEN - 1);
    if (text.length() <= most) {
      return text;
    }
    int cut = text.lastIndexOf(' ', most);
    return text.substring(0, cut > most / 2 ? cut : most);
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
