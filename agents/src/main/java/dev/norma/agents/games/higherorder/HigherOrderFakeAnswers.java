package dev.norma.agents.games.higherorder;

import dev.norma.agents.llm.FakeAnswers;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in player for the higher-order naming game's default prompts ({@link HigherOrderPrompts}),
 * deterministic given the prompt except where it breaks a tie with {@code uniform}. It reads the
 * two names, the remembered meetings shown and, for a hearer, the name said and the earlier
 * replies, and counts how often each name was said in the meetings shown.
 *
 * <ul>
 *   <li>A speaker says the name said most often; on a tie, or with no meetings shown, either
 *       with probability ½.</li>
 *   <li>A hearer accepts when the name said is the one said most often in its meetings, when it
 *       is shown no meetings, or when every earlier hearer accepted it and the hearer has seen it
 *       said at least once; otherwise it refuses.</li>
 * </ul>
 * So a hearer goes along with its own majority, is open while it knows nothing, and follows a
 * group that is going along with a name it has met; a name it has never seen needs its own
 * majority, which it cannot have. Consensus forms as in a memory-based naming game, and a
 * committed minority, which always says A and refuses B, tips the population to A when it is
 * large enough (the tests measure both).
 *
 * <p>Answers end with the final line {@code {'value': 'X'}}, after a sentence of reasoning that
 * names the counts. Thread-safe (stateless).
 */
public final class HigherOrderFakeAnswers implements FakeAnswers {
  /** A phrase only this game's system text has. */
  static final String DISTINCTIVE = "meet in small groups to settle on a name";
  private static final String NAME = "([\\p{L}\\p{N}_-]+)";
  private static final Pattern NAMES = Pattern.compile("There are two possible names: " + NAME + " and " + NAME + "\\.");
  private static final Pattern SAID_IN_MEETING = Pattern.compile(
      "^Meeting \\d+: you were (?:the speaker|a hearer); the speaker said " + NAME + ";", Pattern.MULTILINE);
  private static final Pattern HEARD = Pattern.compile("In this meeting you are a hearer\\. The speaker said " + NAME
      + "\\.");
  private static final Pattern REFUSED = Pattern.compile("^Hearer \\d+ refused ", Pattern.MULTILINE);
  private static final String SPEAKS = "In this meeting you are the speaker.";

  @Override
  public boolean reads(String prompt) {
    return prompt.contains(DISTINCTIVE) && NAMES.matcher(prompt).find()
        && (prompt.contains(SPEAKS) || HEARD.matcher(prompt).find());
  }

  @Override
  public String answer(String prompt, IntUnaryOperator uniform) {
    Matcher names = NAMES.matcher(prompt);
    if (!names.find()) {
      return "There are no names to choose from in this prompt.";
    }
    String first = names.group(1);
    String second = names.group(2);
    int[] counts = new int[2];
    Matcher said = SAID_IN_MEETING.matcher(prompt);
    while (said.find()) {
      if (said.group(1).equals(first)) {
        counts[0]++;
      } else if (said.group(1).equals(second)) {
        counts[1]++;
      }
    }
    String reasoning = "In the meetings I remember, " + first + " was said " + counts[0] + " times and " + second
        + " " + counts[1] + " times.";
    Matcher heard = HEARD.matcher(prompt);
    if (!heard.find()) {
      String choice = counts[0] > counts[1] ? first : counts[1] > counts[0] ? second
          : uniform.applyAsInt(2) == 0 ? first : second;
      return reasoning + "\n{'value': '" + choice + "'}";
    }
    String name = heard.group(1);
    int own = name.equals(first) ? counts[0] : counts[1];
    int other = name.equals(first) ? counts[1] : counts[0];
    boolean allAccepted = !REFUSED.matcher(prompt).find();
    boolean accept = own > other || own + other == 0 || (allAccepted && own > 0);
    return reasoning + "\n{'value': '" + (accept ? "accept" : "refuse") + "'}";
  }
}
