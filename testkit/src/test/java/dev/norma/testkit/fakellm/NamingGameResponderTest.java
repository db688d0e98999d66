package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.Streams;
import dev.norma.agents.games.naming.MemoryPolicy;
import dev.norma.agents.games.naming.NamingGame;
import dev.norma.agents.games.naming.NamingMind;
import dev.norma.agents.games.naming.NamingPrompt;
import dev.norma.agents.games.naming.NamingPromptTemplates;
import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default fake model reads Norma's rendered prompts and answers like the memory policy. */
class NamingGameResponderTest {
  private static final List<String> QM = List.of("Q", "M");
  private static final List<String> TEN = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
  private static FakeLlmServer server;
  private static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = FakeLlmServer.start(FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .responder(new NamingGameResponder(0.05, 0, false)).build());
    client = new TestClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static NamingGame game(List<String> names) {
    return new NamingGame(names, 5, 100, -50, new MemoryPolicy(names.size(), 0.1, null), -1);
  }

  /** A mind that remembers H plays of (own, partner). */
  private static NamingMind remembering(NamingGame game, int own, int partner) {
    NamingMind mind = game.newMind(1, 99);
    for (int i = 0; i < game.memory(); i++) {
      game.remember(mind, own, partner, i);
    }
    return mind;
  }

  @Test
  void readsTheOptionsHistoryAndFormatOfARenderedPrompt() {
    NamingGame game = game(TEN);
    NamingMind mind = game.newMind(1, 2);
    game.remember(mind, 0, 1, 0);
    game.remember(mind, 1, 1, 1);
    RenderedPrompt prompt = NamingPrompt.forGame(game).render(mind, new Streams.RandomStream(3, 4));

    PromptReading reading = PromptReading.read(prompt.text());

    List<String> shown = prompt.optionOrder().stream().map(TEN::get).toList();
    assertThat(reading.options()).isEqualTo(shown);
    assertThat(reading.rounds()).containsExactly(new PromptReading.Round("Q", "M", -50),
        new PromptReading.Round("M", "M", 100));
    assertThat(reading.format()).isEqualTo(PromptReading.AnswerFormat.VALUE_DICT);
  }

  @Test
  void aPromptCutToContextTokensIsReadAsTheRoundsItShows() {
    NamingGame game = game(QM);
    NamingMind mind = game.newMind(1, 6);
    for (int i = 0; i < 3; i++) {
      game.remember(mind, 0, 0, i); // the partner said Q three times, then M twice
    }
    game.remember(mind, 0, 1, 3);
    game.remember(mind, 1, 1, 4);
    // A round line of one-letter names is 15 estimated tokens: 30 shows the newest two.
    NamingPrompt cut = new NamingPrompt(game, NamingPrompt.PAPER_HORIZON, NamingPromptTemplates.defaults(), 30);
    RenderedPrompt shown = cut.render(mind, new Streams.RandomStream(15, 1));
    RenderedPrompt whole = NamingPrompt.forGame(game).render(mind, new Streams.RandomStream(15, 1));
    NamingGameResponder bestResponse = new NamingGameResponder(0, 0, false);

    assertThat(PromptReading.read(shown.text()).rounds()).containsExactly(new PromptReading.Round("Q", "M", -50),
        new PromptReading.Round("M", "M", 100));
    assertThat(bestResponse.answer(shown.text(), new Streams.RandomStream(1, 1))).isEqualTo("{'value': 'M'}");
    assertThat(bestResponse.answer(whole.text(), new Streams.RandomStream(1, 1))).isEqualTo("{'value': 'Q'}");
  }

