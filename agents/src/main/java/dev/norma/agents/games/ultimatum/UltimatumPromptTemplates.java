package dev.norma.agents.games.ultimatum;

import dev.norma.agents.llm.PromptTemplate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The texts an ultimatum-game prompt is made of, shipped beside this class as
 * {@code ultimatum.*.txt}: the rules (system), the reputation rule (a paragraph of the rules when
 * reputation is on), the proposer's and the responder's requests (user), the history block and
 * its line per remembered encounter, the agent's summary of older encounters
 * ({@code policy.llm.contextOverflow: summarise}), and the responder's record as a proposer is told it. Only
 * the built-in texts so far: {@code policy.llm.templates} is refused for this game.
 */
final class UltimatumPromptTemplates {
  static final String RESOURCE_DIR = "/dev/norma/agents/games/ultimatum/";

  private static final Set<String> GAME = Set.of("sum", "step");
  private static final Set<String> CALL = Set.of("sum", "step", "history", "options", "current_round", "score");

  /** The parts of a prompt, each with its file name and the variables it may use. */
  enum Part {
    SYSTEM("ultimatum.system.txt", Set.of("sum", "step", "reputation")),
    REPUTATION("ultimatum.reputation.txt", GAME),
    PROPOSER("ultimatum.proposer.txt", with(CALL, "record")),
    RESPONDER("ultimatum.responder.txt", with(CALL, "offer", "kept")),
    HISTORY("ultimatum.history.txt", Set.of("encounters")),
    SUMMARY("ultimatum.summary.txt", Set.of("summary")),
    ENCOUNTER("ultimatum.encounter.txt", Set.of("number", "role", "offer", "answer", "payoff")),
    RECORD("ultimatum.record.txt", Set.of("lowest_accepted")),
    NO_RECORD("ultimatum.no-record.txt", Set.of());

    private final String fileName;
    private final Set<String> allowed;

    Part(String fileName, Set<String> allowed) {
      this.fileName = fileName;
      this.allowed = allowed;
    }

    String fileName() {
      return fileName;
    }
  }

  private static final UltimatumPromptTemplates DEFAULTS = load();

  private final Map<Part, PromptTemplate> templates;
  private final String sha256;

  private UltimatumPromptTemplates(Map<Part, PromptTemplate> templates) {
    this.templates = Collections.unmodifiableMap(templates);
    StringBuilder manifest = new StringBuilder();
    for (Part part : Part.values()) {
      manifest.append(part.fileName()).append(' ').append(templates.get(part).sha256()).append('\n');
    }
    this.sha256 = PromptTemplate.sha256Hex(manifest.toString());
  }

  /** The built-in texts, read once. */
  static UltimatumPromptTemplates defaults() {
    return DEFAULTS;
  }

  private static UltimatumPromptTemplates load() {
    Map<Part, PromptTemplate> templates = new EnumMap<>(Part.class);
    for (Part part : Part.values()) {
      templates.put(part, PromptTemplate.fromResource(RESOURCE_DIR + part.fileName(), part.allowed));
    }
    return new UltimatumPromptTemplates(templates);
  }

  PromptTemplate get(Part part) {
    return templates.get(part);
  }

  /**
   * One hash for the whole set: SHA-256 over each part's file name and text hash, one line per
   * part in {@link Part} order, as the naming game's templates are hashed.
   */
  String sha256() {
    return sha256;
  }

  /** Each part's SHA-256, by file name, in {@link Part} order. */
  Map<String, String> hashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Part part : Part.values()) {
      hashes.put(part.fileName(), templates.get(part).sha256());
    }
    return Collections.unmodifiableMap(hashes);
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> all = new java.util.HashSet<>(base);
    all.addAll(Set.of(more));
    return Set.copyOf(all);
  }
}
