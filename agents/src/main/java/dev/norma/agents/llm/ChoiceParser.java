package dev.norma.agents.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which option a model's answer names. Models reason before answering, and the reasoning
 * names other options ("Player 2 played Q once and M four times..."), so the parser looks for the
 * most explicit statement first and accepts only an answer that commits to exactly one option:
 *
 * <ol>
 *   <li><b>Stated format.</b> Every statement {@code 'value': X} in the answer (the prompt asks
 *       for a final line {@code {'value': 'X'}}; single, double or no quotes, with or without
 *       braces, other keys such as {@code 'reason'} allowed) whose X is an option. If all of
 *       them name the same option it is the answer, and everything else in the text is
 *       reasoning, whatever options it mentions. If they name different options the answer is
 *       {@link ParsedChoice.Reason#AMBIGUOUS}. If statements exist but none holds an option
 *       (the model echoed the placeholder, or named something outside the list) it is
 *       {@link ParsedChoice.Reason#NOT_AN_OPTION}.</li>
 *   <li><b>Final line.</b> With no statement at all: the last non-blank line, if it names exactly
 *       one option ("ANSWER: M", "**M**", "I pick M.").</li>
 *   <li><b>Sole mention.</b> Otherwise the whole answer, if it names exactly one option; no
 *       option is {@link ParsedChoice.Reason#NO_OPTION}, several are
 *       {@link ParsedChoice.Reason#AMBIGUOUS}.</li>
 * </ol>
 *
 * An option is named by a token equal to it: bounded by characters that are not letters, digits
 * or {@code _}, and not part of an English contraction ({@code I'll}, {@code don't}). Names of
 * one character are case-sensitive (so the article "a" is not option A); longer names are not,
 * unless two options differ only in case. Where two options could match at the same place the
 * longer wins. In free text the words "I" and "A" cannot be told from options I and A: with such
 * pools only the stated format is reliable.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ChoiceParser {
  private static final String WORD_CHAR = "[\\p{L}\\p{N}_]";
  private static final Pattern STATED = Pattern.compile(
      "[\"']?\\bvalue\\b[\"']?\\s*:\\s*(?:'([^'\\n]*)'|\"([^\"\\n]*)\"|([^\\s'\",;}]+))",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private final List<String> options;
  private final Map<String, Integer> exact = new HashMap<>();
  private final Map<String, Integer> folded = new HashMap<>();
  private final Pattern mention;

  /** Word ids of the options, by position; null when an option's index is its id. */
  private final int[] ids;

  /** @param options the options, in the order whose indices the parser returns */
  public ChoiceParser(List<String> options) {
    this(options, null);
  }

  /**
   * A parser that returns {@code ids[i]} for the option {@code options.get(i)} (some of a game's
   * names, read as their word ids).
   */
  public ChoiceParser(List<String> options, int[] ids) {
    if (ids != null && ids.length != options.size()) {
      throw new IllegalArgumentException(ids.length + " ids for " + options.size() + " options");
    }
    this.ids = ids == null ? null : ids.clone();
    if (options.isEmpty()) {
      throw new IllegalArgumentException("no options to parse for");
    }
    this.options = List.copyOf(options);
    Map<String, Integer> foldCount = new HashMap<>();
    for (int i = 0; i < this.options.size(); i++) {
      String option = this.options.get(i);
      if (option.isBlank() || !option.strip().equals(option)) {
        throw new IllegalArgumentException("option " + i + " must be non-blank without outer spaces: '" + option + "'");
      }
      if (exact.putIfAbsent(option, i) != null) {
        throw new IllegalArgumentException("duplicate option '" + option + "'");
      }
      foldCount.merge(fold(option), 1, Integer::sum);
    }
    List<String> byLength = new ArrayList<>(this.options);
    byLength.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder alternatives = new StringBuilder();
    for (String option : byLength) {
      boolean caseless = caseless(option, foldCount);
      if (caseless) {
        folded.put(fold(option), exact.get(option));
      }
      if (alternatives.length() > 0) {
        alternatives.append('|');
      }
      alternatives.append(caseless ? "(?iu:" + Pattern.quote(option) + ")" : Pattern.quote(option));
    }
    this.mention = Pattern.compile("(?<!" + WORD_CHAR + ")(?<!\\p{L}['’])(?:" + alternatives + ")(?!"
        + WORD_CHAR + ")(?!['’]\\p{L})");
  }

  private static boolean caseless(String option, Map<String, Integer> foldCount) {
    return option.codePointCount(0, option.length()) > 1 && foldCount.get(fold(option)) == 1;
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  public List<String> options() {
    return options;
  }

  public ParsedChoice parse(String answer) {
    if (answer == null || answer.isBlank()) {
      return new ParsedChoice.Rejected(ParsedChoice.Reason.EMPTY, "blank answer");
    }
    ParsedChoice stated = parseStated(answer);
    if (stated != null) {
      return stated;
    }
    String lastLine = lastNonBlankLine(answer);
    Set<Integer> named = mentioned(lastLine);
    if (named.size() == 1) {
      return accepted(named.iterator().next(), ParsedChoice.Rule.FINAL_LINE);
    }
    named = mentioned(answer);
    if (named.size() == 1) {
      return accepted(named.iterator().next(), ParsedChoice.Rule.SOLE_MENTION);
    }
    if (named.isEmpty()) {
      return new ParsedChoice.Rejected(ParsedChoice.Reason.NO_OPTION, "no option named");
    }
    return new ParsedChoice.Rejected(ParsedChoice.Reason.AMBIGUOUS, "names " + namesOf(named));
  }

  /** The stated-format verdict, or null when the answer has no {@code value:} statement. */
  private ParsedChoice parseStated(String answer) {
    Matcher m = STATED.matcher(answer);
    Set<Integer> named = new LinkedHashSet<>();
    List<String> others = new ArrayList<>();
    boolean any = false;
    while (m.find()) {
      any = true;
      String raw = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = unwrap(raw);
      Integer option = optionEqualTo(value);
      if (option != null) {
        named.add(option);
      } else {
        others.add(raw);
      }
    }
    if (!any) {
      return null;
    }
    if (named.size() == 1) {
      return accepted(named.iterator().next(), ParsedChoice.Rule.STATED_FORMAT);
    }
    if (named.isEmpty()) {
      return new ParsedChoice.Rejected(ParsedChoice.Reason.NOT_AN_OPTION, "stated " + others);
    }
    return new ParsedChoice.Rejected(ParsedChoice.Reason.AMBIGUOUS, "stated " + namesOf(named));
  }

  /** Strips blanks and the decorations models put around a value: {@code <M>}, {@code **M**}, {@code `M`}. */
  private static String unwrap(String raw) {
    String value = raw.strip();
    boolean changed = true;
    while (changed && value.length() >= 2) {
      changed = false;
      char first = value.charAt(0);
      char last = value.charAt(value.length() - 1);
      if ((first == '<' && last == '>') || (first == '*' && last == '*') || (first == '`' && last == '`')
          || (first == '[' && last == ']')) {
        value = value.substring(1, value.length() - 1).strip();
        changed = true;
      }
    }
    return value;
  }

  private Integer optionEqualTo(String value) {
    Integer option = exact.get(value);
    return option != null ? option : folded.get(fold(value));
  }

  private Set<Integer> mentioned(String text) {
    Set<Integer> named = new LinkedHashSet<>();
    Matcher m = mention.matcher(text);
    while (m.find()) {
      Integer option = optionEqualTo(m.group());
      if (option != null) {
        named.add(option);
      }
    }
    return named;
  }

  private static String lastNonBlankLine(String text) {
    String[] lines = text.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i];
      }
    }
    return "";
  }

  private ParsedChoice accepted(int option, ParsedChoice.Rule rule) {
    return new ParsedChoice.Accepted(ids == null ? option : ids[option], options.get(option), rule);
  }

  private List<String> namesOf(Set<Integer> named) {
    List<String> out = new ArrayList<>();
    for (int i : named) {
      out.add(options.get(i));
    }
    return out;
  }
}
