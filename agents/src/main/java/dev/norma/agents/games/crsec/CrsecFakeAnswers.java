package dev.norma.agents.games.crsec;

import dev.norma.agents.llm.FakeAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in customer for the CRSEC study's default prompts, answering like a plausible one,
 * deterministically: it draws nothing from the request's stream, and where it varies (complying,
 * speaking up when it "sometimes" does) it goes by a hash of the prompt, so the same prompt gets
 * the same answer on every run, over HTTP or in a plain loop.
 *
 * <ul>
 *   <li>Creation: a norm per behaviour that bothers it when others do otherwise ("Customers should
 *       not smoke indoors."), as {@code Norm:} lines.
 *   <li>Compliance: it follows its norm against its habit nine times in ten (by the prompt's hash).
 *   <li>Speaking up: always when it "always" or "readily" speaks up, every other time when it
 *       "sometimes" does, never when it "rarely" does; what it says states the norm broken.
 *   <li>Identification: the norm sentence in what it was told ("customers should …"), or none.
 *   <li>Observation: for each behaviour most others acted alike on, the descriptive norm of what they
 *       did ("Customers do not smoke indoors.").
 *   <li>Synthesis: the first general norm whose behaviours cover every related norm shown, or none.
 *   <li>Evaluation: 85 for a norm its stance agrees with and that it minds, 65 when it agrees but
 *       does not mind, 30 plus 15 for each earlier hearing when the norm is against its habit, 70
 *       for an abstract norm; one sentence of reason.
 * </ul>
 * A test of the plumbing and of the study's dynamics, not a model of any language model.
 */
final class CrsecFakeAnswers implements FakeAnswers {
  /** A phrase only this study's default rules have. */
  private static final String RULES = "You are a customer in a café, one of";
  private static final Pattern BOTHERS = Pattern.compile("(?m)^- (.+?): you (never|always) do, and it bothers you");
  private static final Pattern STANCE = Pattern.compile("(?m)^- (.+?): you (never do|always do|usually do not|usually do)\\b");
  private static final Pattern BROKEN = Pattern.compile("which breaks your norm: (.+)$", Pattern.MULTILINE);
  private static final Pattern TOLD = Pattern.compile("said to you: \"(.*)\"");
  private static final Pattern NORM_SAID = Pattern.compile(
      "\\b(?:customers|everyone|people) (?:should|do)\\b[^.!?\"]*", Pattern.CASE_INSENSITIVE);
  private static final Pattern WEIGHED = Pattern.compile("You are weighing a new norm: (.+)$", Pattern.MULTILINE);
  private static final String WATCHED = "you watched what the others here did";
  private static final Pattern SEEN = Pattern.compile("(?m)^- (.+?): \\d+ of the \\d+ others (did not|did)$");
  private static final String RELATED = "These you hold are related:";
  private static final Pattern RELATED_NORM = Pattern.compile("(?m)^- (.+?)\\. \\(utility \\d+\\)$");
  private static final Pattern GENERAL = Pattern.compile("(?m)^- (.+?\\.) \\(((?!utility \\d)[^()]+)\\)$");
  private static final Pattern HEARD = Pattern.compile("you have heard it (never|once|twice|(\\d+) times) before");

  @Override
  public boolean reads(String prompt) {
    return prompt.contains(RULES);
  }

  @Override
  public String answer(String prompt, IntUnaryOperator uniform) {
    if (prompt.contains(WATCHED)) {
      return describe(prompt);
    }
    if (prompt.contains(RELATED)) {
      return synthesise(prompt);
    }
    if (prompt.contains("write your personal norms")) {
      return create(prompt);
    }
    if (prompt.contains("Answer do or avoid")) {
      return comply(prompt);
    }
    if (prompt.contains("Do you speak up to")) {
      return speakUp(prompt);
    }
    if (prompt.contains("You speak up. Say to")) {
      return speak(prompt);
    }
    if (prompt.contains("You are weighing a new norm")) {
      return evaluate(prompt);
    }
    if (prompt.contains("said to you: \"")) {
      return identify(prompt);
    }
    return "I am not sure what to say.";
  }

  private static String create(String prompt) {
    List<String> norms = new ArrayList<>();
    Matcher bothers = BOTHERS.matcher(prompt);
    while (bothers.find()) {
      norms.add("Norm: Customers should " + (bothers.group(2).equals("never") ? "not " : "") + bothers.group(1) + ".");
    }
    return norms.isEmpty() ? "Nothing here bothers me enough to make a rule of it." : String.join("\n", norms);
  }

  /** Nine times in ten the norm, else the habit; a habit of not doing is stated "You usually do not". */
  private static String comply(String prompt) {
    boolean habitDoes = !prompt.contains("You usually do not ");
    boolean follows = Math.floorMod(prompt.hashCode(), 10) != 0;
    boolean doing = follows != habitDoes;
    return (follows ? "My norm matters more than my habit." : "Old habits die hard.") + "\n{'value': '"
        + (doing ? "do" : "avoid") + "'}";
  }

  private static String speakUp(String prompt) {
    boolean speaks = prompt.contains("You always speak up") || prompt.contains("You speak up readily")
        || prompt.contains("You sometimes speak up") && Math.floorMod(prompt.hashCode(), 2) == 0;
    return (speaks ? "This should be said." : "I will let it go.") + "\n{'value': '" + (speaks ? "yes" : "no") + "'}";
  }

  private static String speak(String prompt) {
    Matcher broken = BROKEN.matcher(prompt);
    String norm = broken.find() ? broken.group(1).strip() : "customers should be considerate.";
    return "Excuse me. Here, " + Character.toLowerCase(norm.charAt(0)) + norm.substring(1) + " Please keep to it.";
  }

  private static String identify(String prompt) {
    Matcher told = TOLD.matcher(prompt);
    Matcher norm = told.find() ? NORM_SAID.matcher(told.group(1)) : null;
    if (norm == null || !norm.find()) {
      return "I heard no rule in that.\nnone";
    }
    String sentence = norm.group().strip();
    return "Norm: " + Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1) + ".";
  }

  private static String describe(String prompt) {
    List<String> norms = new ArrayList<>();
    Matcher seen = SEEN.matcher(prompt);
    while (seen.find()) {
      norms.add("Norm: Customers " + (seen.group(2).equals("did not") ? "do not " : "") + seen.group(1) + ".");
    }
    return norms.isEmpty() ? "Nothing here is done by most.\nnone" : "That is how it is done here.\n"
        + String.join("\n", norms);
  }

  private static String synthesise(String prompt) {
    String asked = prompt.substring(prompt.indexOf(RELATED));
    List<String> related = new ArrayList<>();
    Matcher norm = RELATED_NORM.matcher(asked);
    while (norm.find()) {
      related.add(norm.group(1));
    }
    Matcher general = GENERAL.matcher(asked);
    while (general.find()) {
      List<String> behaviours = List.of(general.group(2).split(", "));
      if (!related.isEmpty() && related.stream().allMatch(one -> behaviours.stream().anyMatch(one::contains))) {
        return "They come from one idea.\nNorm: " + general.group(1);
      }
    }
    return "They have little in common.\nnone";
  }

  private static String evaluate(String prompt) {
    Matcher weighed = WEIGHED.matcher(prompt);
    String norm = weighed.find() ? weighed.group(1) : "";
    Matcher heard = HEARD.matcher(prompt);
    int before = 0;
    if (heard.find()) {
      before = switch (heard.group(1)) {
        case "never" -> 0;
        case "once" -> 1;
        case "twice" -> 2;
        default -> Integer.parseInt(heard.group(2));
      };
    }
    boolean normDoes = !norm.contains(" not ");
    Matcher stance = STANCE.matcher(prompt);
    while (stance.find()) {
      if (!norm.contains(stance.group(1))) {
        continue;
      }
      String feeling = stance.group(2);
      boolean habit = feeling.startsWith("usually");
      boolean does = feeling.equals("always do") || feeling.equals("usually do");
      if (does != normDoes) {
        int score = Math.min(100, 30 + 15 * before);
        return "Utility: " + score + "\nReason: It goes against what I usually do"
            + (before > 0 ? ", though I keep hearing it." : ".");
      }
      boolean minds = !habit && prompt.contains("- " + stance.group(1) + ": you " + feeling + ", and it bothers you");
      return "Utility: " + (minds ? 85 : 65) + "\nReason: It matches how I behave"
          + (minds ? " and what I expect of others." : ".");
    }
    return "Utility: 70\nReason: It sums up good manners.";
  }
}
