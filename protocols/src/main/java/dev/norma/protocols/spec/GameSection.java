package dev.norma.protocols.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The spec's {@code game} section for a game written as a module: the module names its kinds and
 * checks its own {@code game.settings} (and whatever else of the spec it reads, such as
 * {@code committed} or {@code policy}). Found with the service loader
 * ({@code META-INF/services/dev.norma.protocols.spec.GameSection}), so a spec names any game on the
 * class path and bad settings are reported with the rest of the spec, by dotted path.
 */
public interface GameSection {

  /** The {@code game.kind} values this section checks. */
  List<String> kinds();

  /**
   * Adds one error per bad field of {@code spec} that this game reads.
   *
   * @param gameErrors errors at {@code game} (so {@code gameErrors.at("settings").add("beta", ...)}
   *                   reports {@code game.settings.beta}); {@link SpecErrors#root()} reaches the
   *                   other sections
   */
  void validate(ExperimentSpec spec, SpecErrors gameErrors);

  /**
   * The settings a study of {@code spec} (valid) plays with, every default written out, for the
   * resolved spec a run directory records; the settings as given by default.
   */
  default Map<String, Object> settingsInForce(ExperimentSpec spec) {
    return spec.game().settings();
  }

  /**
   * Checks the spec's {@code interventions} for this game, after each one's {@code at} and their
   * order were checked: one error per bad field, at {@code interventions[i].FIELD}. A game takes
   * none by default, and a spec that gives some is refused at {@code interventions}; a game that
   * takes some applies them itself, from the spec and the run seed, at the index they name.
   *
   * @param errors errors at the spec's root
   */
  default void validateInterventions(ExperimentSpec spec, SpecErrors errors) {
    errors.add("interventions", "not supported for game.kind '" + spec.game().kind()
        + "' (an encounter game that takes none); interventions apply to " + GameSpec.KINDS);
  }

  /** The section for {@code kind} among those on the class path. */
  static Optional<GameSection> forKind(String kind) {
    return Optional.ofNullable(Loaded.BY_KIND.get(kind));
  }

  /** Every module kind on the class path, sorted. */
  static List<String> moduleKinds() {
    return List.copyOf(Loaded.BY_KIND.keySet());
  }

  /** The sections on the class path, loaded once. */
  final class Loaded {
    private static final Map<String, GameSection> BY_KIND = load();

    private Loaded() {
    }

    private static Map<String, GameSection> load() {
      Map<String, GameSection> byKind = new TreeMap<>();
      for (GameSection section : ServiceLoader.load(GameSection.class, GameSection.class.getClassLoader())) {
        for (String kind : section.kinds()) {
          if (GameSpec.KINDS.contains(kind)) {
            throw new IllegalStateException("game.kind '" + kind + "' is a naming game's; "
                + section.getClass().getName() + " cannot claim it");
          }
          byKind.putIfAbsent(kind, section);
        }
      }
      return byKind;
    }
  }
}
