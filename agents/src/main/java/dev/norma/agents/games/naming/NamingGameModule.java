package dev.norma.agents.games.naming;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.game.GameModule;
import dev.norma.agents.game.GameSetup;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The naming game of Ashery, Aiello &amp; Baronchelli (2025), {@code game.kind: naming}: both agents
 * name from a fixed pool at once and score the spec's payoffs; the memory policy decides from the
 * last {@code game.memory} interactions.
 */
public final class NamingGameModule implements GameModule {

  @Override
  public List<String> kinds() {
    return List.of(GameSpec.NAMING);
  }

  @Override
  public NamingGame create(GameSetup setup) {
    GameSpec game = setup.spec().game();
    NamingPhases phases = NamingPhases.of(setup.spec(), setup.names());
    NamingPolicy[] policies = new NamingPolicy[phases.phases().size()];
    for (int i = 0; i < policies.length; i++) {
      policies[i] = memoryPolicy(setup.spec(), setup.names(), phases.phases().get(i).options());
    }
    return new NamingGame(setup.names(), game.memory(), phases, policies, setup.committedWord());
  }

  /** The ring of the last {@code game.memory} interactions. */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    return 16 + 4L * spec.game().memory();
  }

  /**
   * The prompt of Ashery et al. (2025), from the spec's templates or the defaults, its history cut
   * to {@code policy.llm.contextTokens} when set.
   */
  @Override
  public LanguageModelPlay languageModel(Game<? extends Mind> game, ExperimentSpec spec) {
    LlmPolicySpec llm = spec.policy().llm();
    NamingPromptTemplates templates = llm.templates() == null ? NamingPromptTemplates.defaults()
        : NamingPromptTemplates.fromDirectory(Path.of(llm.templates()));
    NamingGame naming = (NamingGame) game;
    return new NamingLanguageModelPlay(naming, new NamingPrompt(naming, llm.horizon(), templates, llm.contextTokens()));
  }

  /** The memory policy choosing among the {@code offered} word ids (every name, when the pool never changes). */
  private static MemoryPolicy memoryPolicy(ExperimentSpec spec, List<String> names, int[] offered) {
    double[] bias = new double[names.size()];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = spec.policy().bias().getOrDefault(names.get(i), 1.0);
    }
    return new MemoryPolicy(names.size(), spec.policy().temperature(), bias,
        offered.length == names.size() ? null : offered);
  }
}
