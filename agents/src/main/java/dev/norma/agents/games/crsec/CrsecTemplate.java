package dev.norma.agents.games.crsec;

import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.protocols.spec.SpecErrors;
import java.nio.file.Path;
import java.util.Set;

/**
 * The texts the CRSEC study's prompts are made of, shipped beside this class as
 * {@code crsec.*.txt}, each with the variables it may use: the café's rules (system), the agent's
 * persona with the norms it holds (a line per norm), and one request per step of the four
 * modules: creation (an advocate writes its personal norms), compliance (do or avoid a behaviour
 * its norm and its habit disagree on), spreading (whether to speak up about a conflict, what to
 * say, and the listener's identification of the norm it heard), observation (the descriptive norms
 * it sees in what most others did) and evaluation (a utility with its reason; the periodic synthesis
 * of related norms into an abstract one). A researcher copies them, edits them and names the directory in
 * {@code policy.llm.templates} ({@link PromptTemplateSet}); {@code docs/llm-prompts.md} lists
 * every variable.
 */
enum CrsecTemplate implements PromptTemplateSet.Part {
  SYSTEM("crsec.system.txt", Set.of("room_size", "behaviours")),
  PERSONA("crsec.persona.txt", Set.of("name", "role", "stances", "speaking", "norms")),
  NORM("crsec.norm.txt", Set.of("content", "utility")),
  CREATE("crsec.create.txt", Set.of()),
  COMPLY("crsec.comply.txt", Set.of("behaviour", "habit", "norm")),
  SPEAK_UP("crsec.speak-up.txt", Set.of("other", "action", "norm")),
  SPEAK("crsec.speak.txt", Set.of("other", "action", "norm")),
  IDENTIFY("crsec.identify.txt", Set.of("speaker", "said")),
  EVALUATE("crsec.evaluate.txt", Set.of("norm", "source", "heard")),
  DESCRIBE("crsec.describe.txt", Set.of("seen")),
  SYNTHESISE("crsec.synthesise.txt", Set.of("norms", "general"));

  static final String RESOURCE_DIR = "/dev/norma/agents/games/crsec/";

  private final String fileName;
  private final Set<String> allowed;

  CrsecTemplate(String fileName, Set<String> allowed) {
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

  /** The built-in texts. */
  static PromptTemplateSet<CrsecTemplate> defaults() {
    return Defaults.SET;
  }

  /** The templates of a study: those of {@code directory} (a spec's {@code policy.llm.templates}), or the defaults. */
  static PromptTemplateSet<CrsecTemplate> of(String directory) {
    return directory == null ? defaults()
        : PromptTemplateSet.fromDirectory(CrsecTemplate.class, RESOURCE_DIR, Path.of(directory));
  }

  /** Reports at {@code llmErrors}' {@code templates} why {@code directory}'s templates cannot be loaded. */
  static void check(String directory, SpecErrors llmErrors) {
    PromptTemplateSet.check(CrsecTemplate.class, RESOURCE_DIR, directory, llmErrors);
  }

  /** Read once, when first asked for (an enum's own static fields are set after its constants). */
  private static final class Defaults {
    static final PromptTemplateSet<CrsecTemplate> SET = PromptTemplateSet.defaults(CrsecTemplate.class, RESOURCE_DIR);
  }
}
