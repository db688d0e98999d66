package dev.norma.agents.game;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.List;

/**
 * A game as a module: the package that holds a game's rules, minds and prompts names it to the
 * engine through this interface, and {@link Games} finds it by the spec's {@code game.kind}. A
 * module is listed in {@code META-INF/services/dev.norma.agents.game.GameModule} of its jar, so a
 * game written outside Norma joins by being on the class path.
 */
public interface GameModule {

  /** The {@code game.kind} values this module plays; no two modules may share one. */
  List<String> kinds();

  /** The game a study of {@code setup.spec()} plays; pure, the same for every node and the plain loop. */
  default Game<? extends Mind> create(GameSetup setup) {
    throw new UnsupportedOperationException("game.kind '" + setup.spec().game().kind()
        + "' is an encounter game: it is played through encounters(spec, seed), not as a two-party game");
  }

  /**
   * About how many heap bytes one agent's mind of this game takes in a study of {@code spec} at
   * its largest, object header included: what the study's memory check counts per agent.
   */
  long mindBytes(ExperimentSpec spec);

  /**
   * Why a study of {@code spec} may never converge however long it runs (so only
   * {@code stop.maxRounds} or a flip ends it), as a phrase for a warning; null when it converges.
   *
   * @param committedFraction the committed agents' fraction of the population (above 0)
   */
  default String whyItMayNotConverge(ExperimentSpec spec, double committedFraction) {
    return null;
  }

  /**
   * How this game's agents play through a language model in a study of {@code spec}
   * ({@code policy.kind: llm}), or null when the game has no language-model policy.
   *
   * @param game the study's game, as {@link #create} made it
   */
  default LanguageModelPlay languageModel(Game<? extends Mind> game, ExperimentSpec spec) {
    return null;
  }

  /**
   * The study of {@code spec} with run seed {@code seed} as an encounter game (n participants, one
   * pure rule over their minds), or null when the module's game is a two-party {@link Game} played
   * by the pair engine. A module gives one or the other.
   */
  default EncounterGame<? extends Mind> encounters(ExperimentSpec spec, long seed) {
    return null;
  }

  /**
   * What a stand-in model answers the prompts of this game's default templates, for the test
   * kit's fake server; null when the game has no language-model policy or brings no answers.
   */
  default dev.norma.agents.llm.FakeAnswers fakeAnswers() {
    return null;
  }

  /**
   * The columns of a run's {@code rounds.csv} (its header, {@code columns}) that a report draws
   * together, each group one figure; columns in no group are drawn one chart each. None by default.
   */
  default List<FigureGroup> figureGroups(List<String> columns) {
    return List.of();
  }
}
