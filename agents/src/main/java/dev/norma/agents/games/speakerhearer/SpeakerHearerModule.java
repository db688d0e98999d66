package dev.norma.agents.games.speakerhearer;

import dev.norma.agents.game.GameModule;
import dev.norma.agents.game.GameSetup;
import dev.norma.protocols.spec.GameSpec;
import java.util.List;

/**
 * The speaker–hearer games, one rule set: the minimal naming game (Baronchelli et al. 2006),
 * {@code game.kind: minimal-naming}, and the binary agreement model with committed minorities
 * (Xie et al. 2011), {@code game.kind: binary-agreement}, which is the same game restricted to two
 * names with everyone starting on the majority's.
 */
public final class SpeakerHearerModule implements GameModule {

  @Override
  public List<String> kinds() {
    return List.of(GameSpec.MINIMAL_NAMING, GameSpec.BINARY_AGREEMENT);
  }

  @Override
  public SpeakerHearerGame create(GameSetup setup) {
    return GameSpec.BINARY_AGREEMENT.equals(setup.spec().game().kind())
        ? new SpeakerHearerGame(setup.names(), false, setup.committedWord(), setup.majorityWord())
        : new SpeakerHearerGame(setup.names(), setup.inventsWords(), setup.committedWord(), -1);
  }
}
