package dev.norma.agents.games.crsec;

/**
 * A shared behaviour the café's customers may or may not show, on which personas take stances and
 * norms are written: smoking indoors, talking loudly, tipping the staff. Spec data
 * ({@code game.settings.themes}).
 *
 * @param name          the theme's short name, as {@code rounds.csv} columns name it ({@code smoking})
 * @param verb          the behaviour's verb, a norm's predicate without its modal ({@code smoke})
 * @param object        the rest of the behaviour, a norm's object ({@code indoors})
 * @param properIsDoing whether the behaviour the advocates stand for is doing it (tipping) rather
 *                      than refraining (smoking indoors)
 * @param habitShare    the share of ordinary agents whose habit is the improper action
 * @param mindedShare   the share of the other ordinary agents who mind the improper action when they
 *                      see it (their stance), though they hold no norm
 * @param group         what the theme's norms have in common, the object of the abstract norm a
 *                      synthesis writes from norms of themes of one group ({@code consideration for
 *                      others}); themes alone in their group are never synthesised
 */
public record Theme(String name, String verb, String object, boolean properIsDoing, double habitShare,
                    double mindedShare, String group) {
  public Theme {
    if (name == null || name.isBlank() || verb == null || verb.isBlank() || object == null || group == null
        || group.isBlank()) {
      throw new IllegalArgumentException("a theme needs a name, a verb, an object and a group");
    }
    if (!(habitShare >= 0 && habitShare <= 1 && mindedShare >= 0 && mindedShare <= 1)) {
      throw new IllegalArgumentException("shares lie in [0, 1]: " + habitShare + ", " + mindedShare);
    }
  }

  /** The café of Ren et al.: smoking indoors and loud talk (consideration), tipping (gratitude). */
  public static final java.util.List<Theme> DEFAULTS = java.util.List.of(
      new Theme("smoking", "smoke", "indoors", false, 0.3, 0.6, "consideration for others"),
      new Theme("noise", "talk", "loudly", false, 0.3, 0.5, "consideration for others"),
      new Theme("tipping", "tip", "the staff", true, 0.4, 0.3, "gratitude to the staff"));

  /** The behaviour, as a clause after a subject: "smoke indoors", or with {@code not} "not smoke indoors". */
  String clause(boolean doing) {
    String phrase = object.isBlank() ? verb : verb + " " + object;
    return doing ? phrase : "not " + phrase;
  }
}
