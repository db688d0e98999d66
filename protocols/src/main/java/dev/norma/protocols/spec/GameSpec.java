package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The game the agents play.
 *
 * @param kind     {@code naming} (Ashery et al. 2025), {@code minimal-naming} (Baronchelli et al.
 *                 2006), {@code binary-agreement} (Xie et al. 2011), or the kind of a game module
 *                 on the class path (a {@link GameSection} names and checks its own settings)
 * @param names    the name pool; for {@code minimal-naming} an empty pool means "invent new names"
 * @param poolSize shorthand for a pool of generated names (A..Z, then N27, N28, ...)
 * @param memory   H, the number of past interactions an agent remembers (naming game)
 * @param payoff   the payoff rule (naming game)
 * @param settings a game module's own settings, which its {@link GameSection} checks; empty for the
 *                 naming games, whose settings are the fields above
 */
public record GameSpec(String kind, List<String> names, Integer poolSize, Integer memory,
                       PayoffSpec payoff, Map<String, Object> settings) {
  public static final String NAMING = "naming";
  public static final String MINIMAL_NAMING = "minimal-naming";
  public static final String BINARY_AGREEMENT = "binary-agreement";
  public static final List<String> KINDS = List.of(NAMING, MINIMAL_NAMING, BINARY_AGREEMENT);
  /** Ashery et al.'s pool of ten names. */
  public static final List<String> TEN_NAMES = List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
  public static final int MAX_NAMES = 10_000;

  public GameSpec {
    kind = kind == null ? NAMING : kind;
    memory = memory == null ? 5 : memory;
    payoff = payoff == null ? new PayoffSpec(null, null) : payoff;
    // Not List.copyOf: a null entry must reach validate() and be reported as names[i].
    names = names == null ? null : Collections.unmodifiableList(new ArrayList<>(names));
    settings = settings == null ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }

  /** A naming game's section (no module settings). */
  public GameSpec(String kind, List<String> names, Integer poolSize, Integer memory, PayoffSpec payoff) {
    this(kind, names, poolSize, memory, payoff, null);
  }

  /** The module section that checks this kind's settings, when it is not one of the naming games. */
  public java.util.Optional<GameSection> section() {
    return hasKnownKind() ? java.util.Optional.empty() : GameSection.forKind(kind);
  }

  /**
   * The name pool this game plays with: the explicit list, else {@code poolSize} generated names,
   * else the game's default (ten names for {@code naming}, none (invent) for
   * {@code minimal-naming}, A and B for {@code binary-agreement}).
   */
  public List<String> resolvedNames() {
    if (BINARY_AGREEMENT.equals(kind)) {
      return names != null && names.size() == 2 ? names : List.of("A", "B");
    }
    if (names != null) {
      return names;
    }
    if (poolSize != null) {
      // Out of range only in a spec that validate() rejects; never allocate for it.
      return poolSizeInRange() ? generatedNames(poolSize) : List.of();
    }
    return NAMING.equals(kind) ? TEN_NAMES : List.of();
  }

  /** Whether {@code kind} names a game; sections whose rules depend on the game check this first. */
  public boolean hasKnownKind() {
    return KINDS.contains(kind);
  }

  private boolean poolSizeInRange() {
    return poolSize != null && poolSize >= 1 && poolSize <= MAX_NAMES;
  }

  /**
   * Whether {@link #resolvedNames()} is the pool the game would play with: the kind is known and a
   * given poolSize is in range. Checks of other sections against the pool depend on it.
   */
  boolean hasResolvablePool() {
    return hasKnownKind() && (poolSize == null || poolSizeInRange());
  }

  /** A name fit for the result files: non-empty, without commas, quotes or newlines. */
  static boolean isValidName(String name) {
    return name != null && !name.isBlank() && !name.contains(",") && !name.contains("\n")
        && !name.contains("\"");
  }

  /** A..Z then N27, N28, ... so that small pools read like the papers' letters. */
  public static List<String> generatedNames(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(i < 26 ? String.valueOf((char) ('A' + i)) : "N" + (i + 1));
    }
    return out;
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    if (!hasKnownKind()) {
      java.util.Optional<GameSection> section = GameSection.forKind(kind);
      if (section.isEmpty()) {
        List<String> known = new ArrayList<>(KINDS);
        known.addAll(GameSection.moduleKinds());
        errors.add("kind", "expected one of " + known + ", got '" + kind + "'");
      } else {
        section.get().validate(spec, errors);
      }
      return;
    }
    if (!settings.isEmpty()) {
      errors.add("settings", "the " + kind + " game takes no settings here (its fields are names, poolSize,"
          + " memory and payoff), got " + settings.keySet());
    }
    if (names != null && poolSize != null) {
      errors.add("poolSize", "give either names or poolSize, not both (on the command line a --set of one alone"
          + " replaces the other; or clear one with --set game.names= or game.poolSize=)");
    }
    if (poolSize != null && !poolSizeInRange()) {
      errors.add("poolSize", "expected 1.." + MAX_NAMES + ", got " + poolSize);
    }
    if (names != null) {
      if (names.size() > MAX_NAMES) {
        errors.add("names", "expected at most " + MAX_NAMES + " names, got " + names.size());
      }
      if (new HashSet<>(names).size() != names.size()) {
        errors.add("names", "expected distinct names, got " + names);
      }
      for (int i = 0; i < names.size(); i++) {
        String n = names.get(i);
        if (!isValidName(n)) {
          errors.add("names[" + i + "]", "expected a non-empty name without commas, quotes or newlines, got "
              + (n == null ? "null" : "'" + n + "'"));
        }
      }
    }
    List<String> pool = resolvedNames();
    if (NAMING.equals(kind) && pool.size() < 2 && hasResolvablePool()) {
      errors.add(names != null ? "names" : "poolSize", "the naming game needs at least 2 names, got " + pool.size());
    }
    if (BINARY_AGREEMENT.equals(kind) && names != null && names.size() != 2) {
      errors.add("names", "expected exactly 2 names for binary-agreement's two states, got " + names.size());
    }
    if (BINARY_AGREEMENT.equals(kind) && poolSize != null && poolSize != 2) {
      errors.add("poolSize", "expected 2 for binary-agreement's two states (A and B), got " + poolSize);
    }
    if (memory < 1 || memory > 1000) {
      errors.add("memory", "expected 1..1000 remembered interactions, got " + memory);
    }
    payoff.validate(errors.at("payoff"));
  }
}
