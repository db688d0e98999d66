package dev.norma.agents.llm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * The prompt in which an agent summarises the encounters leaving its context window
 * ({@code policy.llm.contextOverflow: summarise}), and a stand-in answer to it. The system text
 * is the game's, so the model summarises knowing the game; the user text is
 * {@code context-summary.txt} beside this class, with the summary so far ({@code previous}), the
 * lines leaving ({@code lines}) and the length asked for ({@code words}). The answer is taken
 * whole ({@link ContextWindow#clipSummary}): there is no option to read.
 */
public final class ContextSummary {
  private static final PromptTemplate USER = PromptTemplate.fromResource("/dev/norma/agents/llm/context-summary.txt",
      Set.of("previous", "lines", "words"));
  /** A phrase of the template that marks its prompts for a stand-in model. */
  private static final String MARK = "Fold them into your summary.";
  private static final String LINES_HEADER = "The encounters that are leaving your memory, oldest first:\n";

  private ContextSummary() {
  }

  /** The template's SHA-256, recorded with each summary prompt. */
  public static String sha256() {
    return USER.sha256();
  }

  /**
   * The prompt asking for the summary {@code shown} needs.
   *
   * @param system the game's system text
   * @param tokens the context budget: the summary may take half of it
   */
  public static RenderedPrompt render(String system, ContextWindow.Shown shown, int tokens) {
    String previous = shown.summary().isEmpty() ? ""
        : "Your summary so far: " + shown.summary() + "\n";
    int words = Math.max(5, tokens / 2 * ContextWindow.CHARS_PER_TOKEN / 6);
    String user = USER.render(Map.of("previous", previous, "lines", String.join("\n", shown.toFold()),
        "words", Integer.toString(words))::get);
    return new RenderedPrompt(system, user, List.of(), 0, 0, sha256());
  }

  /**
   * A stand-in summariser for the test kit's fake server: it keeps the summary so far and the last
   * line leaving, with how many left.
   */
  public static final FakeAnswers FAKE = new FakeAnswers() {
    @Override
    public boolean reads(String prompt) {
      return prompt.contains(MARK);
    }

    @Override
    public String answer(String prompt, IntUnaryOperator uniform) {
      int start = prompt.indexOf(LINES_HEADER);
      int end = prompt.indexOf("\n" + MARK);
      if (start < 0 || end < start) {
        return "Nothing to keep.";
      }
      String[] lines = prompt.substring(start + LINES_HEADER.length(), end).split("\n");
      int previousAt = prompt.indexOf("Your summary so far: ");
      String previous = previousAt < 0 ? ""
          : prompt.substring(previousAt + "Your summary so far: ".length(), prompt.indexOf('\n', previousAt)) + " ";
      return previous + lines.length + " more; the last: " + lines[lines.length - 1].strip();
    }
  };
}
