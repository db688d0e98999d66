package dev.norma.agents.games.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.study.StudyPlan;
import org.junit.jupiter.api.Test;

/** What a language-model agent is shown and may answer as {@code relabel}, {@code addNames} and {@code payoff} change the game. */
class NamingPhasesTest {
  private final StudyPlan plan = new StudyPlan(Specs.parse("""
      population: {size: 10}
      policy: {kind: llm}
      game: {names: [Q, M, X], memory: 3, payoff: {success: 100, failure: -50}}
      inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
      interventions:
        - {at: {round: 2}, action: addNames, names: [K]}
        - {at: {round: 4}, action: relabel, from: Q, to: X}
        - {at: {round: 6}, action: payoff, success: 7, failure: -3}
      """), 7);
  private final NamingGame game = (NamingGame) (Object) plan.game();
  private final LanguageModelPlay play = Games.forKind("naming").languageModel(plan.game(), plan.spec());

  private RenderedPrompt render(NamingMind mind, long index) {
    return play.render(mind, index, bound -> 0);
  }

  @Test
  void eachPhaseOffersItsNamesAndStatesItsPayoff() {
    NamingMind mind = (NamingMind) plan.newMind(1);
    RenderedPrompt first = render(mind, 19);
    assertThat(first.optionOrder()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(first.system()).contains("100 points").contains("-50 points");
    // Rendering before any change is the prompt of the game without interventions.
    assertThat(first).isEqualTo(NamingPrompt.forGame(game).render(mind, bound -> 0));
    assertThat(render(mind, 20).optionOrder()).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(render(mind, 20).user()).contains("K");
    assertThat(render(mind, 40).optionOrder()).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(render(mind, 60).system()).contains("7 points").contains("-3 points");
    assertThat(game.payoff(true, 59)).isEqualTo(100);
    assertThat(game.payoff(false, 60)).isEqualTo(-3);
  }

  @Test
  void aRelabelRewritesTheHistoryAPromptShowsAndAnswersNameOnlyTheOptionsOffered() {
    NamingMind mind = (NamingMind) plan.newMind(2);
    game.remember(mind, 0, 1, 5); // own Q, partner M
    assertThat(render(mind, 39).user()).contains("Player 1 picked Q");
    assertThat(render(mind, 40).user()).contains("Player 1 picked X").doesNotContain("picked Q");
    assertThat(mind.ownChoice(0)).isEqualTo(2); // the mind itself now remembers X

    String answerK = "{'value': 'K'}";
    assertThat(play.parser(19).parse(answerK).accepted()).isFalse();
    assertThat(play.parser(20).parse(answerK)).isEqualTo(new ParsedChoice.Accepted(3, "K",
        ParsedChoice.Rule.STATED_FORMAT));
    assertThat(play.parser(40).parse("{'value': 'Q'}").accepted()).isFalse();
    assertThat(play.parser(40).parse("{'value': 'M'}")).isEqualTo(new ParsedChoice.Accepted(1, "M",
        ParsedChoice.Rule.STATED_FORMAT));
  }
}
