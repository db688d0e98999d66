package dev.norma.agents.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.games.naming.NamingPrompt;
import dev.norma.agents.games.naming.NamingPromptTemplates;
import dev.norma.agents.llm.ParsedChoice.Accepted;
import dev.norma.agents.llm.ParsedChoice.Reason;
import dev.norma.agents.llm.ParsedChoice.Rejected;
import dev.norma.agents.llm.ParsedChoice.Rule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChoiceParserTest {
  private static final ChoiceParser QM = new ChoiceParser(List.of("Q", "M"));
  private static final ChoiceParser TEN = new ChoiceParser(List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D"));
  private static final ChoiceParser NAMES = new ChoiceParser(List.of("Alice", "Bob"));

  static Stream<Arguments> accepted() {
    return Stream.of(
        // The stated format, bare and as the final line after reasoning.
        Arguments.of(QM, "{'value': 'M'}", "M", Rule.STATED_FORMAT),
        Arguments.of(QM, """
            Let's look at the history. In round 1 Player 1 picked Q and Player 2 picked M, payoff -50.
            In rounds 2 to 5 both picked M and were rewarded. Switching to Q would risk -50 points.
            Player 2 has consistently played M, so Player 1 should stick with M.
            {'value': 'M'}""", "M", Rule.STATED_FORMAT),
        // Reasoning that weighs the other option last still yields the stated answer.
        Arguments.of(QM, "{'value': 'Q'}\nI chose Q even though M was played twice, because Q was played three times.",
            "Q", Rule.STATED_FORMAT),
        // The paper's two-key dictionary, JSON quoting, no quotes, decorations, spacing.
        Arguments.of(QM, "{'value': 'Q'; 'reason': 'Player 2 played Q most often, not M'}", "Q", Rule.STATED_FORMAT),
        Arguments.of(QM, "```json\n{\"value\": \"M\", \"reason\": \"coordination\"}\n```", "M", Rule.STATED_FORMAT),
        Arguments.of(QM, "{'value': M}", "M", Rule.STATED_FORMAT),
        Arguments.of(QM, "{ 'Value' :  '<M>' }", "M", Rule.STATED_FORMAT),
        Arguments.of(QM, "Final answer: {'value': '**Q**'}", "Q", Rule.STATED_FORMAT),
        // The same option stated twice (summary, then final line) is one answer.
        Arguments.of(QM, "So {'value': 'M'} it is.\n\n{'value': 'M'}", "M", Rule.STATED_FORMAT),
        // The placeholder echoed while restating the instructions does not count.
        Arguments.of(QM, "I must answer as {'value': '<VALUE_OF_PLAYER_1>'}.\nPlayer 2 chose Q.\n{'value': 'Q'}",
            "Q", Rule.STATED_FORMAT),
        // Without the stated format: the last line decides when it names one option.
        Arguments.of(QM, "Player 2 chose Q twice and M three times.\nANSWER: M", "M", Rule.FINAL_LINE),
        Arguments.of(TEN, "Options X, Y and J were never played; D was played by Player 2 in every round.\n**D**\n\n",
            "D", Rule.FINAL_LINE),
        Arguments.of(QM, "M", "M", Rule.FINAL_LINE),
        Arguments.of(QM, "I'll go with M.", "M", Rule.FINAL_LINE),
        // ...or the whole text when the last line names none.
        Arguments.of(QM, "Player 1 should pick M.\nThis maximises the expected payoff.", "M", Rule.SOLE_MENTION),
        // Multi-letter names are case-insensitive; single letters are not ("a", "q" are no options).
        Arguments.of(NAMES, "I think alice is a safe bet.", "Alice", Rule.FINAL_LINE),
        Arguments.of(QM, "q is a letter; a good pick is M", "M", Rule.FINAL_LINE),
        Arguments.of(new ChoiceParser(List.of("A", "B")), "Player 1 should pick B, a sound choice.", "B", Rule.FINAL_LINE),
        // Tokens: no option inside longer words or contractions.
        Arguments.of(TEN, "Considering MAX payoffs, Player 1 doesn't deviate: X", "X", Rule.FINAL_LINE),
        Arguments.of(new ChoiceParser(List.of("T", "S")), "It's clear. Don't change: S", "S", Rule.FINAL_LINE));
  }

  @ParameterizedTest
  @MethodSource
  void accepted(ChoiceParser parser, String answer, String option, Rule rule) {
    ParsedChoice parsed = parser.parse(answer);
    assertThat(parsed).isInstanceOf(Accepted.class);
    Accepted accepted = (Accepted) parsed;
    assertThat(accepted.name()).isEqualTo(option);
    assertThat(accepted.option()).isEqualTo(parser.options().indexOf(option));
    assertThat(accepted.rule()).isEqualTo(rule);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(QM, "", Reason.EMPTY),
        Arguments.of(QM, "  \n ", Reason.EMPTY),
        Arguments.of(QM, "I need more information about the game before deciding.", Reason.NO_OPTION),
        // Truncated by max_tokens before the answer, as with a 15-token limit.
        Arguments.of(QM, "Let's think step by step. Looking at the history of past", Reason.NO_OPTION),
        // Reasoning that names both options and never commits.
        Arguments.of(QM, "Player 2 picked Q in round 1 and M in round 2.\nBoth Q and M seem plausible.", Reason.AMBIGUOUS),
        Arguments.of(QM, "Either Q or M", Reason.AMBIGUOUS),
        // Stated answers that disagree commit to nothing.
        Arguments.of(QM, "{'value': 'Q'}\nOn reflection:\n{'value': 'M'}", Reason.AMBIGUOUS),
        // The format used, but with something outside the list.
        Arguments.of(QM, "{'value': 'Z'}", Reason.NOT_AN_OPTION),
        Arguments.of(QM, "{'value': '<VALUE_OF_PLAYER_1>'}", Reason.NOT_AN_OPTION),
        Arguments.of(QM, "{'value': 'Q or M'}\nM", Reason.NOT_AN_OPTION),
        Arguments.of(QM, "{'value': 'm'}", Reason.NOT_AN_OPTION),
        // Single letters are case-sensitive.
        Arguments.of(QM, "my pick is q", Reason.NO_OPTION),
        // Inside words and contractions, letters are not options.
        Arguments.of(new ChoiceParser(List.of("T", "M")), "Don'T KNOW, MAYBE", Reason.NO_OPTION));
  }

  @ParameterizedTest
  @MethodSource
  void rejected(ChoiceParser parser, String answer, Reason reason) {
    ParsedChoice parsed = parser.parse(answer);
    assertThat(parsed).isInstanceOf(Rejected.class);
    assertThat(((Rejected) parsed).reason()).isEqualTo(reason);
    assertThat(parsed.accepted()).isFalse();
  }

  @Test
  void theLongerOfTwoOverlappingOptionsWins() {
    ChoiceParser parser = new ChoiceParser(List.of("New York", "York"));
    assertThat(parser.parse("I pick New York")).isEqualTo(new Accepted(0, "New York", Rule.FINAL_LINE));
    assertThat(parser.parse("I pick York")).isEqualTo(new Accepted(1, "York", Rule.FINAL_LINE));
  }

  @Test
  void optionsDifferingOnlyInCaseAreMatchedExactly() {
    ChoiceParser parser = new ChoiceParser(List.of("ab", "AB"));
    assertThat(parser.parse("{'value': 'AB'}")).isEqualTo(new Accepted(1, "AB", Rule.STATED_FORMAT));
    assertThat(parser.parse("I pick Ab").accepted()).isFalse();
  }

  @Test
  void answersToARenderedPromptParseAgainstTheGamePool() {
    NamingPrompt prompt = new NamingPrompt(List.of("Q", "M", "X"), 5, 100, -50, 100,
        NamingPromptTemplates.defaults());
    // The word id comes back whatever order the options were shown in.
    assertThat(prompt.parser().parse("{'value': 'X'}")).isEqualTo(new Accepted(2, "X", Rule.STATED_FORMAT));
  }

  @Test
  void badOptionListsAreRefused() {
    assertThatThrownBy(() -> new ChoiceParser(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChoiceParser(List.of("Q", "Q"))).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> new ChoiceParser(List.of("Q", " M"))).hasMessageContaining("outer spaces");
  }
}
