package dev.norma.agents.llm;

import dev.norma.protocols.spec.SpecErrors;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The texts a game's prompts are made of, one {@link PromptTemplate} per part. The defaults are
 * resources beside the game's classes; a researcher copies them, edits them and names the
 * directory in {@code policy.llm.templates}, whose files replace the defaults file by file: a
 * file named like a part replaces that part, a part without a file keeps its default, and any
 * other file is ignored, as the naming game's templates are read. A template that uses a variable
 * its part does not allow is an error when the set is loaded ({@link PromptTemplate}), which a
 * game's spec section reports through {@link #check}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <P> the game's parts, an enum in the order its hashes are listed
 */
public final class PromptTemplateSet<P extends Enum<P> & PromptTemplateSet.Part> {

  /** One text of a game's prompts: the file it is read from and the variables it may use. */
  public interface Part {
    String fileName();

    Set<String> allowed();
  }

  private final Map<P, PromptTemplate> templates;
  private final String sha256;

  private PromptTemplateSet(Map<P, PromptTemplate> templates) {
    this.templates = Collections.unmodifiableMap(templates);
    StringBuilder manifest = new StringBuilder();
    hashes().forEach((file, sha) -> manifest.append(file).append(' ').append(sha).append('\n'));
    this.sha256 = PromptTemplate.sha256Hex(manifest.toString());
  }

  /** The built-in texts: each part's file read from the resource directory {@code resourceDir}. */
  public static <P extends Enum<P> & Part> PromptTemplateSet<P> defaults(Class<P> parts, String resourceDir) {
    return load(parts, resourceDir, null);
  }

  /**
   * The texts of {@code directory}'s files named like parts, the defaults for the other parts.
   *
   * @throws IllegalArgumentException when {@code directory} is not one, or a template is malformed
   *                                  or uses a variable its part does not allow (the message names
   *                                  the file and the variable)
   * @throws UncheckedIOException     when a file cannot be read
   */
  public static <P extends Enum<P> & Part> PromptTemplateSet<P> fromDirectory(Class<P> parts, String resourceDir,
                                                                             Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("not a directory: " + directory);
    }
    return load(parts, resourceDir, directory);
  }

  private static <P extends Enum<P> & Part> PromptTemplateSet<P> load(Class<P> parts, String resourceDir,
                                                                     Path directory) {
    Map<P, PromptTemplate> templates = new EnumMap<>(parts);
    for (P part : parts.getEnumConstants()) {
      Path file = directory == null ? null : directory.resolve(part.fileName());
      templates.put(part, file != null && Files.isRegularFile(file)
          ? PromptTemplate.fromFile(file, part.allowed())
          : PromptTemplate.fromResource(resourceDir + part.fileName(), part.allowed()));
    }
    return new PromptTemplateSet<>(templates);
  }

  /**
   * Reports at {@code llmErrors}' field {@code templates} (so {@code policy.llm.templates}) why
   * {@code directory}'s templates cannot replace the parts: the loading error, which names the
   * file and the variable. A directory the node's rules refuse, or a path that is no directory,
   * is not read here: the policy's own check reports it.
   */
  public static <P extends Enum<P> & Part> void check(Class<P> parts, String resourceDir, String directory,
                                                      SpecErrors llmErrors) {
    if (directory == null || directory.isBlank()
        || llmErrors.rules() != null && llmErrors.rules().pathProblem(directory, true) != null) {
      return;
    }
    Path path;
    try {
      path = Path.of(directory);
    } catch (InvalidPathException e) {
      return;
    }
    if (!Files.isDirectory(path)) {
      return;
    }
    try {
      fromDirectory(parts, resourceDir, path);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      llmErrors.add("templates", e.getMessage());
    }
  }

  public PromptTemplate get(P part) {
    return templates.get(part);
  }

  /**
   * One hash for the whole set: SHA-256 over each part's file name and text hash, one line per
   * part in enum order, as the naming game's templates are hashed. Two runs with the same value
   * used the same prompt texts.
   */
  public String sha256() {
    return sha256;
  }

  /** Each part's SHA-256, by file name, in enum order. */
  public Map<String, String> hashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    templates.forEach((part, template) -> hashes.put(part.fileName(), template.sha256()));
    return Collections.unmodifiableMap(hashes);
  }
}
