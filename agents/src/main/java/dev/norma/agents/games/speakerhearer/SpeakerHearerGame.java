package dev.norma.agents.games.speakerhearer;

import dev.norma.agents.game.Game;
import java.util.List;

/**
 * The minimal naming game (Baronchelli et al. 2006) and, restricted to two names with everyone
 * starting on the majority name, the binary agreement model (Xie et al. 2011).
 *
 * <p>A speaker utters a uniformly random word of its inventory; with an empty inventory it
 * invents a new word, or, when the game has a fixed pool, picks one uniformly from the pool (the
 * "theoretical model" of Ashery et al. 2025), and keeps it. If the hearer holds the word, both
 * drop every other word (success); otherwise the hearer adds it (failure). Committed agents hold
 * only the committed word and never change; an agent committed by an intervention holds only its
 * word from its first committed play on, and one uncommitted later goes on from that inventory.
 */
public final class SpeakerHearerGame implements Game<InventoryMind> {
  private final List<String> names;
  private final boolean invent;
  private final int committedWord;
  private final int initialWord;

  /**
   * @param names         the fixed pool, or, when inventing, the names given in the spec (the
   *                      committed and majority names) that invented words never collide with
   * @param invent        whether an empty inventory invents a new word (else it picks from the pool)
   * @param committedWord the committed minority's word, or -1
   * @param initialWord   the word every agent starts with (binary agreement's all-B start), or
   *                      -1 for empty inventories
   */
  public SpeakerHearerGame(List<String> names, boolean invent, int committedWord, int initialWord) {
    if (!invent && names.isEmpty()) {
      throw new IllegalArgumentException("a game that does not invent names needs a pool");
    }
    this.names = List.copyOf(names);
    this.invent = invent;
    this.committedWord = committedWord;
    this.initialWord = initialWord;
  }

  @Override
  public InventoryMind newMind(int agentId, long runSeed) {
    InventoryMind mind = new InventoryMind(agentId, runSeed);
    if (initialWord >= 0) {
      mind.add(initialWord);
    }
    return mind;
  }

  @Override
  public int produce(InventoryMind speaker, long index) {
    int committedTo = holdCommitment(speaker, index);
    if (committedTo >= 0) {
      return committedTo;
    }
    int size = speaker.inventorySize();
    if (size == 0) {
      int word = invent ? names.size() + speaker.id() : speaker.nextInt(names.size());
      speaker.add(word);
      return word;
    }
    return size == 1 ? speaker.word(0) : speaker.word(speaker.nextInt(size));
  }

  @Override
  public Reply respond(InventoryMind hearer, int word, long index) {
    int committedTo = holdCommitment(hearer, index);
    if (committedTo >= 0) {
      return new Reply(-1, word == committedTo);
    }
    if (hearer.holds(word)) {
      hearer.collapseTo(word);
      return new Reply(-1, true);
    }
    hearer.add(word);
    return new Reply(-1, false);
  }

  @Override
  public void conclude(InventoryMind speaker, int ownWord, Reply reply, long index) {
    if (reply.success() && !speaker.committedAt(index)) {
      speaker.collapseTo(ownWord);
    }
  }

  /**
   * A committed agent's inventory is exactly its committed word from its first committed play (and
   * an agent an intervention uncommits later goes on from that inventory).
   *
   * @return the word the agent is committed to now, or -1 when it is not committed
   */
  private int holdCommitment(InventoryMind mind, long index) {
    int word = mind.committedWordAt(index, committedWord);
    if (word >= 0 && mind.soleWord() != word) {
      mind.collapseTo(word);
    }
    return word;
  }

  @Override
  public void prepare(InventoryMind mind, int word) {
    mind.collapseTo(word);
  }

  @Override
  public int payoff(boolean success) {
    return 0;
  }

  @Override
  public boolean simultaneous() {
    return false;
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public int wordBound(int populationSize) {
    return invent ? names.size() + populationSize : names.size();
  }
}
