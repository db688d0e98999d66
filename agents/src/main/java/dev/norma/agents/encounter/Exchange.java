package dev.norma.agents.encounter;

/**
 * One encounter under way as a conversation ({@link Conversations#open}): the engine asks for the
 * next turn, has the acting participant's model answer its prompt, and gives back the choice read
 * from the answer, until there is no turn left; then it takes the outcome. Not thread-safe.
 */
public interface Exchange {

  /**
   * The next turn that needs a model's choice, its prompt rendered now (drawing on the acting
   * participant's stream); null once the encounter is over. Steps a rule settles (a committed
   * agent's fixed word, say) are taken inside, between turns, and are not returned.
   *
   * @throws IllegalStateException when the previous turn has not been answered
   */
  Turn next();

  /**
   * The choice for the turn {@link #next()} returned: an index into its options, or
   * {@link Turn#NO_CHOICE} when the model named none (after every re-ask) or could not be asked.
   * The game decides what a missing choice does to the encounter.
   */
  void choose(int option);

  /**
   * The summary asked by the turn {@link #next()} returned, when it was a
   * {@linkplain Turn#summary() summary}: the model's answer whole, or an empty text when it gave
   * none (the encounters leaving the window are then dropped).
   */
  default void summarised(String answer) {
    throw new UnsupportedOperationException("this game asks for no summaries");
  }

  /**
   * The text of the {@linkplain Turn#freeText free-text} turn {@link #next()} returned, stripped:
   * empty when the model gave none (after every re-ask) or could not be asked. The game decides
   * what a missing text does to the encounter.
   */
  default void said(String text) {
    throw new UnsupportedOperationException("this game asks for no free text");
  }

  /**
   * What was said in the encounter, in order, once {@link #next()} has returned null: the lines
   * the run directory's transcripts hold. None by default (a game of choices only).
   */
  default java.util.List<Utterance> transcript() {
    return java.util.List.of();
  }

  /**
   * The encounter's outcome, in the order of {@link EncounterGame#outcomeColumns()}, once
   * {@link #next()} has returned null: the participants' minds are settled.
   */
  double[] outcome();
}