  @Test
  void aHistoryFullOfPartnerMAtLowTemperatureYieldsMInTheStatedFormat() {
    NamingGame game = game(TEN);
    NamingMind mind = remembering(game, 0, 1); // played Q, partner played M, five times
    NamingPrompt prompt = NamingPrompt.forGame(game);
    ChoiceParser parser = prompt.parser();
    Streams.RandomStream shuffle = new Streams.RandomStream(11, 1);
    for (int i = 0; i < 20; i++) {
      String answer = TestClient.content(client.call("/v1/chat/completions",
          TestClient.chatBody(prompt.render(mind, shuffle))));
      assertThat(answer).isEqualTo("{'value': 'M'}");
      assertThat(parser.parse(answer)).isEqualTo(new ParsedChoice.Accepted(1, "M", ParsedChoice.Rule.STATED_FORMAT));
    }
  }

  @Test
  void withEmptyMemoryItPicksAmongTheOptions() {
    NamingGame game = game(QM);
    NamingPrompt prompt = NamingPrompt.forGame(game);
    NamingMind fresh = game.newMind(2, 3);
    Map<String, Integer> counts = new HashMap<>();
    Streams.RandomStream shuffle = new Streams.RandomStream(12, 1);
    for (int i = 0; i < 60; i++) {
      String answer = TestClient.content(client.call("/v1/chat/completions",
          TestClient.chatBody(prompt.render(fresh, shuffle))));
      ParsedChoice parsed = prompt.parser().parse(answer);
      assertThat(parsed).isInstanceOf(ParsedChoice.Accepted.class);
      counts.merge(((ParsedChoice.Accepted) parsed).name(), 1, Integer::sum);
    }
    assertThat(counts.keySet()).containsExactlyInAnyOrder("Q", "M");
  }

  @Test
  void aBatchOfRenderedPromptsIsAnsweredPromptByPrompt() {
    NamingGame game = game(QM);
    NamingPrompt prompt = NamingPrompt.forGame(game);
    Streams.RandomStream shuffle = new Streams.RandomStream(13, 1);
    List<String> prompts = List.of(
        prompt.render(remembering(game, 0, 1), shuffle).text(),
        prompt.render(remembering(game, 1, 0), shuffle).text(),
        prompt.render(remembering(game, 1, 1), shuffle).text());
    JsonNode response = client.call("/v1/completions", TestClient.completionBody(prompts));
    List<String> answers = new ArrayList<>();
    for (JsonNode choice : response.path("choices")) {
      answers.add(choice.path("text").asText());
    }
    assertThat(answers).containsExactly("{'value': 'M'}", "{'value': 'Q'}", "{'value': 'M'}");
  }

  @Test
  void reasoningNamesOtherOptionsBeforeTheFinalLineAndStillParses() {
    NamingGame game = game(QM);
    NamingMind mind = game.newMind(1, 5);
    game.remember(mind, 0, 0, 0);
    for (int i = 1; i < 5; i++) {
      game.remember(mind, 0, 1, i);
    }
    RenderedPrompt rendered = NamingPrompt.forGame(game).render(mind, new Streams.RandomStream(14, 1));
    String answer = new NamingGameResponder(0.05, 5, true).answer(rendered.text(), new Streams.RandomStream(1, 1));

    assertThat(answer).isEqualTo("In the last 5 rounds Player 2 picked Q once and M 4 times; matching Player 2 is "
        + "what pays.\n{'value': 'M'}");
    assertThat(game.names().get(((ParsedChoice.Accepted) NamingPrompt.forGame(game).parser().parse(answer)).option()))
        .isEqualTo("M");
  }

