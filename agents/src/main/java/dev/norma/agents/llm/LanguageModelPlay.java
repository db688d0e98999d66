package dev.norma.agents.llm;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * How a game's agents play through a language model ({@code policy.kind: llm}): the game renders
 * an agent's prompt from its mind, names the options an answer is read against, and applies a
 * responder's choice. The engine's language-model policy (gateway, call journal, replay,
 * budgets, {@code norma probe} and {@code norma estimate}) is the same for every game and asks only
 * this. A game module makes one per study ({@code GameModule#languageModel}).
 *
 * <p>Implementations are immutable and thread-safe: one serves every agent of a run on a node.
 */
public interface LanguageModelPlay {

  /** The options a choice is made among, by word id; an answer is read against them. */
  List<String> options();

  /**
   * The prompt for an agent's decision, rendered now from its mind.
   *
   * @param uniform draws a uniform int in {@code [0, bound)}: the agent's own stream, so that the
   *                prompt (option order included) replays from the run's seed
   */
  RenderedPrompt render(Mind mind, IntUnaryOperator uniform);

  /**
   * The prompt for an agent's decision in interaction {@code index}, rendered now from its mind,
   * for games an intervention may change (the names offered, the payoff): the same as
   * {@link #render(Mind, IntUnaryOperator)} by default. It may bring the mind under the game as
   * it is at {@code index} first (a relabelled name), and is called on the agent's own thread.
   */
  default RenderedPrompt render(Mind mind, long index, IntUnaryOperator uniform) {
    return render(mind, uniform);
  }

  /** A parser for answers to the prompt of interaction {@code index}: {@link #parser()} by default. */
  default ChoiceParser parser(long index) {
    return parser();
  }

  /** The prompt of an agent that has played nothing yet: what {@code norma probe} asks. */
  RenderedPrompt renderFirst(IntUnaryOperator uniform);

  /** How many past encounters a prompt shows at most: after as many, prompts are at their longest. */
  int window();

  /**
   * The prompt of a representative agent after {@code encounters} encounters (the game chooses
   * what it played), options in their own order: {@code norma estimate} counts the tokens of
   * {@code renderAfter(window())}.
   */
  RenderedPrompt renderAfter(int encounters);

  /** The responder's side once its model's choice {@code own} is known (a valid choice). */
  Game.Reply respond(Mind responder, int own, int initiatorWord, long index);

  /** The SHA-256 of the prompt templates as a whole, as every rendered prompt records it. */
  String templatesSha256();

  /** Each template file's SHA-256, by file name, for the summary. */
  Map<String, String> templateHashes();

  /** A parser for answers, with word ids as option indices. */
  default ChoiceParser parser() {
    return new ChoiceParser(options());
  }
}
