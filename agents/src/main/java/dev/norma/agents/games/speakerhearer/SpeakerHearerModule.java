package dev.norma.agents.games.speakerhearer;

import dev.norma.agents.game.GameModule;
import dev.norma.agents.game.GameSetup;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSpec;
import java.util.List;
import java.util.Locale;

/**
 * The speaker–hearer games, one rule set: the minimal naming game (Baronchelli et al. 2006),
 * {@code game.kind: minimal-naming}, and the binary agreement model with committed minorities
 * (Xie et al. 2011), {@code game.kind: binary-agreement}, which is the same game restricted to two
 * names with everyone starting on the majority's.
 */
public final class SpeakerHearerModule implements GameModule {
  /** Binary agreement's tipping point (Xie et al. 2011): below it a committed minority never wins. */
  public static final double BINARY_AGREEMENT_TIPPING_FRACTION = 0.098;

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

  /**
   * An inventory of word ids: in the minimal naming game inventories peak at about 0.33·N^1.5
   * words in all (Baronchelli et al. 2006), so 0.33·√N per agent; in binary agreement the pool.
   */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    if (GameSpec.MINIMAL_NAMING.equals(spec.game().kind())) {
      return 16 + 4L * (long) Math.ceil(0.33 * Math.sqrt(spec.population().size()));
    }
    return 16 + 4L * spec.game().resolvedNames().size();
  }

  @Override
  public String whyItMayNotConverge(ExperimentSpec spec, double committedFraction) {
    if (GameSpec.BINARY_AGREEMENT.equals(spec.game().kind())
        && committedFraction < BINARY_AGREEMENT_TIPPING_FRACTION) {
      return String.format(Locale.ROOT, "a committed fraction of %.3f is below binary agreement's tipping point"
          + " of about %.3f, so the population does not converge", committedFraction,
          BINARY_AGREEMENT_TIPPING_FRACTION);
    }
    return null;
  }
}
