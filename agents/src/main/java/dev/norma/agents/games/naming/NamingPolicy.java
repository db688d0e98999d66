package dev.norma.agents.games.naming;


/**
 * Decides a naming-game agent's choice from what it can see: its context window. A synchronous
 * policy decides in place; a language-model policy is asynchronous and lives in the runtime,
 * which renders the same context window into a prompt and calls an inference endpoint.
 */
public interface NamingPolicy {
  /** The chosen word, drawing any randomness from the mind's own stream. */
  int choose(NamingMind mind);
}
