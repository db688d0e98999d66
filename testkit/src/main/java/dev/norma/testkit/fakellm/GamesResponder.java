package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.FakeAnswers;
import java.util.List;

/**
 * The fake model of every game: a prompt that a game's stand-in answers read
 * ({@link FakeAnswers#reads}) is answered by them, a request to summarise a context window by the
 * stand-in summariser ({@link dev.norma.agents.llm.ContextSummary#FAKE}); any other, as a
 * naming-game prompt, by the responder given. So one server answers studies of every game on the class path.
 */
public final class GamesResponder implements Responder {
  private final List<FakeAnswers> games = java.util.stream.Stream.concat(
      java.util.stream.Stream.of(dev.norma.agents.llm.ContextSummary.FAKE), Games.fakeAnswers().stream()).toList();
  private final Responder naming;

  /** @param naming answers what no game's stand-in reads (naming-game prompts) */
  public GamesResponder(Responder naming) {
    this.naming = naming;
  }

  @Override
  public String answer(String prompt, Streams.RandomStream random) {
    for (FakeAnswers game : games) {
      if (game.reads(prompt)) {
        return game.answer(prompt, random::nextInt);
      }
    }
    return naming.answer(prompt, random);
  }

  /** The naming responder's name: the other games' answers are fixed by their modules. */
  @Override
  public String name() {
    return naming.name();
  }
}
