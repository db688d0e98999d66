package dev.norma.agents.games.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Streams;
import dev.norma.agents.games.naming.NamingPrompt.Interaction;
import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.RenderedPrompt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamingPromptTest {
  private static final List<String> QM = List.of("Q", "M");
  private static final List<String> TEN = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
  /** Always draws 0: with two names the shuffle swaps them, so M is shown first. */
  private static final IntUnaryOperator ZEROS = bound -> 0;

  private static NamingPrompt paperPrompt(List<String> names, int memory) {
    return new NamingPrompt(names, memory, 100, -50, 100, NamingPromptTemplates.defaults());
  }

  @Test
  void rendersTheSmallCaseExactly() {
    NamingPrompt prompt = paperPrompt(QM, 3);
    RenderedPrompt rendered = prompt.render(List.of(new Interaction(0, 1), new Interaction(1, 1)), ZEROS);

    assertThat(rendered.system()).isEqualTo("""
        Context: Player 1 is playing a multi-round partnership game with Player 2 for 100 rounds.
        In each round, Player 1 and Player 2 simultaneously pick a value from the same list of values.
        The payoff that both players get is determined by the following rule:
        1. If the players pick the SAME value as each other, they are both REWARDED with a payoff of 100 points.
        2. If the players pick DIFFERENT values from each other, they are both PUNISHED with a payoff of -50 points.
        The objective of each player is to maximize their own accumulated point tally, conditional on the behavior \
        of the other player.
        Think step by step before making a decision, and examine the history of past rounds explicitly.
        Finish your answer with one final line in exactly this format, naming the value Player 1 should pick:
        {'value': '<VALUE_OF_PLAYER_1>'}""");
    assertThat(rendered.user()).isEqualTo("""
        The values Player 1 and Player 2 can pick from are: M, Q.
        This is the history of choices in past rounds:
        Round 1: Player 1 picked Q, Player 2 picked M, payoff -50.
        Round 2: Player 1 picked M, Player 2 picked M, payoff 100.
        It is now round 3. The current score of Player 1 is 50.
        Answer saying which value Player 1 should pick, thinking step by step and ending with the final line \
        in the format given above.""");
    assertThat(rendered.optionOrder()).containsExactly(1, 0);
    assertThat(rendered.currentRound()).isEqualTo(3);
    assertThat(rendered.score()).isEqualTo(50);
    assertThat(rendered.text()).isEqualTo(rendered.system() + "\n\n" + rendered.user());
  }

  @Test
  void emptyMemoryShowsRoundOneScoreZeroAndNoHistory() {
    RenderedPrompt rendered = paperPrompt(QM, 5).render(List.of(), ZEROS);

    assertThat(rendered.user()).isEqualTo("""
        The values Player 1 and Player 2 can pick from are: M, Q.
        It is now round 1. The current score of Player 1 is 0.
        Answer saying which value Player 1 should pick, thinking step by step and ending with the final line \
        in the format given above.""");
    assertThat(rendered.currentRound()).isEqualTo(1);
    assertThat(rendered.score()).isZero();
  }

  @Test
  void scoreAndHistoryCoverTheRememberedWindowOnly() {
    NamingGame game = new NamingGame(QM, 3, 100, -50, new MemoryPolicy(2, 0.1, null), -1);
    NamingMind mind = game.newMind(7, 42);
    game.remember(mind, 0, 0, 0); // forgotten: two successes worth +200
    game.remember(mind, 1, 1, 1);
    game.remember(mind, 0, 1, 2);
    game.remember(mind, 1, 0, 3);
    game.remember(mind, 1, 1, 4);

    RenderedPrompt rendered = NamingPrompt.forGame(game).render(mind, ZEROS);

    assertThat(rendered.score()).isEqualTo(-50 - 50 + 100);
    assertThat(rendered.currentRound()).isEqualTo(4);
    assertThat(rendered.user())
        .contains("Round 1: Player 1 picked Q, Player 2 picked M, payoff -50.\n"
            + "Round 2: Player 1 picked M, Player 2 picked Q, payoff -50.\n"
            + "Round 3: Player 1 picked M, Player 2 picked M, payoff 100.\n"
            + "It is now round 4. The current score of Player 1 is 0.")
        .doesNotContain("Round 4:");
    // A window handed over longer than H is cut the same way.
    List<Interaction> longWindow = List.of(new Interaction(0, 0), new Interaction(1, 1), new Interaction(0, 1),
        new Interaction(1, 0), new Interaction(1, 1));
    assertThat(NamingPrompt.forGame(game).render(longWindow, ZEROS)).isEqualTo(rendered);
  }

  /** Five plays, oldest first: Q/M -50, M/M +100, Q/Q +100, M/Q -50, M/M +100. */
  private static final List<Interaction> FIVE_PLAYS = List.of(new Interaction(0, 1), new Interaction(1, 1),
      new Interaction(0, 0), new Interaction(1, 0), new Interaction(1, 1));
  /** A default round line of one-letter names is 58 characters and its line break: 15 tokens. */
  private static final int ROUND_LINE_TOKENS = 15;

  private static NamingPrompt budgetedPrompt(int memory, Integer contextTokens) {
    return new NamingPrompt(QM, memory, 100, -50, 100, NamingPromptTemplates.defaults(), contextTokens);
  }

  @Test
  void aSmallBudgetShowsOnlyTheNewestRoundsRenumbered() {
    RenderedPrompt rendered = budgetedPrompt(5, 2 * ROUND_LINE_TOKENS + 1).render(FIVE_PLAYS, ZEROS);

    // What is shown reads as the paper's prompt of an agent that remembers only those two plays.
    assertThat(rendered).isEqualTo(paperPrompt(QM, 5).render(FIVE_PLAYS.subList(3, 5), ZEROS));
    assertThat(rendered.user()).contains("""
        This is the history of choices in past rounds:
        Round 1: Player 1 picked M, Player 2 picked Q, payoff -50.
        Round 2: Player 1 picked M, Player 2 picked M, payoff 100.
        It is now round 3. The current score of Player 1 is 50.""");
    assertThat(rendered.currentRound()).isEqualTo(3);
    assertThat(rendered.score()).as("the two rounds shown, not the five remembered").isEqualTo(-50 + 100);
    assertThat(budgetedPrompt(5, 2 * ROUND_LINE_TOKENS - 1).render(FIVE_PLAYS, ZEROS).user())
        .contains("Round 1: Player 1 picked M, Player 2 picked M, payoff 100.\nIt is now round 2.")
        .doesNotContain("Round 2:");
  }

  @Test
  void aBudgetBelowOneLineShowsNoHistory() {
    RenderedPrompt rendered = budgetedPrompt(5, ROUND_LINE_TOKENS - 1).render(FIVE_PLAYS, ZEROS);

    assertThat(rendered).isEqualTo(budgetedPrompt(5, null).render(List.of(), ZEROS));
    assertThat(rendered.user()).doesNotContain("history", "Round 1:").contains("It is now round 1.");
    assertThat(rendered.score()).isZero();
  }

  @Test
  void noBudgetOrOneThatFitsEverythingRendersThePapersPrompt() {
    RenderedPrompt paper = paperPrompt(QM, 5).render(FIVE_PLAYS, ZEROS);

    assertThat(budgetedPrompt(5, null).render(FIVE_PLAYS, ZEROS)).isEqualTo(paper);
    assertThat(budgetedPrompt(5, 5 * ROUND_LINE_TOKENS).render(FIVE_PLAYS, ZEROS)).isEqualTo(paper);
    assertThat(budgetedPrompt(5, 5 * ROUND_LINE_TOKENS - 1).render(FIVE_PLAYS, ZEROS)).isNotEqualTo(paper);
    assertThat(paper.currentRound()).isEqualTo(6);
    assertThat(paper.score()).isEqualTo(200);
  }

  @Test
  void theBudgetCutsAfterTheMemory() {
    // H = 3 keeps the last three plays; the budget then keeps two of them.
    RenderedPrompt rendered = budgetedPrompt(3, 2 * ROUND_LINE_TOKENS).render(FIVE_PLAYS, ZEROS);

    assertThat(rendered).isEqualTo(budgetedPrompt(5, 2 * ROUND_LINE_TOKENS).render(FIVE_PLAYS, ZEROS));
    assertThat(budgetedPrompt(3, 5 * ROUND_LINE_TOKENS).render(FIVE_PLAYS, ZEROS))
        .isEqualTo(paperPrompt(QM, 3).render(FIVE_PLAYS, ZEROS));
  }

  @Test
  void rememberedCountsTheRoundsShown(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("naming-game.history.txt"),
        "Your last ${remembered} of ${memory} rounds:\n${rounds}\n");
    NamingPrompt prompt = new NamingPrompt(QM, 5, 100, -50, 100, NamingPromptTemplates.fromDirectory(dir),
        2 * ROUND_LINE_TOKENS);

    assertThat(prompt.render(FIVE_PLAYS, ZEROS).user()).contains("Your last 2 of 5 rounds:\nRound 1: ");
  }

  @Test
  void aMindsPromptIsCutLikeItsWindow() {
    NamingGame game = new NamingGame(QM, 5, 100, -50, new MemoryPolicy(2, 0.1, null), -1);
    NamingMind mind = game.newMind(1, 2);
    for (int i = 0; i < FIVE_PLAYS.size(); i++) {
      game.remember(mind, FIVE_PLAYS.get(i).own(), FIVE_PLAYS.get(i).partner(), i);
    }
    NamingPrompt prompt = new NamingPrompt(game, 100, NamingPromptTemplates.defaults(), 2 * ROUND_LINE_TOKENS);

    assertThat(prompt.contextTokens()).isEqualTo(2 * ROUND_LINE_TOKENS);
    assertThat(prompt.render(mind, ZEROS)).isEqualTo(budgetedPrompt(5, 2 * ROUND_LINE_TOKENS).render(FIVE_PLAYS, ZEROS));
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> budgetedPrompt(5, -1)).hasMessageContaining("contextTokens");
  }

  @Test
  void renderingAMindEqualsRenderingItsWindow() {
    NamingGame game = new NamingGame(TEN, 5, 100, -50, new MemoryPolicy(10, 0.1, null), -1);
    NamingMind mind = game.newMind(3, 9);
    game.remember(mind, 4, 2, 0);
    game.remember(mind, 2, 2, 1);
    NamingPrompt prompt = NamingPrompt.forGame(game);

    assertThat(prompt.render(mind, new Streams.RandomStream(5, 3)))
        .isEqualTo(prompt.render(NamingPrompt.windowOf(mind), new Streams.RandomStream(5, 3)::nextInt));
  }

  @Test
  void theExactPromptReplaysFromTheSeed() {
    NamingPrompt prompt = paperPrompt(TEN, 5);
    List<Interaction> window = List.of(new Interaction(2, 3), new Interaction(3, 3));

    List<String> first = renderMany(prompt, window, new Streams.RandomStream(2025, 17), 20);
    List<String> replay = renderMany(prompt, window, new Streams.RandomStream(2025, 17), 20);
    List<String> otherSeed = renderMany(prompt, window, new Streams.RandomStream(2026, 17), 20);

    assertThat(replay).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  private static List<String> renderMany(NamingPrompt prompt, List<Interaction> window, Streams.RandomStream stream,
                                         int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prompt.render(window, stream::nextInt).user());
    }
    return out;
  }

  @Test
  void theOptionOrderIsReshuffledOnEveryCallAndUniform() {
    NamingPrompt ten = paperPrompt(TEN, 5);
    Streams.RandomStream stream = new Streams.RandomStream(1, 1);
    Set<List<Integer>> orders = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      List<Integer> order = ten.render(List.of(), stream::nextInt).optionOrder();
      assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      orders.add(order);
    }
    assertThat(orders).hasSizeGreaterThan(45);

    NamingPrompt two = paperPrompt(QM, 5);
    int mFirst = 0;
    for (int i = 0; i < 4000; i++) {
      if (two.render(List.of(), stream::nextInt).optionOrder().get(0) == 1) {
        mFirst++;
      }
    }
    // Binomial(4000, 1/2): sd ~ 32, so +-150 is about 5 sd.
    assertThat(mFirst).isBetween(1850, 2150);
  }

  @Test
  void theSharedRulesComeFirstAndAreIdenticalAcrossAgentsAndCalls() {
    NamingPrompt prompt = paperPrompt(TEN, 5);
    Streams.RandomStream stream = new Streams.RandomStream(3, 3);
    RenderedPrompt a = prompt.render(List.of(), stream::nextInt);
    RenderedPrompt b = prompt.render(List.of(new Interaction(1, 2), new Interaction(2, 2)), stream::nextInt);

    assertThat(a.system()).isEqualTo(b.system());
    assertThat(a.text()).startsWith(a.system());
    assertThat(a.user()).startsWith("The values Player 1 and Player 2 can pick from are: ");
    for (String name : TEN) {
      assertThat(a.system()).doesNotContain(" " + name + ",");
    }
  }

  @Test
  void nothingMentionsAPopulation() {
    RenderedPrompt rendered = paperPrompt(TEN, 5)
        .render(List.of(new Interaction(1, 2)), new Streams.RandomStream(1, 2)::nextInt);
    assertThat(rendered.text().toLowerCase()).doesNotContain("population", "agent", "others", "network",
        "people", "community");
  }

  @Test
  void hashesIdentifyTemplatesAndPrompts() throws Exception {
    NamingPromptTemplates templates = NamingPromptTemplates.defaults();
    for (NamingPromptTemplates.Part part : NamingPromptTemplates.Part.values()) {
      String file = resourceText("/dev/norma/agents/games/naming/" + part.fileName());
      assertThat(templates.get(part).sha256()).isEqualTo(sha256(file.substring(0, file.length() - 1)));
    }
    assertThat(NamingPromptTemplates.defaults().sha256()).isEqualTo(templates.sha256()).hasSize(64);

    NamingPrompt prompt = paperPrompt(QM, 3);
    RenderedPrompt one = prompt.render(List.of(new Interaction(0, 1)), ZEROS);
    RenderedPrompt again = prompt.render(List.of(new Interaction(0, 1)), ZEROS);
    RenderedPrompt other = prompt.render(List.of(new Interaction(1, 1)), ZEROS);
    assertThat(one.sha256()).isEqualTo(again.sha256()).isEqualTo(sha256(one.system() + "\0" + one.user()));
    assertThat(other.sha256()).isNotEqualTo(one.sha256());
    assertThat(one.templatesSha256()).isEqualTo(templates.sha256());
  }

  @Test
  void lineEndingsDoNotChangeATemplateOrItsHash() {
    var unix = NamingPromptTemplates.Part.ROUND.fromText("unix", "Round ${round}: ${own} / ${partner}\n");
    var windows = NamingPromptTemplates.Part.ROUND.fromText("windows", "Round ${round}: ${own} / ${partner}\r\n");
    assertThat(windows.text()).isEqualTo(unix.text()).isEqualTo("Round ${round}: ${own} / ${partner}");
    assertThat(windows.sha256()).isEqualTo(unix.sha256());
  }

  @Test
  void editedTemplatesLoadFromADirectoryAndKeepDefaultsForMissingParts(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("naming-game.round.txt"),
        "{'round': ${round}, 'Player 1': '${own}', 'Player 2': '${partner}', 'payoff': ${payoff}}\n");
    NamingPromptTemplates edited = NamingPromptTemplates.fromDirectory(dir);

    RenderedPrompt rendered = new NamingPrompt(QM, 5, 100, -50, 100, edited)
        .render(List.of(new Interaction(0, 1)), ZEROS);

    assertThat(rendered.user()).contains("{'round': 1, 'Player 1': 'Q', 'Player 2': 'M', 'payoff': -50}");
    assertThat(edited.system()).isEqualTo(NamingPromptTemplates.defaults().system());
    assertThat(edited.sha256()).isNotEqualTo(NamingPromptTemplates.defaults().sha256());
    assertThat(rendered.templatesSha256()).isEqualTo(edited.sha256());
  }

  @Test
  void theHorizonAndPayoffsAreVariables() {
    RenderedPrompt rendered = new NamingPrompt(QM, 5, 7, -3, 40, NamingPromptTemplates.defaults())
        .render(List.of(new Interaction(0, 0), new Interaction(0, 1)), ZEROS);
    assertThat(rendered.system()).contains("for 40 rounds", "payoff of 7 points", "payoff of -3 points");
    assertThat(rendered.score()).isEqualTo(4);
  }

  @Test
  void templateMistakesAreCaughtWhenLoaded() {
    var user = NamingPromptTemplates.Part.USER;
    assertThatThrownBy(() -> user.fromText("typo", "Round ${curent_round}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown variable ${curent_round}")
        .hasMessageContaining("current_round");
    assertThatThrownBy(() -> user.fromText("open", "Round ${current_round"))
        .hasMessageContaining("malformed placeholder at line 1");
    assertThatThrownBy(() -> NamingPromptTemplates.Part.SYSTEM.fromText("history in system", "${history}"))
        .hasMessageContaining("unknown variable ${history}");

    PromptTemplate literal = user.fromText("escape", "costs $5, write $${options} for ${options}");
    assertThat(literal.render(v -> "Q, M")).isEqualTo("costs $5, write ${options} for Q, M");
    assertThat(literal.variables()).containsExactly("options");
  }

  private static String resourceText(String resource) throws IOException {
    try (InputStream in = NamingPromptTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
