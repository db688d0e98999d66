package dev.norma.agents.games.naming;

import dev.norma.agents.llm.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The four texts a naming-game prompt is made of. The default set lives beside this class as
 * {@code naming-game.system.txt}, {@code .user.txt}, {@code .history.txt} and
 * {@code .round.txt}; a researcher copies them, edits them and loads the directory with
 * {@link #fromDirectory}. {@code docs/llm-prompts.md} documents every variable.
 *
 * @param system  the shared rules: the same for every agent and every call of a game
 * @param user    the per-call part: option order, history block, round and score
 * @param history the history block, rendered only when the context window is not empty
 * @param round   one line of the history block, per remembered interaction
 */
public record NamingPromptTemplates(PromptTemplate system, PromptTemplate user, PromptTemplate history,
                                    PromptTemplate round) {

  /** Variables that depend only on the game: the same in every call. */
  public static final Set<String> GAME_VARIABLES = Set.of("horizon", "success", "failure", "option_count", "memory");
  /** Variables that change from call to call. */
  public static final Set<String> CALL_VARIABLES = Set.of("options", "current_round", "score", "remembered");
  public static final Set<String> ROUND_VARIABLES = Set.of("round", "own", "partner", "payoff");

  public static final Set<String> SYSTEM_ALLOWED = union(GAME_VARIABLES, CALL_VARIABLES);
  public static final Set<String> USER_ALLOWED = union(SYSTEM_ALLOWED, Set.of("history"));
  public static final Set<String> HISTORY_ALLOWED = union(SYSTEM_ALLOWED, Set.of("rounds"));
  public static final Set<String> ROUND_ALLOWED = union(GAME_VARIABLES, ROUND_VARIABLES);

  static final String RESOURCE_DIR = "/dev/norma/agents/games/naming/";

  /** The parts of a prompt, each with its file name. */
  public enum Part {
    SYSTEM("naming-game.system.txt", SYSTEM_ALLOWED),
    USER("naming-game.user.txt", USER_ALLOWED),
    HISTORY("naming-game.history.txt", HISTORY_ALLOWED),
    ROUND("naming-game.round.txt", ROUND_ALLOWED);

    private final String fileName;
    private final Set<String> allowed;

    Part(String fileName, Set<String> allowed) {
      this.fileName = fileName;
      this.allowed = allowed;
    }

    public String fileName() {
      return fileName;
    }

    public Set<String> allowed() {
      return allowed;
    }

    public PromptTemplate defaultTemplate() {
      return PromptTemplate.fromResource(RESOURCE_DIR + fileName, allowed);
    }

    public PromptTemplate fromFile(Path file) {
      return PromptTemplate.fromFile(file, allowed);
    }

    public PromptTemplate fromText(String name, String text) {
      return PromptTemplate.of(name, text, allowed);
    }
  }

  public NamingPromptTemplates {
    if (system == null || user == null || history == null || round == null) {
      throw new IllegalArgumentException("a naming-game prompt needs all four templates");
    }
  }

  /** The templates shipped with Norma, following Ashery, Aiello &amp; Baronchelli (2025). */
  public static NamingPromptTemplates defaults() {
    return new NamingPromptTemplates(Part.SYSTEM.defaultTemplate(), Part.USER.defaultTemplate(),
        Part.HISTORY.defaultTemplate(), Part.ROUND.defaultTemplate());
  }

  /**
   * Templates read from a directory holding files named like the defaults; a part whose file is
   * absent keeps the default text.
   */
  public static NamingPromptTemplates fromDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("not a directory: " + directory);
    }
    return new NamingPromptTemplates(load(directory, Part.SYSTEM), load(directory, Part.USER),
        load(directory, Part.HISTORY), load(directory, Part.ROUND));
  }

  private static PromptTemplate load(Path directory, Part part) {
    Path file = directory.resolve(part.fileName());
    return Files.isRegularFile(file) ? part.fromFile(file) : part.defaultTemplate();
  }

  public PromptTemplate get(Part part) {
    return switch (part) {
      case SYSTEM -> system;
      case USER -> user;
      case HISTORY -> history;
      case ROUND -> round;
    };
  }

  /** These templates with one part replaced. */
  public NamingPromptTemplates with(Part part, PromptTemplate template) {
    return new NamingPromptTemplates(
        part == Part.SYSTEM ? template : system,
        part == Part.USER ? template : user,
        part == Part.HISTORY ? template : history,
        part == Part.ROUND ? template : round);
  }

  /**
   * One hash for the whole set: SHA-256 over each part's file name and text hash, one line per
   * part in {@link Part} order. Two runs with the same value used the same prompt texts.
   */
  public String sha256() {
    StringBuilder manifest = new StringBuilder();
    for (Part part : Part.values()) {
      manifest.append(part.fileName()).append(' ').append(get(part).sha256()).append('\n');
    }
    return PromptTemplate.sha256Hex(manifest.toString());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