  @Test
  void theResponderIsTheMemoryPolicy() {
    // With the same H, temperature and random draw, the responder picks what MemoryPolicy picks.
    NamingGame game = game(QM);
    NamingMind mind = game.newMind(1, 5);
    game.remember(mind, 0, 1, 0);
    game.remember(mind, 1, 0, 1);
    game.remember(mind, 0, 0, 2);
    NamingPrompt prompt = NamingPrompt.forGame(game);
    NamingGameResponder responder = new NamingGameResponder(0.5, 5, false);
    int agree = 0;
    for (int seed = 0; seed < 200; seed++) {
      RenderedPrompt rendered = prompt.render(mind, new Streams.RandomStream(seed, 0));
      Streams.RandomStream draws = new Streams.RandomStream(seed, 1);
      long mindSeed = new Streams.RandomStream(seed, 1).nextLong();
      String answer = responder.answer(rendered.text(), draws);
      // The responder builds its pool in the shown order; replay that with the policy itself.
      List<String> shown = rendered.optionOrder().stream().map(QM::get).toList();
      NamingGame replay = new NamingGame(shown, 5, 1, 0, new MemoryPolicy(2, 0.5, null), -1);
      NamingMind twin = replay.newMind(0, mindSeed);
      for (NamingPrompt.Interaction interaction : NamingPrompt.windowOf(mind)) {
        replay.remember(twin, shown.indexOf(QM.get(interaction.own())), shown.indexOf(QM.get(interaction.partner())), 0);
      }
      if (answer.equals("{'value': '" + shown.get(replay.policy().choose(twin)) + "'}")) {
        agree++;
      }
    }
    assertThat(agree).isEqualTo(200);
  }

  @Test
  void conventionsEmergeThroughTheFullHttpPath() {
    // Eight agents, two names, H = 5: prompts rendered by NamingPrompt, answered over HTTP,
    // parsed by ChoiceParser, remembered by NamingGame. Converged: the last 3N interactions all
    // succeeded, as in Ashery et al.'s code.
    int population = 8;
    NamingGame game = game(QM);
    NamingPrompt prompt = NamingPrompt.forGame(game);
    ChoiceParser parser = prompt.parser();
    List<NamingMind> minds = new ArrayList<>();
    for (int id = 0; id < population; id++) {
      minds.add(game.newMind(id, 2025));
    }
    Streams.RandomStream schedule = new Streams.RandomStream(2025, Streams.SCHEDULE_STREAM);
    int streak = 0;
    int interactions = 0;
    List<String> rejected = new ArrayList<>();
    while (streak < 3 * population && interactions < 2000) {
      NamingMind a = minds.get(schedule.nextInt(population));
      NamingMind b = minds.get((a.id() + 1 + schedule.nextInt(population - 1)) % population);
      // One request at a time: without a request seed the server's answer stream follows the
      // order requests arrive in, and two in flight at once may arrive either way round.
      CompletableFuture<String> answerA = ask(prompt.render(a, a::nextInt));
      answerA.join();
      CompletableFuture<String> answerB = ask(prompt.render(b, b::nextInt));
      ParsedChoice choiceA = parser.parse(answerA.join());
      ParsedChoice choiceB = parser.parse(answerB.join());
      if (!(choiceA instanceof ParsedChoice.Accepted acceptedA) || !(choiceB instanceof ParsedChoice.Accepted acceptedB)) {
        rejected.add(choiceA + " / " + choiceB + " for " + answerA.join() + " / " + answerB.join());
        continue;
      }
      game.remember(a, acceptedA.option(), acceptedB.option(), interactions);
      game.remember(b, acceptedB.option(), acceptedA.option(), interactions);
      streak = acceptedA.option() == acceptedB.option() ? streak + 1 : 0;
      interactions++;
    }
    assertThat(rejected).isEmpty();
    assertThat(streak).as("converged within %d interactions", interactions).isEqualTo(3 * population);
    int convention = minds.get(0).ownChoice(minds.get(0).remembered() - 1);
    for (NamingMind mind : minds) {
      assertThat(mind.ownChoice(mind.remembered() - 1)).isEqualTo(convention);
    }
  }

  private static CompletableFuture<String> ask(RenderedPrompt prompt) {
    return client.postAsync("/v1/chat/completions", TestClient.chatBody(prompt)).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
      }
      try {
        return TestClient.content(TestClient.JSON.readTree(response.body()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
