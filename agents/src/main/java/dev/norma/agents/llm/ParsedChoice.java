package dev.norma.agents.llm;

/** What {@link ChoiceParser} made of a model's answer: one option, or why none. */
public sealed interface ParsedChoice {

  boolean accepted();

  /**
   * The answer names exactly one option.
   *
   * @param option index of the option in the parser's option list (a word id when the list is
   *               the game's pool)
   * @param name   the option as written in the list
   * @param rule   which rule found it
   */
  record Accepted(int option, String name, Rule rule) implements ParsedChoice {
    @Override
    public boolean accepted() {
      return true;
    }
  }

  /**
   * The answer is not usable; the caller asks again (Ashery et al. resample).
   *
   * @param reason why
   * @param detail what was found, for logs
   */
  record Rejected(Reason reason, String detail) implements ParsedChoice {
    @Override
    public boolean accepted() {
      return false;
    }
  }

  /** How an accepted option was found, from the most to the least explicit. */
  enum Rule {
    /** One or more {@code 'value': 'X'} statements, all naming the same option. */
    STATED_FORMAT,
    /** No stated format; the last non-blank line names exactly one option. */
    FINAL_LINE,
    /** No stated format; the whole answer names exactly one option. */
    SOLE_MENTION
  }

  enum Reason {
    /** Blank answer. */
    EMPTY,
    /** Stated-format answers were given, but none of their values is an option. */
    NOT_AN_OPTION,
    /** Several different options are named where one is expected. */
    AMBIGUOUS,
    /** No option is named anywhere. */
    NO_OPTION
  }
}
