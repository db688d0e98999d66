package dev.norma.agents.games.naming;

import dev.norma.agents.game.Game;
import java.util.List;

/**
 * The naming game of Ashery, Aiello &amp; Baronchelli (2025): both agents choose a name from the
 * pool at the same time; they score {@code success} when the names match and {@code failure}
 * otherwise; each remembers its last H interactions (own choice, partner's choice, payoff).
 * Committed agents always play the committed name, remember nothing and are never prompted; from
 * their first committed play their memory is H successful plays of that name, what an agent an
 * intervention uncommits starts from.
 */
public final class NamingGame implements Game<NamingMind> {
  private final List<String> names;
  private final int memory;
  private final int successPayoff;
  private final int failurePayoff;
  private final NamingPolicy policy;
  private final int committedWord;

  public NamingGame(List<String> names, int memory, int successPayoff, int failurePayoff,
                    NamingPolicy policy, int committedWord) {
    if (names.size() < 2 || names.size() > 0xFFFF) {
      throw new IllegalArgumentException("naming game needs 2..65535 names, got " + names.size());
    }
    this.names = List.copyOf(names);
    this.memory = memory;
    this.successPayoff = successPayoff;
    this.failurePayoff = failurePayoff;
    this.policy = policy;
    this.committedWord = committedWord;
  }

  @Override
  public NamingMind newMind(int agentId, long runSeed) {
    return new NamingMind(agentId, runSeed, memory);
  }

  /** The choice this agent makes now: the committed name, or its policy's decision. */
  public int choose(NamingMind mind, long index) {
    int committedTo = mind.committedWordAt(index, committedWord);
    if (committedTo < 0) {
      return policy.choose(mind);
    }
    if (!mind.agreedOn(committedTo)) {
      // What it remembers is never read while it is committed; should an intervention uncommit it
      // later, it starts from the memory of an agent agreed on its name.
      prepare(mind, committedTo);
    }
    return committedTo;
  }

  @Override
  public int produce(NamingMind initiator, long index) {
    return choose(initiator, index);
  }

  @Override
  public Reply respond(NamingMind responder, int initiatorWord, long index) {
    int own = choose(responder, index);
    remember(responder, own, initiatorWord, index);
    return new Reply(own, own == initiatorWord);
  }

  @Override
  public void conclude(NamingMind initiator, int ownWord, Reply reply, long index) {
    remember(initiator, ownWord, reply.word(), index);
  }

  /** Appends (own, partner, payoff) to a non-committed agent's context window. */
  public void remember(NamingMind mind, int own, int partner, long index) {
    if (!mind.committedAt(index)) {
      mind.remember(own, partner);
    }
  }

  @Override
  public void prepare(NamingMind mind, int word) {
    for (int i = 0; i < memory; i++) {
      mind.remember(word, word);
    }
  }

  @Override
  public int payoff(boolean success) {
    return success ? successPayoff : failurePayoff;
  }

  @Override
  public boolean simultaneous() {
    return true;
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public int wordBound(int populationSize) {
    return names.size();
  }

  public int memory() {
    return memory;
  }

  public NamingPolicy policy() {
    return policy;
  }
}
