package dev.norma.agents.games.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.encounter.Utterance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The study's measures on a fixed transcript, every figure counted by hand in the comments: word
 * tokens, first-person plural forms, the stance rule, the completions' sentiment, the halves of
 * the debate, and a turn without a text.
 */
class IdentityTextTest {
  private static final IdentityText RULES = IdentityText.of(IdentitySettings.DEFAULT_PLURAL,
      List.of("agree", "together", "common ground"), List.of("wrong", "my opponent"),
      List.of("fair", "honest", "partners", "kind"), List.of("wrong", "rivals", "careless"));

  /** A debate of 4 turns between agents 10 and 11, then their completions. */
  private static final List<Utterance> TRANSCRIPT = List.of(
      // 11 tokens; we: 1; adversarial: wrong, my opponent (2) against 0: adversarial
      line(0, 10, "debater", "I think my opponent is wrong, and we will see why."),
      // 11 tokens; we, we're, our: 3; cooperative: agree, together, common ground (3): cooperative
      line(1, 11, "debater", "We agree: together we're stronger, and our ground is common ground."),
      // no text: invalid, in no count
      line(2, 10, "debater", ""),
      // 4 tokens; ours, us, ourselves, us: 4; no phrase: neutral
      line(3, 11, "debater", "Ours, US, ourselves \u2014 Us!"),
      // fair, honest, partners: (3 - 0) / 3 = 1
      line(4, 10, "we-are", "We are fair and honest partners."),
      // fair against wrong: (1 - 1) / 2 = 0
      line(5, 10, "they-are", "They are wrong but fair."),
      // rivals: (0 - 1) / 1 = -1
      line(6, 11, "we-are", "We are rivals."),
      // kind against careless twice: (1 - 2) / 3
      line(7, 11, "they-are", "They are careless, careless and kind."));

  private static Utterance line(int turn, int agent, String role, String text) {
    return new Utterance(turn, agent, role, "m", text, IdentityText.tokens(text).size());
  }

  @Test
  void tokensAreRunsOfLettersDigitsAndApostrophesInLowerCase() {
    assertThat(IdentityText.tokens("We're not wrong, it\u2019s 2 of US.")).containsExactly("we're", "not", "wrong",
        "it's", "2", "of", "us");
    assertThat(IdentityText.tokens("  \u2014 ")).isEmpty();
  }

  @Test
  void pluralFormsCountWholeTokensAndTheirContractionsOnly() {
    // we, we've, our, us: 4; "west", "usual", "wee" and "sour" are not forms
    assertThat(RULES.plural(IdentityText.tokens("We, we've our west usual wee sour us"))).isEqualTo(4);
  }

  @Test
  void theStanceRuleCountsPhrasesAsWholeTokenSequences() {
    assertThat(RULES.stance(IdentityText.tokens("Common ground? I agree."))).isEqualTo(IdentityText.Stance.COOPERATIVE);
    // "wrongly" is not "wrong"; one each way is neutral
    assertThat(RULES.stance(IdentityText.tokens("Wrongly common ground, but wrong."))).isEqualTo(
        IdentityText.Stance.NEUTRAL);
    assertThat(IdentityText.occurrences(IdentityText.tokens("my opponent and my opponent"),
        List.of(List.of("my", "opponent")))).isEqualTo(2);
  }

  @Test
  void sentimentIsNaNWithoutWordListsAndZeroWithoutListedWords() {
    IdentityText unscored = IdentityText.of(List.of("we"), List.of(), List.of(), List.of(), List.of());
    assertThat(unscored.sentiment(IdentityText.tokens("We are fair."))).isNaN();
    assertThat(RULES.sentiment(IdentityText.tokens("We are here."))).isZero();
  }

  @Test
  void aFixedTranscriptTalliesAsCountedByHand() {
    DebateTally tally = DebateTally.of(2, 4, TRANSCRIPT, RULES);

    assertThat(tally.condition()).isEqualTo(2);
    assertThat(tally.turns()).isEqualTo(3);
    assertThat(tally.invalid()).isEqualTo(1);
    assertThat(tally.tokens()).isEqualTo(26);
    assertThat(tally.plural()).isEqualTo(8);
    // First half: turns 0 and 1; last half: turns 2 and 3, of which 3 has a text.
    assertThat(tally.earlyTokens()).isEqualTo(22);
    assertThat(tally.earlyPlural()).isEqualTo(4);
    assertThat(tally.lateTokens()).isEqualTo(4);
    assertThat(tally.latePlural()).isEqualTo(4);
    assertThat(tally.cooperative()).isEqualTo(1);
    assertThat(tally.adversarial()).isEqualTo(1);
    assertThat(tally.weAre()).isZero();
    assertThat(tally.theyAre()).isCloseTo(-1.0 / 6, within(1e-12));
    assertThat(tally.pluralPerThousand()).isCloseTo(8000.0 / 26, within(1e-9));
    assertThat(tally.drift()).isCloseTo(1000 - 4000.0 / 22, within(1e-9));
    assertThat(DebateTally.of(tally.outcome())).isEqualTo(tally);
  }

