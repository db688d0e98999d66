package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import java.util.Map;

/**
 * How an encounter game's agents play through a language model ({@code policy.kind: llm}): each
 * encounter is a short conversation of turns. At each turn one participant acts, by a choice
 * among options the game names, read from its model's answer to a prompt the game renders from
 * that participant's mind and from what the encounter has shown so far; the others observe. When
 * the last turn is taken the game settles the encounter on the participants' minds, as
 * {@link EncounterGame#play} does for rule-based agents.
 *
 * <p>The engine asks the model; the game knows nothing of endpoints, journals or replay. What a
 * game gives is pure apart from the participants' own random streams, which rendering may draw
 * on (an option order, say): so an encounter's prompts, and with recorded answers its outcome,
 * follow from the run's seed, as {@link EncounterLoop#run(long, EncounterLoop.Listener,
 * EncounterLoop.Model)} plays them single-threaded.
 *
 * <p>Implementations are immutable and thread-safe; the exchanges they open are not (one encounter
 * is played by one thread at a time).
 *
 * @param <M> the game's mind type
 */
public interface Conversations<M extends Mind> {

  /**
   * Opens encounter {@code index} among {@code group} (in the schedule's order); nothing is drawn
   * or changed until its first turn is asked for.
   */
  Exchange open(M[] group, long index);

  /** The SHA-256 of the game's prompt templates as a whole, as every rendered prompt records it. */
  String templatesSha256();

  /** Each template's SHA-256, by name, for the summary. */
  Map<String, String> templateHashes();
}
