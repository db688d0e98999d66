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
 *                    against them
 */
public record Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options) {
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
    if (options.isEmpty()) {
      throw new IllegalArgumentException("a turn needs at least one option");
    }
  }

  /** A parser for answers to this turn, with the options' indices. */
  public ChoiceParser parser() {
    return new ChoiceParser(options);
  }
}
