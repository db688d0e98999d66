package dev.norma.agents.games.higherorder;

import dev.norma.agents.llm.ContextFolding;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.SpecErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders what a language-model player of the higher-order naming game sees
 * ({@link HigherOrderConversations}), from the templates beside this class
 * ({@code higher-order.*.txt}), or from a directory whose files named like them replace them
 * ({@code policy.llm.templates}, {@link PromptTemplateSet}; {@code docs/llm-prompts.md} lists each
 * file's variables).
 *
 * <ul>
 *   <li>The system text, the same for every call of a study: a population meeting in groups of g
 *       to settle on a name, the two names (in alphabetical order, so that the text does not mark
 *       the committed minority's), the speaker says one, each hearer in turn accepts or refuses,
 *       the group can agree only if every hearer accepts, the aim is one name for the whole
 *       population, and the answer format {@code {'value': 'X'}}.</li>
 *   <li>The speaker's user text: its remembered encounters, then the two names in the order
 *       drawn for this call.</li>
 *   <li>A hearer's user text: its remembered encounters, the name the speaker said, the replies
 *       of the hearers before it, then its options, accept or refuse.</li>
 * </ul>
 * Remembered encounters are lines renumbered from 1, oldest first ("Meeting 2: you were a hearer;
 * the speaker said Q; the group agreed on it."), cut to the newest that fit
 * {@code policy.llm.contextTokens} ({@link ContextWindow#keepNewest}); with none, the block is
 * left out. Under {@code policy.llm.contextOverflow: summarise} the lines that leave are first
 * folded into the agent's summary ({@link #shown}, {@link ContextFolding}; the lines leaving are
 * numbered from 1 too), which the user text then shows before the block
 * ({@code higher-order.summary.txt}, "What you recall of earlier meetings: …"). The agent is not told which names it holds: what it knows of the study is what it
 * remembers.
 *
 * <p>Immutable and thread-safe.
 */
public final class HigherOrderPrompts {
  static final String RESOURCE_DIR = "/dev/norma/agents/games/higherorder/";
  /** The hearer's options, in the order of their indices. */
  static final List<String> REPLIES = List.of("accept", "refuse");
  static final int ACCEPT = 0;
  static final int REFUSE = 1;

  /** The texts a prompt is made of, each a file with the variables it may use. */
  enum Part implements PromptTemplateSet.Part {
    SYSTEM("higher-order.system.txt", Set.of("names", "group_size")),
    SPEAKER("higher-order.speaker.txt", Set.of("history", "options")),
    HEARER("higher-order.hearer.txt", Set.of("history", "name", "replies", "options")),
    HISTORY("higher-order.history.txt", Set.of("remembered", "encounters")),
    ENCOUNTER("higher-order.encounter.txt", Set.of("number", "role", "name", "result")),
    SUMMARY("higher-order.summary.txt", Set.of("summary")),
    REPLY("higher-order.reply.txt", Set.of("hearer", "reply", "name"));

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

  /** The built-in texts, read once. */
  private static final PromptTemplateSet<Part> DEFAULTS = PromptTemplateSet.defaults(Part.class, RESOURCE_DIR);

  private final List<String> names;
  private final PromptTemplateSet<Part> templates;
  private final String system;
  private final ContextFolding folding;

  /** Prompts whose history drops the oldest lines that do not fit {@code contextTokens}. */
  public HigherOrderPrompts(List<String> names, int groupSize, Integer contextTokens) {
    this(names, groupSize, contextTokens, ContextWindow.Overflow.DROP_OLDEST);
  }

  /** Prompts from the default templates. */
  public HigherOrderPrompts(List<String> names, int groupSize, Integer contextTokens,
                            ContextWindow.Overflow overflow) {
    this(names, groupSize, contextTokens, overflow, null);
  }

  /**
   * @param names         what the two conventions are called, A's first
   * @param groupSize     g
   * @param contextTokens the most estimated tokens of remembered encounters a prompt shows; null: all
   * @param overflow      what happens to the remembered encounters that do not fit
   * @param templates     a directory whose files named like the defaults replace them
   *                      ({@code policy.llm.templates}); null: the defaults
   * @throws IllegalArgumentException when a template of {@code templates} is malformed or uses a
   *                                  variable its part does not allow
   */
  public HigherOrderPrompts(List<String> names, int groupSize, Integer contextTokens,
                            ContextWindow.Overflow overflow, Path templates) {
    if (names.size() != 2 || names.get(0).equals(names.get(1))) {
      throw new IllegalArgumentException("the game needs two distinct names, got " + names);
    }
    this.names = List.copyOf(names);
    this.templates = templates == null ? DEFAULTS
        : PromptTemplateSet.fromDirectory(Part.class, RESOURCE_DIR, templates);
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    this.system = render(Part.SYSTEM, Map.of("names", sorted.get(0) + " and " + sorted.get(1),
        "group_size", Integer.toString(groupSize)));
    this.folding = new ContextFolding(contextTokens, overflow, system);
  }

  /**
   * Reports at {@code llmErrors}' {@code templates} why the templates of {@code directory} (a
   * spec's {@code policy.llm.templates}) cannot replace the defaults.
   */
  static void check(String directory, SpecErrors llmErrors) {
    PromptTemplateSet.check(Part.class, RESOURCE_DIR, directory, llmErrors);
  }

  private String render(Part part, Map<String, String> values) {
    return templates.get(part).render(values::get);
  }

  /** The name of {@code convention} ({@link ConventionMind#A} or {@link ConventionMind#B}). */
  public String name(int convention) {
    return names.get(convention);
  }

  public List<String> names() {
    return names;
  }

  /** The speaker's prompt, the names shown in {@code order} (conventions). */
  RenderedPrompt speaker(ConventionMind speaker, List<Integer> order) {
    return speaker(shown(speaker), order);
  }

  /** The speaker's prompt, showing {@code shown} of its past ({@link #shown}, needing no summary). */
  RenderedPrompt speaker(ContextWindow.Shown shown, List<Integer> order) {
    String options = name(order.get(0)) + " or " + name(order.get(1));
    String user = render(Part.SPEAKER, Map.of("history", historyBlock(shown), "options", options));
    return new RenderedPrompt(system, user, order, shown.lines().size() + 1, 0, templates.sha256());
  }

  /**
   * A hearer's prompt: the speaker said {@code said}; {@code replies[0..earlier-1]} are the
   * replies of the hearers before it ({@link #ACCEPT} or {@link #REFUSE}).
   */
  RenderedPrompt hearer(ConventionMind hearer, int said, int[] replies, int earlier) {
    return hearer(shown(hearer), said, replies, earlier);
  }

  /** A hearer's prompt, showing {@code shown} of its past ({@link #shown}, needing no summary). */
  RenderedPrompt hearer(ContextWindow.Shown shown, int said, int[] replies, int earlier) {
    StringBuilder replyLines = new StringBuilder();
    for (int i = 0; i < earlier; i++) {
      replyLines.append(render(Part.REPLY, Map.of("hearer", Integer.toString(i + 1),
          "reply", replies[i] == ACCEPT ? "accepted" : "refused", "name", name(said)))).append('\n');
    }
    Map<String, String> values = new HashMap<>();
    values.put("history", historyBlock(shown));
    values.put("name", name(said));
    values.put("replies", replyLines.toString());
    values.put("options", REPLIES.get(ACCEPT) + " or " + REPLIES.get(REFUSE));
    String user = render(Part.HEARER, values);
    return new RenderedPrompt(system, user, List.of(ACCEPT, REFUSE), shown.lines().size() + 1, 0,
        templates.sha256());
  }

  /** The lines of the encounters {@code mind} remembers that the context window shows, oldest first. */
  List<String> history(ConventionMind mind) {
    return shown(mind).lines();
  }

  /**
   * What {@code mind}'s next prompt shows of its past; when it {@linkplain
   * ContextWindow.Shown#needsSummary() needs a summary}, {@link #summary} asks for it first.
   */
  ContextWindow.Shown shown(ConventionMind mind) {
    List<EncounterMemory.Entry> remembered = new ArrayList<>(mind.remembered());
    for (int i = 0; i < mind.remembered(); i++) {
      remembered.add(mind.rememberedEncounter(i));
    }
    // Sized as the widest number, then numbered after the cut, so that the shown meetings run
    // from 1 whatever the window keeps, and so do the ones leaving it.
    List<String> unnumbered = new ArrayList<>(remembered.size());
    for (int i = 0; i < remembered.size(); i++) {
      unnumbered.add(line(remembered.size(), remembered.get(i)));
    }
    ContextWindow.Shown shown = folding.show(unnumbered, mind.recall());
    int firstShown = remembered.size() - shown.lines().size();
    return new ContextWindow.Shown(shown.summary(), numbered(remembered.subList(firstShown, remembered.size())),
        shown.firstShown(), numbered(remembered.subList(firstShown - shown.toFold().size(), firstShown)),
        shown.coveredAfter());
  }

  private List<String> numbered(List<EncounterMemory.Entry> entries) {
    List<String> lines = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      lines.add(line(i + 1, entries.get(i)));
    }
    return lines;
  }

  /** The prompt asking the agent for the summary {@code shown} needs. */
  RenderedPrompt summary(ContextWindow.Shown shown) {
    return folding.summaryPrompt(shown);
  }

  /** Takes {@code answer} as {@code mind}'s summary of what {@code shown} folds. */
  void summarised(ConventionMind mind, ContextWindow.Shown shown, String answer) {
    folding.fold(mind.recall(), shown, answer);
  }

  private String line(int number, EncounterMemory.Entry entry) {
    return render(Part.ENCOUNTER, Map.of("number", Integer.toString(number),
        "role", entry.spoke() ? "the speaker" : "a hearer",
        "name", name(entry.said()),
        "result", entry.agreed() ? "agreed on it" : "did not agree"));
  }

  /** The summary, if any, and the remembered meetings shown. */
  private String historyBlock(ContextWindow.Shown shown) {
    if (shown.needsSummary()) {
      throw new IllegalArgumentException("the past shown needs a summary first");
    }
    String summary = shown.summary().isEmpty() ? "" : render(Part.SUMMARY, Map.of("summary", shown.summary())) + "\n";
    List<String> lines = shown.lines();
    if (lines.isEmpty()) {
      return summary;
    }
    return summary + render(Part.HISTORY, Map.of("remembered", Integer.toString(lines.size()),
        "encounters", String.join("\n", lines))) + "\n";
  }

  /** The SHA-256 of the templates as a whole: of each file's name and hash, one line each. */
  public String templatesSha256() {
    return templates.sha256();
  }

  /** Each template's SHA-256 by file name, in a fixed order. */
  public Map<String, String> templateHashes() {
    return templates.hashes();
  }
}
