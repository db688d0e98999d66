package dev.norma.agents.game;

import dev.norma.agents.Mind;
import java.util.List;

/**
 * A two-agent game, split into the three steps that an initiator and a responder take in turn,
 * so that the two agents can live in different actors (or on different nodes) and still give
 * exactly the result of a single-threaded loop:
 * <ol>
 *   <li>{@link #produce}: the initiator produces its signal (the naming game's simultaneous
 *       choice, or the speaker's word);</li>
 *   <li>{@link #respond}: the responder meets that signal, produces its own (if the game has one)
 *       and updates itself;</li>
 *   <li>{@link #conclude}: the initiator learns the reply and updates itself.</li>
 * </ol>
 * Words are ints: indices into {@link #names()}, or, for invented words, {@code names().size() +}
 * the inventing agent's id.
 *
 * @param <M> the game's mind type
 */
public interface Game<M extends Mind> {

  /** A fresh agent, before any preparation or commitment. */
  M newMind(int agentId, long runSeed);

  int produce(M initiator, long index);

  Reply respond(M responder, int initiatorWord, long index);

  void conclude(M initiator, int ownWord, Reply reply, long index);

  /** Gives a (non-committed) agent the state of a population agreed on {@code word}. */
  void prepare(M mind, int word);

  /** Payoff of an interaction to either party (0 for games without payoffs). */
  int payoff(boolean success);

  /**
   * Payoff of interaction {@code index} to either party, for games whose payoff an intervention
   * may change; the same as {@link #payoff(boolean)} by default.
   */
  default int payoff(boolean success, long index) {
    return payoff(success);
  }

  /** Whether the responder produces a word of its own (simultaneous games) or only hears. */
  boolean simultaneous();

  List<String> names();

  /** The word's printable name. */
  default String nameOf(int word) {
    if (word < 0) {
      return "";
    }
    List<String> names = names();
    return word < names.size() ? names.get(word) : "w" + (word - names.size());
  }

  /** A word's id from its name, or -1 when the name is neither in the pool nor invented. */
  default int wordOf(String name) {
    int i = names().indexOf(name);
    if (i >= 0) {
      return i;
    }
    if (name != null && name.matches("w\\d+")) {
      return names().size() + Integer.parseInt(name.substring(1));
    }
    return -1;
  }

  /** Upper bound (exclusive) on word ids for a population of {@code populationSize}. */
  default int wordBound(int populationSize) {
    return names().size() + populationSize;
  }

  /**
   * The responder's side of an interaction.
   *
   * @param word    what the responder produced (-1 when it only hears)
   * @param success whether the interaction succeeded
   */
  record Reply(int word, boolean success) {
  }
}
