package dev.norma.agents.games.identity;

import dev.norma.agents.llm.FakeAnswers;
import java.util.List;
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
 * when the debate shown holds at least as many "we"s as messages, coldly otherwise.
 *
 * <p>As the judge ({@code scoring: judge}, the default {@code identity.judge-*.txt}) it reads the
 * message or completion it is shown by word rules: a message's stance by the study's default
 * cooperative and adversarial phrases, a completion's sentiment by the sign of its score over
 * {@link #POSITIVE} and {@link #NEGATIVE}. So a study that gives the rules the same lists measures
 * the same stance and sentiment through the judge as through the rules. A test of the plumbing and
 * the measures, not a model of any language model.
 */
final class IdentityFakeAnswers implements FakeAnswers {
  /** A phrase only this study's default rules have. */
  private static final String RULES = "Your goal is to win the debate";
  /** A phrase only the default judge's system text has. */
  private static final String JUDGE = "You judge a debate between AI assistants";
  /** The stand-in judge's positive words: those of the stand-ins' warm completions. */
  static final List<String> POSITIVE = List.of("partners", "fair", "honest", "thoughtful");
  /** The stand-in judge's negative words: those of the stand-ins' cold completions. */
  static final List<String> NEGATIVE = List.of("rivals", "wrong", "careless");
  private static final IdentityText JUDGE_RULES = IdentityText.of(IdentitySettings.DEFAULT_PLURAL,
      IdentitySettings.DEFAULT_COOPERATIVE, IdentitySettings.DEFAULT_ADVERSARIAL, POSITIVE, NEGATIVE);
  private static final Pattern JUDGED = Pattern.compile("(?s)<(message|completion)>\\n(.*)\\n</\\1>");
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
    return prompt.contains(RULES) || prompt.contains(JUDGE);
  }

  /** The judge's one-word verdict on the message or completion the prompt shows; empty when it shows none. */
  private static String judge(String prompt) {
    Matcher judged = JUDGED.matcher(prompt);
    if (!judged.find()) {
      return "";
    }
    List<String> words = IdentityText.tokens(judged.group(2));
    if (judged.group(1).equals("message")) {
      return JUDGE_RULES.stance(words).name().toLowerCase(java.util.Locale.ROOT);
    }
    double score = JUDGE_RULES.sentiment(words);
    return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
  }

  @Override
  public String answer(String prompt, IntUnaryOperator uniform) {
    if (prompt.contains(JUDGE)) {
      return judge(prompt);
    }
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
