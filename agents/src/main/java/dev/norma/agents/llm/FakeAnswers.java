package dev.norma.agents.llm;

import java.util.function.IntUnaryOperator;

/**
 * What a stand-in model answers a game's prompts: the fake OpenAI-compatible server of the test
 * kit answers with it, so that a game's language-model policy runs end to end (rendering, HTTP,
 * parsing, journal, replay) without a model. A game module gives one for the prompts of its own
 * default templates ({@code GameModule#fakeAnswers()}); the server asks each in turn whether it
 * reads a prompt.
 *
 * <p>Answers should behave like a plausible player, so that a study's measures move as a real
 * one's might; they are not a model of any real language model. Implementations are thread-safe.
 */
public interface FakeAnswers {

  /** Whether {@code prompt} is one of this game's (rendered from its default templates). */
  boolean reads(String prompt);

  /**
   * The answer to {@code prompt}, written as the prompt asks.
   *
   * @param uniform draws a uniform int in {@code [0, bound)} from the request's own stream
   */
  String answer(String prompt, IntUnaryOperator uniform);
}
