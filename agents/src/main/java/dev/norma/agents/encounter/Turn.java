package dev.norma.agents.encounter;

import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.List;

/**
 * One turn of an encounter played through a language model: who acts, what it is shown and what
 * it may choose.
 *
 * @param number      the turn's number in its encounter, from 0: with the encounter's index and the
 *                    agent, it identifies the decision in the call journal and for replay
 * @param participant the acting participant's position in the encounter's group
 * @param role        the acting participant's part in the game ("proposer", "speaker"), for the journal
 * @param prompt      what it is shown, rendered now
 * @param options     the choices, by the indices {@link Exchange#choose} takes, in the order the
 *                    prompt shows them (its {@link RenderedPrompt#optionOrder()}, when it lists one
 *                    for each option, names the game's ids of them in that order); an answer is read
 *                    against them (none for a summary)
 * @param summary     whether the turn asks the participant to summarise what leaves its context
 *                    window ({@link #summary(int, int, String, RenderedPrompt)}), not to choose
 */
public record Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options,
                   boolean summary) {
  /**
   * The choice of a turn whose model named no option: the same value the engine's language-model
   * policy uses for a missing decision ({@code LlmDeliberation.NO_CHOICE}).
   */
  public static final int NO_CHOICE = -2;

  public Turn {
    if (number < 0 || participant < 0) {
      throw new IllegalArgumentException("a turn's number and participant are 0 or more: " + number + ", "
          + participant);
    }
    options = List.copyOf(options);
    if (options.isEmpty() != summary) {
      throw new IllegalArgumentException(summary ? "a summary has no options" : "a turn needs at least one option");
    }
  }

  /** A turn that asks for a choice among {@code options}. */
  public Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options) {
    this(number, participant, role, prompt, options, false);
  }

  /**
   * The participant who is to take turn {@code number} must first summarise the encounters leaving
   * its context window ({@link dev.norma.agents.llm.ContextSummary}): the answer, taken whole, goes
   * to {@link Exchange#summarised}. Its journal identity is the turn's, with {@code -summary} after
   * the part.
   */
  public static Turn summary(int number, int participant, String role, RenderedPrompt prompt) {
    return new Turn(number, participant, role + "-summary", prompt, List.of(), true);
  }

  /** A parser for answers to this turn, with the options' indices (not for a summary). */
  public ChoiceParser parser() {
    return new ChoiceParser(options);
  }
}
