package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What a language-model player of the ultimatum game is shown, and what the stand-in player
 * answers: the rules, the history oldest first and cut to the context window, the record a
 * proposer is told, and answers that the turn's own parser reads as the intended choice.
 */
class UltimatumPromptTest {
  private static final UltimatumFakeAnswers FAKE = new UltimatumFakeAnswers();

  private static UltimatumGame game(boolean reputation) {
    return new UltimatumGame(UltimatumParameters.standard(4, reputation));
  }

  private static UltimatumPrompt prompt(boolean reputation, Integer contextTokens) {
    return new UltimatumPrompt(UltimatumPromptTemplates.defaults(), reputation, contextTokens);
  }

  private static UltimatumMind mind(int id) {
    return new UltimatumMind(id, 1, 10);
  }

  /** The choice the stand-in player makes at {@code turn}, read by the turn's parser. */
  private static String fakeChoice(Turn turn) {
    ParsedChoice choice = turn.parser().parse(FAKE.answer(turn.prompt().text(), bound -> 0));
    assertThat(choice).isInstanceOf(ParsedChoice.Accepted.class);
    return turn.options().get(((ParsedChoice.Accepted) choice).option());
  }

  @Test
  void theRulesStateTheSumTheRolesThePayoffsAndUnderReputationTheRecord() {
    String rules = prompt(false, null).system();
    assertThat(rules)
        .startsWith("You are one of many players who meet in pairs, again and again, to split a sum of 100 points.")
        .contains("in steps of 10 points from 0 to 100")
        .contains("If the responder accepts, the responder earns the offer and the proposer earns the rest"
            + " (100 minus the offer).\nIf the responder rejects, both earn 0 points.\nThe objective")
        .endsWith("naming your choice:\n{'value': '<YOUR_CHOICE>'}")
        .doesNotContain("record", "known");
    assertThat(prompt(true, null).system())
        .contains("both earn 0 points.\nBefore making an offer, a proposer may be told the lowest offer its responder"
            + " accepted among the encounters that responder remembers: what you accept as a responder becomes known"
            + " to the proposers you meet later.\nThe objective");
    assertThat(FAKE.reads(rules)).isTrue();
    assertThat(FAKE.reads("Context: Player 1 is playing a multi-round partnership game")).isFalse();
  }

