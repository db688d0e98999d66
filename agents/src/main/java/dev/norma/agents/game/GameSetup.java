package dev.norma.agents.game;

import dev.norma.protocols.spec.ExperimentSpec;
import java.util.List;

/**
 * What a {@link GameModule} is given to make a study's game: the spec, and what the study plan
 * has resolved from it.
 *
 * @param names         the known names by word id (the spec's pool, and the committed and majority
 *                      names when the game invents the rest)
 * @param inventsWords  whether agents invent new words beyond {@code names} (an empty pool)
 * @param committedWord the committed minority's word id, or -1
 * @param majorityWord  the word id a prepared majority holds, or -1
 */
public record GameSetup(ExperimentSpec spec, List<String> names, boolean inventsWords, int committedWord,
                        int majorityWord) {
  public GameSetup {
    names = List.copyOf(names);
  }
}
