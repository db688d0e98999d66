package dev.norma.agents.games.identity;

import dev.norma.agents.llm.FakeAnswers;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in debater for the default prompts of the in-group identity study, drifting towards
 * "we" as the debate goes on, deterministically (it draws nothing). At turn k of T it argues its
 * side (one adversarial sentence, none from the point where it says three cooperative ones) and
 * adds ⌊3 (k − 1) / (T − 1)⌋ cooperative sentences in the first-person plural; told a unique,
 * disassociative identity (the default {@code unique} prompt: "you speak only for yourself") it
 * adds at most one. Asked to complete "We are…" or "They are…" after the debate, it answers warmly
 * when the debate shown holds at least as many "we"s as messages, coldly otherwise. A test
 * of the plumbing and the measures, not a model of any language model.
 */
final class IdentityFakeAnswers implements FakeAnswers {
  /** A phrase only this study's default rules have. */
  private static final String RULES = "Your goal is to win the debate";
  private static final String UNIQUE = "you speak only for yourself";
  private static final Pattern TURN = Pattern.compile("It is turn (\\d+) of (\\d+)");
  private static final Pattern SIDE = Pattern.compile("You argue (.+?)\\. Your goal");
  private static final Pattern COMPLETE = Pattern.compile("in a few words: \"(We|They) are\"");
  private static final Pattern MESSAGE = Pattern.compile("(?m)^(You|Debater \\d+): ");
  private static final Pattern WE = Pattern.compile("\\bwe\\b", Pattern.CASE_INSENSITIVE);
  private static final String[] TOGETHER = {
      "We both want the same thing here, so let us look for common ground.",
      "Our views are closer than they seem, and we can agree on the basics together.",
      "We should build one answer that serves us all."};

  @Override
  public boolean reads(String prompt) {
    return prompt.contains(RULES);
  }

  @Override
  public String answer(String prompt, IntUnaryOperator uniform) {
    Matcher complete = COMPLETE.matcher(prompt);
    if (complete.find()) {
      String debate = prompt.substring(0, complete.start());
      boolean warm = WE.matcher(debate).results().count() >= MESSAGE.matcher(debate).results().count();
      return IdentityRulePolicy.completion(complete.group(1).equals("We"), warm);
    }
    Matcher turn = TURN.matcher(prompt);
    if (!turn.find()) {
      return "";
    }
    int k = Integer.parseInt(turn.group(1));
    int turns = Integer.parseInt(turn.group(2));
    int together = turns <= 1 ? 0 : 3 * (k - 1) / (turns - 1);
    if (prompt.contains(UNIQUE)) {
      together = Math.min(1, together);
    }
    Matcher side = SIDE.matcher(prompt);
    StringBuilder answer = new StringBuilder();
    if (together < 3) {
      answer.append("I argue ").append(side.find() ? side.group(1) : "my side")
          .append(", and my opponent is wrong on this.");
    }
    for (int i = 0; i < together; i++) {
      answer.append(answer.isEmpty() ? "" : " ").append(TOGETHER[i]);
    }
    return answer.toString();
  }
}