  @Test
  void aNewProposerSeesItsOptionsAndNoHistory() {
    RenderedPrompt shown = prompt(false, null).proposer(mind(0), false, OptionalInt.empty());
    assertThat(shown.user()).isEqualTo("You are the proposer in this encounter. The offers you can make are: 0, 10,"
        + " 20, 30, 40, 50, 60, 70, 80, 90, 100.\nIt is now encounter 1. Your current score is 0.\nAnswer saying how"
        + " many points you offer, thinking step by step and ending with the final line in the format given above.");
    assertThat(shown.currentRound()).isEqualTo(1);
    assertThat(shown.optionOrder()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(shown.templatesSha256()).isEqualTo(UltimatumPromptTemplates.defaults().sha256()).hasSize(64);
    assertThat(UltimatumPromptTemplates.defaults().hashes()).hasSize(UltimatumPromptTemplates.Part.values().length)
        .containsKey("ultimatum.system.txt");
  }

  @Test
  void theHistoryShowsRememberedEncountersOldestFirstAndTheScoreOverThem() {
    UltimatumMind responder = mind(1);
    responder.remember(Role.PROPOSER, 30, true, 70);
    responder.remember(Role.RESPONDER, 20, false, 0);
    RenderedPrompt shown = prompt(false, null).responder(responder, 40);
    assertThat(shown.user()).isEqualTo("These are your past encounters, oldest first:\n"
        + "Encounter 1: you were the proposer, the offer was 30, the responder accepted it; you earned 70.\n"
        + "Encounter 2: you were the responder, the offer was 20, the responder rejected it; you earned 0.\n"
        + "You are the responder in this encounter. The proposer offers you 40 of the 100 points and would keep 60.\n"
        + "Your options are: accept, reject.\nIt is now encounter 3. Your current score is 70.\n"
        + "Answer saying whether you accept or reject the offer, thinking step by step and ending with the final"
        + " line in the format given above.");
    assertThat(shown.score()).isEqualTo(70);
    assertThat(shown.currentRound()).isEqualTo(3);
  }

  @Test
  void aProposerToldTheRecordSeesTheLowestAcceptedOfferOrThatThereIsNone() {
    UltimatumPrompt prompt = prompt(true, null);
    assertThat(prompt.proposer(mind(0), true, OptionalInt.of(40)).user()).startsWith("You are told this"
        + " responder's record: the lowest offer it accepted among the encounters it remembers is 40.\nYou are the"
        + " proposer in this encounter.");
    assertThat(prompt.proposer(mind(0), true, OptionalInt.empty()).user()).startsWith("You are told this"
        + " responder's record: it remembers accepting no offer.\nYou are the proposer");
    assertThat(prompt.proposer(mind(0), false, OptionalInt.of(40)).user()).startsWith("You are the proposer");
  }

  /** The oldest encounters leave the prompt first; the lines keep their numbers and the score counts those shown. */
  @Test
  void contextTokensKeepTheNewestEncounters() {
    UltimatumMind proposer = mind(0);
    for (int i = 0; i < 10; i++) {
      proposer.remember(Role.PROPOSER, 10 * i, true, 100 - 10 * i);
    }
    // Each line is 90-odd characters, 24 estimated tokens: 60 tokens hold the newest two.
    String all = prompt(false, null).proposer(proposer, false, OptionalInt.empty()).user();
    RenderedPrompt cut = prompt(false, 60).proposer(proposer, false, OptionalInt.empty());
    assertThat(all).contains("Encounter 1: ", "Encounter 10: ");
    assertThat(cut.user()).doesNotContain("Encounter 1: ", "Encounter 8: ")
        .contains("Encounter 9: you were the proposer, the offer was 80", "Encounter 10: ")
        .contains("It is now encounter 11. Your current score is 30.");
    assertThat(cut.score()).isEqualTo(20 + 10);
    assertThat(prompt(false, 10).proposer(proposer, false, OptionalInt.empty()).user())
        .startsWith("You are the proposer").contains("Your current score is 0.");
  }

  @Test
  void theStandInProposerOpensAtHalfThenStepsDownAfterAnAcceptanceAndUpAfterARejection() {
    UltimatumConversations conversations = new UltimatumConversations(game(false), UltimatumPromptTemplates.defaults(),
        null);
    UltimatumMind proposer = mind(0);
    UltimatumMind responder = mind(1);
    assertThat(fakeChoice(proposerTurn(conversations, proposer, responder))).isEqualTo("50");
    proposer.remember(Role.PROPOSER, 50, true, 50);
    assertThat(fakeChoice(proposerTurn(conversations, proposer, responder))).isEqualTo("40");
    proposer.remember(Role.RESPONDER, 90, true, 90);
    proposer.remember(Role.PROPOSER, 0, false, 0);
    assertThat(fakeChoice(proposerTurn(conversations, proposer, responder))).isEqualTo("10");
  }

  @Test
  void theStandInProposerToldARecordOffersIt() {
    UltimatumConversations conversations = new UltimatumConversations(game(true), UltimatumPromptTemplates.defaults(),
        null);
    UltimatumMind proposer = mind(0);
    UltimatumMind responder = mind(1);
    responder.remember(Role.RESPONDER, 70, true, 70);
    responder.remember(Role.RESPONDER, 40, true, 40);
    responder.remember(Role.RESPONDER, 30, false, 0);
    proposer.remember(Role.PROPOSER, 80, true, 20);
    assertThat(fakeChoice(proposerTurn(conversations, proposer, responder))).isEqualTo("40");
  }

  @Test
  void theStandInResponderAcceptsAnythingButNothingWithoutReputationAndStandsFirmBelow40WithIt() {
    for (boolean reputation : new boolean[] {false, true}) {
      UltimatumConversations conversations = new UltimatumConversations(game(reputation),
          UltimatumPromptTemplates.defaults(), null);
      for (int offer = 0; offer <= 100; offer += 10) {
        Exchange exchange = conversations.open(new UltimatumMind[] {mind(0), mind(1)}, 0);
        exchange.next();
        exchange.choose(offer / 10);
        Turn turn = exchange.next();
        assertThat(turn.role()).isEqualTo("responder");
        boolean accepts = offer >= (reputation ? 40 : 10);
        assertThat(fakeChoice(turn)).as("reputation %b, offer %d", reputation, offer)
            .isEqualTo(accepts ? "accept" : "reject");
      }
    }
  }

  private static Turn proposerTurn(UltimatumConversations conversations, UltimatumMind proposer,
                                   UltimatumMind responder) {
    Turn turn = conversations.open(new UltimatumMind[] {proposer, responder}, 0).next();
    assertThat(turn.number()).isZero();
    assertThat(turn.participant()).isZero();
    assertThat(turn.role()).isEqualTo("proposer");
    return turn;
  }
}
