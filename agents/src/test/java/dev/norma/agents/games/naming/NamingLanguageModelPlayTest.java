package dev.norma.agents.games.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.game.Game;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.study.StudyPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The naming game as the engine's language-model policy sees it, through its module. */
class NamingLanguageModelPlayTest {
  private final StudyPlan plan = new StudyPlan(Specs.parse("""
      policy: {kind: llm}
      game: {memory: 3}
      inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
      """), 7);
  private final LanguageModelPlay play = Games.forKind("naming").languageModel(plan.game(), plan.spec());
  private final NamingPrompt prompt = NamingPrompt.forGame((NamingGame) (Object) plan.game());

  @Test
  void anAgentsPromptIsItsWindowRenderedWithItsOwnStream() {
    NamingMind mind = (NamingMind) plan.newMind(4);
    ((NamingGame) (Object) plan.game()).remember(mind, 1, 2, 0);
    NamingMind twin = (NamingMind) plan.newMind(4);
    ((NamingGame) (Object) plan.game()).remember(twin, 1, 2, 0);
    RenderedPrompt rendered = play.render(mind, mind::nextInt);
    assertThat(rendered).isEqualTo(prompt.render(twin, twin::nextInt));
    assertThat(rendered.user()).contains("Player 1 picked M, Player 2 picked X");
  }

  @Test
  void theLongestPromptShowsTheWholeWindow() {
    assertThat(play.window()).isEqualTo(3);
    assertThat(play.renderAfter(play.window()).user()).contains("Round 3:").doesNotContain("Round 4:");
    assertThat(play.renderAfter(8).user().split("Player 1 picked", -1)).as("cut to the window").hasSize(4);
    assertThat(play.renderAfter(0).user()).doesNotContain("Round 1:");
    assertThat(play.renderFirst(bound -> 0).user()).isEqualTo(prompt.render(List.of(), bound -> 0).user());
  }

  @Test
  void contextTokensFromTheSpecCutEveryPromptIncludingTheLongest() {
    StudyPlan budgeted = new StudyPlan(Specs.parse("""
        policy: {kind: llm, llm: {contextTokens: 31}}
        game: {memory: 3}
        inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
        """), 7);
    LanguageModelPlay cut = Games.forKind("naming").languageModel(budgeted.game(), budgeted.spec());
    NamingGame game = (NamingGame) (Object) budgeted.game();
    NamingPrompt expected = new NamingPrompt(game, NamingPrompt.PAPER_HORIZON, NamingPromptTemplates.defaults(), 31);

    // A round line of one-letter names is 15 tokens: 31 shows two of the three remembered.
    assertThat(cut.window()).isEqualTo(3);
    RenderedPrompt longest = cut.renderAfter(cut.window());
    assertThat(longest.user()).contains("Round 2:").doesNotContain("Round 3:").contains("It is now round 3.");
    assertThat(longest.user()).isNotEqualTo(play.renderAfter(play.window()).user());
    assertThat(cut.renderAfter(8).user()).contains("Round 2:").doesNotContain("Round 3:");
    assertThat(cut.renderFirst(bound -> 0)).isEqualTo(play.renderFirst(bound -> 0));

    NamingMind mind = (NamingMind) budgeted.newMind(4);
    NamingMind twin = (NamingMind) budgeted.newMind(4);
    for (int i = 0; i < 3; i++) {
      game.remember(mind, i, 0, i);
      game.remember(twin, i, 0, i);
    }
    assertThat(cut.render(mind, mind::nextInt)).isEqualTo(expected.render(twin, twin::nextInt));
  }

  @Test
  void aRespondersChoiceIsRememberedAndScored() {
    NamingMind responder = (NamingMind) plan.newMind(2);
    assertThat(play.respond(responder, 5, 5, 0)).isEqualTo(new Game.Reply(5, true));
    assertThat(play.respond(responder, 4, 5, 1)).isEqualTo(new Game.Reply(4, false));
    assertThat(responder.remembered()).isEqualTo(2);
    assertThat(responder.ownChoice(1)).isEqualTo(4);
    assertThat(responder.partnerChoice(1)).isEqualTo(5);
  }

  @Test
  void optionsAndTemplateHashesComeFromTheGame() {
    assertThat(play.options()).isEqualTo(plan.game().names());
    assertThat(play.templateHashes()).containsOnlyKeys("naming-game.system.txt", "naming-game.user.txt",
        "naming-game.history.txt", "naming-game.round.txt");
    assertThat(play.templatesSha256()).isEqualTo(NamingPromptTemplates.defaults().sha256());
  }
}
