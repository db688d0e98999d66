package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.encounter.RecordedTurns;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.ContextSummary;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ultimatum game under {@code policy.llm.contextOverflow: summarise}, the module's stand-in
 * player choosing and the stand-in summariser summarising in the reference loop: with a budget of
 * four encounter lines, agents are asked to summarise before the turns whose history no longer
 * fits, their next prompt shows the summary before the lines left, the summary covers more
 * encounters each time, a seed gives one run, and minds lent by state carry their summary.
 * With {@code dropOldest} nothing is summarised.
 */
class UltimatumContextSummaryTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "ultimatum-llm.yaml");
  private static final int SIZE = 20;
  private static final long ROUNDS = 8;
  /** About four lines of about 24 tokens: a memory of 10 does not fit. */
  private static final int TOKENS = 100;
  private static final String RECALL = "What you recall of earlier encounters: ";
  private static final FakeAnswers FAKE = new UltimatumModule().fakeAnswers();

  private static final EncounterLoop.Model STAND_IN = (agent, index, turn) -> {
    ParsedChoice choice = turn.parser().parse(FAKE.answer(turn.prompt().text(), bound -> 0));
    return choice instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
  };

  private static UltimatumEncounters study(String overflow) throws Exception {
    return new UltimatumModule().encounters(SpecLoader.load(EXAMPLE, List.of("policy.llm.contextTokens=" + TOKENS,
        "policy.llm.contextOverflow=" + overflow)), 7);
  }

  private static RecordedTurns.Played run(EncounterGame<UltimatumMind> game) {
    return RecordedTurns.play(game, SIZE, ROUNDS, STAND_IN, mind -> mind.recall().recollection());
  }

  @Test
  void aTurnWhoseHistoryNoLongerFitsIsPrecededByASummaryThatItsPromptThenShows() throws Exception {
    long started = System.nanoTime();
    RecordedTurns.Played run = run(study("summarise"));
    String system = new UltimatumPrompt(UltimatumPromptTemplates.defaults(), true, TOKENS).system();
    List<RecordedTurns.Summarised> summarised = run.turns().checkedSummaries(system, RECALL, TOKENS);
    System.out.printf("%d summary turns among %d turns in %d encounters (%.0f ms)%n", summarised.size(),
        run.turns().asked().size(), run.outcomes().size(), (System.nanoTime() - started) / 1e6);
    assertThat(summarised).hasSizeGreaterThan(SIZE);
    for (RecordedTurns.Summarised pair : summarised) {
      Turn summary = pair.summary().turn();
      Turn then = pair.then().turn();
      assertThat(summary.role()).isIn("proposer-summary", "responder-summary");
      assertThat(summary.prompt().user()).contains("The encounters that are leaving your memory, oldest first:\nEncounter ");
      assertThat(then.prompt().user()).contains("\nThese are your past encounters, oldest first:\nEncounter ");
      String summaryAndLines = ContextWindow.clipSummary(pair.summary().answer(), TOKENS) + "\n" + then.prompt().user()
          .lines().filter(line -> line.startsWith("Encounter ")).map(line -> line + "\n").reduce("", String::concat);
      assertThat(ContextWindow.estimateTokens(summaryAndLines)).as("the summary and the lines shown fit the budget")
          .isLessThanOrEqualTo(TOKENS);
    }
    RecordedTurns.Summarised again = run.turns().secondSummary();
    assertThat(again).as("an agent summarises its summary again").isNotNull();
    System.out.println("A prompt after its agent's second summary:\n" + again.then().turn().prompt().user());
  }

  @Test
  void aSeedGivesOneRunAndMindsLentByStateCarryTheirSummary() throws Exception {
    RecordedTurns.Played plain = run(study("summarise"));
    RecordedTurns.Played again = run(study("summarise"));
    RecordedTurns.Played lent = run(LentByState.of(study("summarise")));
    again.assertSameAs(plain);
    lent.assertSameAs(plain);
    assertThat(plain.turns().summarised()).isNotEmpty();
  }

  @Test
  void aMindsSummaryTravelsInItsSavedStateAndARuleMindsStateIsUnchanged() throws Exception {
    UltimatumEncounters study = study("summarise");
    EncounterLoop<UltimatumMind> loop = new EncounterLoop<>(study, SIZE);
    loop.run(ROUNDS, null, STAND_IN);
    UltimatumMind mind = loop.mind(3);
    assertThat(mind.recall().recollection().covered()).isPositive();
    UltimatumMind restored = study.newMind(3);
    restored.restore(mind.save());
    assertThat(restored.recall().recollection()).isEqualTo(mind.recall().recollection());
    assertThat(restored.recall().encounters()).isEqualTo(mind.recall().encounters()).isEqualTo(2 * ROUNDS);
    assertThat(restored.save()).isEqualTo(mind.save());

    UltimatumMind ruleMind = new UltimatumGame(UltimatumParameters.standard(SIZE, false)).newMind(3, 7);
    assertThat(ruleMind.recall()).isNull();
    assertThat(ruleMind.save().contents()).hasSize(8 + ruleMind.capacity());
  }

  @Test
  void droppingTheOldestAsksNoSummary() throws Exception {
    RecordedTurns.Played dropped = run(study("dropOldest"));
    assertThat(dropped.turns().summarised()).isEmpty();
    assertThat(dropped.turns().prompts()).noneMatch(prompt -> prompt.contains(RECALL) || prompt.contains(
        "Fold them into your summary."));
    assertThat(dropped.turns().prompts()).anyMatch(prompt -> prompt.contains("past encounters, oldest first:\nEncounter 7"));
  }
}
