package dev.norma.agents.games.ultimatum;

/**
 * The ultimatum game with one step of the rule changed, for negative controls: a science test
 * shows that it tells the published rule from a plausible wrong one. A subclass overrides the one
 * step it breaks ({@link #offer}, {@link #respond}, {@link #imitationProbability}, …) and
 * delegates the rest to the real rules, which it is.
 */
class ModifiedRules extends UltimatumGame {

  ModifiedRules(UltimatumParameters parameters) {
    super(parameters);
  }
}