  @Test
  void aJudgedTranscriptKeepsTheRulesReadingBesideTheJudgesWithBothStancesOfEachJudgedMessage() {
    // The judge: turn 0 (adversarial by the rules) cooperative, turn 1 (cooperative) cooperative,
    // turn 3 (neutral) no verdict; "We are…" of agent 10 negative, the others unjudged.
    JudgeVerdicts verdicts = new JudgeVerdicts(java.util.Map.of(0, IdentityText.Stance.COOPERATIVE,
        1, IdentityText.Stance.COOPERATIVE), java.util.Map.of(4, -1.0), 1);
    DebateTally tally = DebateTally.compared(2, 4, TRANSCRIPT, RULES, verdicts);

    assertThat(tally.cooperative()).isEqualTo(2);
    assertThat(tally.adversarial()).isZero();
    assertThat(tally.weAre()).isEqualTo(-1.0);
    assertThat(tally.invalid()).isEqualTo(2); // the empty turn and the verdict never given
    DebateTally.RulesBeside rules = tally.rules();
    assertThat(rules.cooperative()).isEqualTo(1);
    assertThat(rules.adversarial()).isEqualTo(1);
    assertThat(rules.weAre()).isZero();
    assertThat(rules.theyAre()).isCloseTo(-1.0 / 6, within(1e-12));
    // Rows the judge's stance, columns the rules': cooperative/cooperative 1, cooperative/adversarial 1.
    assertThat(rules.stanceTable()).isEqualTo(new long[][] {{1, 1, 0}, {0, 0, 0}, {0, 0, 0}});
    assertThat(DebateTally.columns(true)).hasSize(tally.outcome().length).contains("cooperativeRules",
        "judgeCooperativeRulesAdversarial");
    assertThat(DebateTally.of(tally.outcome())).isEqualTo(tally);
  }

  @Test
  void theMiddleTurnOfAnOddDebateIsInNeitherHalf() {
    List<Utterance> five = List.of(line(0, 1, "debater", "we"), line(1, 2, "debater", "us us"),
        line(2, 1, "debater", "our our our"), line(3, 2, "debater", "x"), line(4, 1, "debater", "we y"));
    DebateTally tally = DebateTally.of(0, 5, five, RULES);
    assertThat(tally.earlyTokens()).isEqualTo(3);
    assertThat(tally.earlyPlural()).isEqualTo(3);
    assertThat(tally.lateTokens()).isEqualTo(3);
    assertThat(tally.latePlural()).isEqualTo(1);
    assertThat(tally.weAre()).isNaN();
  }

  @Test
  void theMeasuresGroupDebatesByConditionWithAnIntervalAcrossPairs() {
    IdentityMeasures measures = new IdentityMeasures(List.of("a", "b"), 1);
    DebateTally hand = DebateTally.of(0, 4, TRANSCRIPT, RULES);
    // condition a: the hand-counted debate and one of 10 tokens with 1 plural form (100 per 1,000)
    DebateTally other = new DebateTally(0, 2, 0, 10, 1, 5, 0, 5, 1, 0, 2, Double.NaN, Double.NaN, null);
    measures.encounter(0, new int[] {10, 11}, hand.outcome());
    measures.encounter(1, new int[] {12, 13}, other.outcome());
    double[] row = measures.endRound(0);
    List<String> columns = measures.columns();
    assertThat(columns).hasSize(2 + 2 * IdentityMeasures.FIGURES.size()).startsWith("wePer1k", "cooperative",
        "a_wePer1k", "a_wePer1kLow", "a_wePer1kHigh", "a_wePerTurn", "a_weDrift");
    double meanRate = (8000.0 / 26 + 100) / 2;
    assertThat(row[0]).isCloseTo(meanRate, within(1e-9));
    assertThat(row[1]).isCloseTo(1.0 / 5, within(1e-12)); // 1 cooperative turn of 5 with a text
    assertThat(row[columns.indexOf("a_wePer1k")]).isCloseTo(meanRate, within(1e-9));
    assertThat(row[columns.indexOf("a_wePer1kLow")]).isCloseTo(100, within(1e-9));
    assertThat(row[columns.indexOf("a_wePer1kHigh")]).isCloseTo(8000.0 / 26, within(1e-9));
    assertThat(row[columns.indexOf("a_wePerTurn")]).isCloseTo(9.0 / 5, within(1e-12));
    assertThat(row[columns.indexOf("a_weDrift")]).isCloseTo((1000 - 4000.0 / 22 + 200) / 2, within(1e-9));
    assertThat(row[columns.indexOf("a_adversarial")]).isCloseTo(3.0 / 5, within(1e-12));
    assertThat(row[columns.indexOf("a_weAre")]).isZero(); // the other debate has no scored completion
    assertThat(row[columns.indexOf("a_invalid")]).isEqualTo(1);
    assertThat(row[columns.indexOf("b_wePer1k")]).isNaN();
    assertThat(row[columns.indexOf("b_invalid")]).isZero();
    // Counts start again each round.
    assertThat(measures.endRound(1)[columns.indexOf("a_wePer1k")]).isNaN();
  }
}
