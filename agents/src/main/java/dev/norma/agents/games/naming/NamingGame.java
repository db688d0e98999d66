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
 *
 * <p>{@link NamingPhases} say which names are offered and what they pay at each interaction index
 * ({@code relabel}, {@code addNames} and {@code payoff} interventions): an agent first brings what
 * it remembers (and its commitment) under the phase's relabelling, then chooses with the phase's
 * policy, which draws only among the names offered.
 */
public final class NamingGame implements Game<NamingMind> {
  private final List<String> names;
  private final int memory;
  private final int successPayoff;
  private final int failurePayoff;
  private final NamingPolicy policy;
  private final int committedWord;
  private final NamingPhases phases;
  /** The policy of each phase (the first is {@link #policy}). */
  private final NamingPolicy[] policies;

  public NamingGame(List<String> names, int memory, int successPayoff, int failurePayoff,
                    NamingPolicy policy, int committedWord) {
    this(names, memory, NamingPhases.constant(names.size(), successPayoff, failurePayoff),
        new NamingPolicy[] {policy}, committedWord);
  }

  /**
   * @param names    every name by word id (the pool, then the names interventions add)
   * @param phases   the pool and payoff over the run
   * @param policies one policy per phase
   */
  public NamingGame(List<String> names, int memory, NamingPhases phases, NamingPolicy[] policies,
                    int committedWord) {
    if (policies.length != phases.phases().size()) {
      throw new IllegalArgumentException(policies.length + " policies for " + phases.phases().size() + " phases");
    }
    int successPayoff = phases.phases().get(0).success();
    int failurePayoff = phases.phases().get(0).failure();
    NamingPolicy policy = policies[0];
    this.phases = phases;
    this.policies = policies.clone();
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
    int phase = phases.positionAt(index);
    NamingPhases.Phase now = phases.phases().get(phase);
    int committedTo = now.current(mind.committedWordAt(index, committedWord));
    if (committedTo < 0) {
      catchUp(mind, now);
      return policies[phase].choose(mind);
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

  /**
   * Brings what {@code mind} remembers under the relabelling in force at interaction
   * {@code index} (the language-model policy calls it before rendering a prompt).
   */
  public void catchUp(NamingMind mind, long index) {
    catchUp(mind, phases.at(index));
  }

  private static void catchUp(NamingMind mind, NamingPhases.Phase now) {
    if (now.relabel() != null) {
      mind.relabel(now.relabel());
    }
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
  public int payoff(boolean success, long index) {
    NamingPhases.Phase now = phases.at(index);
    return success ? now.success() : now.failure();
  }

  /** The pool and payoff over the run. */
  public NamingPhases phases() {
    return phases;
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
