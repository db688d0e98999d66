package dev.norma.agents.games.ultimatum;

import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.protocols.spec.SpecErrors;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The texts an ultimatum-game prompt is made of, shipped beside this class as
 * {@code ultimatum.*.txt}: the rules (system), the reputation rule (a paragraph of the rules when
 * reputation is on), the proposer's and the responder's requests (user), the history block and
 * its line per remembered encounter, the agent's summary of older encounters
 * ({@code policy.llm.contextOverflow: summarise}), and the responder's record as a proposer is
 * told it. A researcher copies them, edits them and names the directory in
 * {@code policy.llm.templates} ({@link #fromDirectory}, {@link PromptTemplateSet});
 * {@code docs/llm-prompts.md} documents every variable.
 */
final class UltimatumPromptTemplates {
  static final String RESOURCE_DIR = "/dev/norma/agents/games/ultimatum/";

  private static final Set<String> GAME = Set.of("sum", "step");
  private static final Set<String> CALL = Set.of("sum", "step", "history", "options", "current_round", "score");

  /** The parts of a prompt, each with its file name and the variables it may use. */
  enum Part implements PromptTemplateSet.Part {
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

    @Override
    public String fileName() {
      return fileName;
    }

    @Override
    public Set<String> allowed() {
      return allowed;
    }
  }

  private static final UltimatumPromptTemplates DEFAULTS =
      new UltimatumPromptTemplates(PromptTemplateSet.defaults(Part.class, RESOURCE_DIR));

  private final PromptTemplateSet<Part> templates;

  private UltimatumPromptTemplates(PromptTemplateSet<Part> templates) {
    this.templates = templates;
  }

  /** The built-in texts, read once. */
  static UltimatumPromptTemplates defaults() {
    return DEFAULTS;
  }

  /** The texts of {@code directory}'s files named like the defaults, the defaults for the others. */
  static UltimatumPromptTemplates fromDirectory(Path directory) {
    return new UltimatumPromptTemplates(PromptTemplateSet.fromDirectory(Part.class, RESOURCE_DIR, directory));
  }

  /** The templates of a study: those of {@code directory} (a spec's {@code policy.llm.templates}), or the defaults. */
  static UltimatumPromptTemplates of(String directory) {
    return directory == null ? defaults() : fromDirectory(Path.of(directory));
  }

  /** Reports at {@code llmErrors}' {@code templates} why {@code directory}'s templates cannot be loaded. */
  static void check(String directory, SpecErrors llmErrors) {
    PromptTemplateSet.check(Part.class, RESOURCE_DIR, directory, llmErrors);
  }

  PromptTemplate get(Part part) {
    return templates.get(part);
  }

  /**
   * One hash for the whole set: SHA-256 over each part's file name and text hash, one line per
   * part in {@link Part} order, as the naming game's templates are hashed.
   */
  String sha256() {
    return templates.sha256();
  }

  /** Each part's SHA-256, by file name, in {@link Part} order. */
  Map<String, String> hashes() {
    return templates.hashes();
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> all = new HashSet<>(base);
    all.addAll(Set.of(more));
    return Set.copyOf(all);
  }
}
