package dev.norma.agents.games.identity;

import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.protocols.spec.SpecErrors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The texts a debate's prompts are made of, shipped beside this class as {@code identity.*.txt}:
 * the rules (system: the seat's identity prompt, the task, its side and goal), a debate turn's
 * request, the debate so far (a block and its line per message), the opening note when nothing
 * has been said yet, and the request to complete "We are…" or "They are…"; and the judge's
 * ({@code scoring: judge}): its system text, and its requests to classify a debate message's
 * stance and a completion's sentiment. A researcher copies
 * them, edits them and names the directory in {@code policy.llm.templates}
 * ({@link PromptTemplateSet}); {@code docs/llm-prompts.md} lists every variable.
 */
final class IdentityPromptTemplates {
  static final String RESOURCE_DIR = "/dev/norma/agents/games/identity/";

  /** The parts of a prompt, each with its file name and the variables it may use. */
  enum Part implements PromptTemplateSet.Part {
    SYSTEM("identity.system.txt", Set.of("identity", "task", "side", "turns", "debaters")),
    TURN("identity.turn.txt", Set.of("turn", "turns")),
    HISTORY("identity.history.txt", Set.of("lines")),
    OPENING("identity.opening.txt", Set.of()),
    LINE("identity.line.txt", Set.of("speaker", "text")),
    COMPLETE("identity.complete.txt", Set.of("start")),
    JUDGE_SYSTEM("identity.judge-system.txt", Set.of("task")),
    JUDGE_STANCE("identity.judge-stance.txt", Set.of("side", "turn", "turns", "text")),
    JUDGE_SENTIMENT("identity.judge-sentiment.txt", Set.of("start", "text"));

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

  private static final IdentityPromptTemplates DEFAULTS =
      new IdentityPromptTemplates(PromptTemplateSet.defaults(Part.class, RESOURCE_DIR));

  private final PromptTemplateSet<Part> templates;

  private IdentityPromptTemplates(PromptTemplateSet<Part> templates) {
    this.templates = templates;
  }

  static IdentityPromptTemplates defaults() {
    return DEFAULTS;
  }

  /** The templates of a study: those of {@code directory} (a spec's {@code policy.llm.templates}), or the defaults. */
  static IdentityPromptTemplates of(String directory) {
    return directory == null ? DEFAULTS
        : new IdentityPromptTemplates(PromptTemplateSet.fromDirectory(Part.class, RESOURCE_DIR, Path.of(directory)));
  }

  /** Reports at {@code llmErrors}' {@code templates} why {@code directory}'s templates cannot be loaded. */
  static void check(String directory, SpecErrors llmErrors) {
    PromptTemplateSet.check(Part.class, RESOURCE_DIR, directory, llmErrors);
  }

  PromptTemplate get(Part part) {
    return templates.get(part);
  }

  String sha256() {
    return templates.sha256();
  }

  Map<String, String> hashes() {
    return templates.hashes();
  }
}
