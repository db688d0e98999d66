package dev.norma.agents.game;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The games on the class path, by {@code game.kind}: every {@link GameModule} the service loader finds. */
public final class Games {
  private static final Map<String, GameModule> BY_KIND = load();

  private Games() {
  }

  private static Map<String, GameModule> load() {
    Map<String, GameModule> byKind = new TreeMap<>();
    for (GameModule module : ServiceLoader.load(GameModule.class, Games.class.getClassLoader())) {
      for (String kind : module.kinds()) {
        GameModule before = byKind.putIfAbsent(kind, module);
        if (before != null) {
          throw new IllegalStateException("game.kind '" + kind + "' is played by both "
              + before.getClass().getName() + " and " + module.getClass().getName());
        }
      }
    }
    return Map.copyOf(byKind);
  }

  /** The module that plays {@code kind}. */
  public static GameModule forKind(String kind) {
    GameModule module = BY_KIND.get(kind);
    if (module == null) {
      throw new IllegalArgumentException("no game plays game.kind '" + kind + "'; known kinds: " + kinds());
    }
    return module;
  }

  /** The stand-in answers of every game that brings them ({@link GameModule#fakeAnswers()}), by kind. */
  public static List<dev.norma.agents.llm.FakeAnswers> fakeAnswers() {
    return new TreeMap<>(BY_KIND).values().stream().distinct().map(GameModule::fakeAnswers)
        .filter(java.util.Objects::nonNull).toList();
  }

  /** Every kind a module on the class path plays, sorted. */
  public static List<String> kinds() {
    return List.copyOf(new TreeMap<>(BY_KIND).keySet());
  }
}
