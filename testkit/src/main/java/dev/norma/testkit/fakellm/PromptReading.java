package dev.norma.testkit.fakellm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fake model reads in a naming-game prompt rendered from Norma's default templates
 * ({@code dev.norma.agents.games.naming.NamingPrompt}): the options in the order shown, the remembered
 * rounds, and the answer format asked for. Prompts from edited templates are read with patterns
 * passed in.
 *
 * @param options the options as shown, empty when none were found
 * @param rounds  the history, oldest first
 * @param format  how the prompt asks the answer to be written
 */
record PromptReading(List<String> options, List<Round> rounds, AnswerFormat format) {

  /** The default templates' option line: "... can pick from are: M, Q." */
  static final Pattern DEFAULT_OPTIONS = Pattern.compile("(?m)pick from are: (.+?)\\.?$");
  /** The default templates' round line: "Round 2: Player 1 picked M, Player 2 picked Q, payoff -50." */
  static final Pattern DEFAULT_ROUND = Pattern.compile(
      "(?m)^Round (\\d+): Player 1 picked (.+?), Player 2 picked (.+?), payoff (-?\\d+)\\.$");

  /** One remembered interaction as shown. */
  record Round(String own, String partner, int payoff) {
  }

  enum AnswerFormat {
    /** {@code {'value': 'X'}}: the prompt mentions a {@code 'value'} key. */
    VALUE_DICT {
      @Override
      String write(String option) {
        return "{'value': '" + option + "'}";
      }
    },
    /** {@code ANSWER: X}: the prompt mentions {@code ANSWER:}. */
    ANSWER_LINE {
      @Override
      String write(String option) {
        return "ANSWER: " + option;
      }
    },
    /** The bare option. */
    BARE {
      @Override
      String write(String option) {
        return option;
      }
    };

    abstract String write(String option);
  }

  static PromptReading read(String prompt) {
    return read(prompt, DEFAULT_OPTIONS, DEFAULT_ROUND);
  }

  /**
   * @param optionsLine a pattern whose group 1 is the options joined by commas
   * @param roundLine   a pattern whose groups 2 and 3 are own and partner choices and group 4
   *                    the payoff
   */
  static PromptReading read(String prompt, Pattern optionsLine, Pattern roundLine) {
    List<String> options = List.of();
    Matcher m = optionsLine.matcher(prompt);
    // The last match: a system text quoting an example line must not shadow the real one.
    while (m.find()) {
      options = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
    List<Round> rounds = new ArrayList<>();
    Matcher r = roundLine.matcher(prompt);
    while (r.find()) {
      rounds.add(new Round(r.group(2).strip(), r.group(3).strip(), Integer.parseInt(r.group(4))));
    }
    AnswerFormat format = prompt.contains("'value'") || prompt.contains("\"value\"") ? AnswerFormat.VALUE_DICT
        : prompt.contains("ANSWER:") ? AnswerFormat.ANSWER_LINE : AnswerFormat.BARE;
    return new PromptReading(options, List.copyOf(rounds), format);
  }
}
