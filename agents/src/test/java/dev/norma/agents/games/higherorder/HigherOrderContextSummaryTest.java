package dev.norma.agents.games.higherorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.encounter.RecordedTurns;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.ParsedChoice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The higher-order naming game under {@code policy.llm.contextOverflow: summarise}, the stand-in
 * player choosing and the stand-in summariser summarising in the reference loop: with a budget of
 * about two meeting lines and a memory of five, uncommitted agents are asked to summarise before
 * the turns whose meetings no longer fit, their next prompt shows the summary before the meetings
 * left, the summary covers more meetings each time, a seed gives one run, minds lent by state
 * carry their summary, and committed agents, who take no calls, never summarise. With
 * {@code dropOldest} nothing is summarised.
 */
class HigherOrderContextSummaryTest {
  private static final int N = 30;
  private static final long ROUNDS = 6;
  /** Two lines of about 20 tokens fit; a memory of five does not. */
  private static final int TOKENS = 50;
  private static final String RECALL = "What you recall of earlier meetings: ";
  private static final HigherOrderFakeAnswers FAKE = new HigherOrderFakeAnswers();
  private static final String BASE = """
      game: {kind: higher-order-naming, settings: {memory: 5}}
      population: {size: 30}
      committed: {fraction: 0.2}
      policy: {kind: llm, llm: {contextTokens: 50}}
      inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
      stop: {onConvergence: false, onFlip: false, maxRounds: 400}
      """;

  private static final EncounterLoop.Model STAND_IN = (agent, index, turn) -> {
    ParsedChoice choice = turn.parser().parse(FAKE.answer(turn.prompt().text(), bound -> 0));
    return choice instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
  };

  private static HigherOrderEncounters study(String overflow) {
    return new HigherOrderModule().encounters(Specs.parse(BASE, "policy.llm.contextOverflow=" + overflow), 5);
  }

  private static RecordedTurns.Played run(EncounterGame<ConventionMind> game) {
    return RecordedTurns.play(game, N, ROUNDS, STAND_IN, mind -> mind.recall().recollection());
  }

  @Test
  void aTurnWhoseMeetingsNoLongerFitIsPrecededByASummaryThatItsPromptThenShows() {
    long started = System.nanoTime();
    HigherOrderEncounters game = study("summarise");
    RecordedTurns.Played run = run(game);
    String system = new HigherOrderPrompts(List.of("M", "Q"), 3, TOKENS).speaker(new ConventionMind(0, 5, ConventionMind.B),
        List.of(ConventionMind.A, ConventionMind.B)).system();
    List<RecordedTurns.Summarised> summarised = run.turns().checkedSummaries(system, RECALL, TOKENS);
    System.out.printf("%d summary turns among %d turns in %d encounters (%.0f ms)%n", summarised.size(),
        run.turns().asked().size(), run.outcomes().size(), (System.nanoTime() - started) / 1e6);
    assertThat(summarised).hasSizeGreaterThan(N);
    Set<Integer> summarising = new HashSet<>();
    for (RecordedTurns.Summarised pair : summarised) {
      summarising.add(pair.summary().agent());
      assertThat(pair.summary().turn().role()).isIn("speaker-summary", "hearer-summary");
      assertThat(pair.summary().turn().prompt().user()).contains(
          "The encounters that are leaving your memory, oldest first:\nMeeting 1: you were ");
      assertThat(pair.then().turn().prompt().user()).contains(" meetings, oldest first:\nMeeting 1: you were ");
    }
    RecordedTurns.Summarised again = run.turns().secondSummary();
    assertThat(again).as("an agent summarises its summary again").isNotNull();
    System.out.println("A prompt after its agent's second summary:\n" + again.then().turn().prompt().user());
    for (int agent : summarising) {
      assertThat(game.newMind(agent).committedAt(0)).as("a committed agent never summarises").isFalse();
    }
  }

  @Test
  void aSeedGivesOneRunAndMindsLentByStateCarryTheirSummary() {
    RecordedTurns.Played plain = run(study("summarise"));
    RecordedTurns.Played again = run(study("summarise"));
    RecordedTurns.Played lent = run(LentByState.of(study("summarise")));
    again.assertSameAs(plain);
    lent.assertSameAs(plain);
    assertThat(plain.turns().summarised()).isNotEmpty();
  }

  @Test
  void aMindsSummaryTravelsInItsSavedStateAndARuleMindsStateIsUnchanged() {
    HigherOrderEncounters game = study("summarise");
    EncounterLoop<ConventionMind> loop = new EncounterLoop<>(game, N);
    loop.run(ROUNDS, null, STAND_IN);
    ConventionMind mind = null;
    for (int id = 0; mind == null; id++) {
      if (loop.mind(id).recall().recollection().covered() > 0) {
        mind = loop.mind(id);
      }
    }
    ConventionMind restored = game.newMind(mind.id());
    restored.restore(mind.save());
    assertThat(restored.recall().recollection()).isEqualTo(mind.recall().recollection());
    assertThat(restored.recall().encounters()).isEqualTo(mind.recall().encounters()).isGreaterThan(5);
    assertThat(restored.save()).isEqualTo(mind.save());

    ConventionMind ruleMind = new ConventionMind(7, 1, ConventionMind.B);
    assertThat(ruleMind.recall()).isNull();
    assertThat(ruleMind.save().contents()).containsExactly(2);
  }

  @Test
  void droppingTheOldestAsksNoSummary() {
    RecordedTurns.Played dropped = run(study("dropOldest"));
    assertThat(dropped.turns().summarised()).isEmpty();
    assertThat(dropped.turns().prompts()).noneMatch(prompt -> prompt.contains(RECALL) || prompt.contains(
        "Fold them into your summary."));
    assertThat(dropped.turns().prompts()).anyMatch(prompt -> prompt.contains("Your last 2 meetings"));
  }
}
