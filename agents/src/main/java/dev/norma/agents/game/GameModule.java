package dev.norma.agents.game;

import dev.norma.agents.Mind;
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
  Game<? extends Mind> create(GameSetup setup);
}
