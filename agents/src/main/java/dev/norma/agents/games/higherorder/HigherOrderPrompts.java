package dev.norma.agents.games.higherorder;

import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders what a language-model player of the higher-order naming game sees
 * ({@link HigherOrderConversations}), from the templates beside this class
 * ({@code higher-order.*.txt}; built-in only so far).
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
 * left out. The agent is not told which names it holds: what it knows of the study is what it
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

  /** The texts a prompt is made of, each a resource with the variables it may use. */
  enum Part {
    SYSTEM("higher-order.system.txt", Set.of("names", "group_size")),
    SPEAKER("higher-order.speaker.txt", Set.of("history", "options")),
    HEARER("higher-order.hearer.txt", Set.of("history", "name", "replies", "options")),
    HISTORY("higher-order.history.txt", Set.of("remembered", "encounters")),
    ENCOUNTER("higher-order.encounter.txt", Set.of("number", "role", "name", "result")),
    REPLY("higher-order.reply.txt", Set.of("hearer", "reply", "name"));

    private final String fileName;
    private final PromptTemplate template;

    Part(String fileName, Set<String> allowed) {
      this.fileName = fileName;
      this.template = PromptTemplate.fromResource(RESOURCE_DIR + fileName, allowed);
    }

    String render(Map<String, String> values) {
      return template.render(values::get);
    }
  }

  private final List<String> names;
  private final Integer contextTokens;
  private final String system;
  private final String templatesSha256;

  /**
   * @param names         what the two conventions are called, A's first
   * @param groupSize     g
   * @param contextTokens the most estimated tokens of remembered encounters a prompt shows; null: all
   */
  public HigherOrderPrompts(List<String> names, int groupSize, Integer contextTokens) {
    if (names.size() != 2 || names.get(0).equals(names.get(1))) {
      throw new IllegalArgumentException("the game needs two distinct names, got " + names);
    }
    this.names = List.copyOf(names);
    this.contextTokens = contextTokens;
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    this.system = Part.SYSTEM.render(Map.of("names", sorted.get(0) + " and " + sorted.get(1),
        "group_size", Integer.toString(groupSize)));
    StringBuilder manifest = new StringBuilder();
    templateHashes().forEach((file, sha) -> manifest.append(file).append(' ').append(sha).append('\n'));
    this.templatesSha256 = PromptTemplate.sha256Hex(manifest.toString());
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
    List<String> history = history(speaker);
    String options = name(order.get(0)) + " or " + name(order.get(1));
    String user = Part.SPEAKER.render(Map.of("history", historyBlock(history), "options", options));
    return new RenderedPrompt(system, user, order, history.size() + 1, 0, templatesSha256);
  }

  /**
   * A hearer's prompt: the speaker said {@code said}; {@code replies[0..earlier-1]} are the
   * replies of the hearers before it ({@link #ACCEPT} or {@link #REFUSE}).
   */
  RenderedPrompt hearer(ConventionMind hearer, int said, int[] replies, int earlier) {
    List<String> history = history(hearer);
    StringBuilder replyLines = new StringBuilder();
    for (int i = 0; i < earlier; i++) {
      replyLines.append(Part.REPLY.render(Map.of("hearer", Integer.toString(i + 1),
          "reply", replies[i] == ACCEPT ? "accepted" : "refused", "name", name(said)))).append('\n');
    }
    Map<String, String> values = new HashMap<>();
    values.put("history", historyBlock(history));
    values.put("name", name(said));
    values.put("replies", replyLines.toString());
    values.put("options", REPLIES.get(ACCEPT) + " or " + REPLIES.get(REFUSE));
    String user = Part.HEARER.render(values);
    return new RenderedPrompt(system, user, List.of(ACCEPT, REFUSE), history.size() + 1, 0, templatesSha256);
  }

  /** The lines of the encounters {@code mind} remembers that the context window shows, oldest first. */
  List<String> history(ConventionMind mind) {
    List<EncounterMemory.Entry> remembered = new ArrayList<>(mind.remembered());
    for (int i = 0; i < mind.remembered(); i++) {
      remembered.add(mind.rememberedEncounter(i));
    }
    // Numbered after the cut, so that the shown meetings run from 1 whatever the window keeps.
    List<String> unnumbered = new ArrayList<>(remembered.size());
    for (int i = 0; i < remembered.size(); i++) {
      unnumbered.add(line(remembered.size(), remembered.get(i)));
    }
    int shown = ContextWindow.keepNewest(unnumbered, contextTokens).size();
    List<String> lines = new ArrayList<>(shown);
    for (int i = 0; i < shown; i++) {
      lines.add(line(i + 1, remembered.get(remembered.size() - shown + i)));
    }
    return lines;
  }

  private String line(int number, EncounterMemory.Entry entry) {
    return Part.ENCOUNTER.render(Map.of("number", Integer.toString(number),
        "role", entry.spoke() ? "the speaker" : "a hearer",
        "name", name(entry.said()),
        "result", entry.agreed() ? "agreed on it" : "did not agree"));
  }

  private static String historyBlock(List<String> lines) {
    if (lines.isEmpty()) {
      return "";
    }
    return Part.HISTORY.render(Map.of("remembered", Integer.toString(lines.size()),
        "encounters", String.join("\n", lines))) + "\n";
  }

  /** The SHA-256 of the templates as a whole: of each file's name and hash, one line each. */
  public String templatesSha256() {
    return templatesSha256;
  }

  /** Each template's SHA-256 by file name, in a fixed order. */
  public Map<String, String> templateHashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Part part : Part.values()) {
      hashes.put(part.fileName, part.template.sha256());
    }
    return hashes;
  }
}
