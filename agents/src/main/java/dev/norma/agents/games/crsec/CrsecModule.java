package dev.norma.agents.games.crsec;

import dev.norma.agents.game.GameModule;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.study.AgentGroups;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSettings;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.InterventionSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecErrors;
import dev.norma.protocols.spec.TopologySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Norm emergence through creation, spreading, evaluation and compliance (Ren et al., IJCAI 2024,
 * "CRSEC"), {@code game.kind: crsec}: an encounter game ({@link CrsecEncounters}) of
 * {@code population.size} agents seated in rooms, played by the rule-based policy
 * ({@link CrsecRules}) or, with {@code policy.kind: llm}, through a language model
 * ({@link CrsecConversations}, prompts from the templates {@code crsec.*.txt} beside this class, which
 * {@code policy.llm.templates} replaces file by file; {@link #fakeAnswers()} stands in for a model in
 * the fake server).
 *
 * <p>The rooms are the spec's {@code topology: {kind: rooms, size, moveProbability}} (defaults 10
 * and 0.1; {@code population.size} must be a multiple of the size), which the study requires: a
 * period is one round of the rooms. The settings {@code roomSize} and {@code moveProbability}
 * moved there, and are errors that say so in {@code game.settings}.
 *
 * <p>Its {@code game.settings}, defaulting to {@link CrsecParameters#standard}:
 * {@code advocatesPerRoom} (3; 0 is the control without advocates), {@code speakUp} (0.3), {@code compliance}
 * (0.9), {@code utilityThreshold} (50), {@code persuasion} (15), {@code synthesisInterval} (5
 * periods), {@code nameSlip} (0.05), {@code mishear} (0.02), {@code descriptiveShare} (0.8) and
 * {@code themes}, a list of maps with {@code name}, {@code verb}, {@code object}, {@code proper}
 * ({@code do} or {@code avoid}), {@code habitShare}, {@code mindedShare} and {@code group}
 * ({@link Theme}; by default smoking indoors, talking loudly and tipping).
 *
 * <p>Of the interventions it takes {@code uncommit} and {@code removeAgents} at {@code {round: K}}:
 * advocates become ordinary customers, or agents leave their rooms for good, from period K
 * ({@link #validateInterventions}, {@link CrsecInterventions}).
 *
 * <p>What the study cannot honour is an error at the field that asks for it: the naming games'
 * memory policy, {@code policy.llm.contextOverflow: summarise} and constrained decoding, a committed
 * minority, a topology other than rooms (unset, the topology is the complete graph: an error
 * that shows the rooms to write), the timing-dependent {@code continuous} schedule, and the naming
 * games' fields.
 */
public final class CrsecModule implements GameModule, GameSection {
  public static final String KIND = "crsec";
  /** The most themes a study may have: each adds four norms to every mind and a column to the rows. */
  static final int MAX_THEMES = 32;
  private static final GameSpec NAMING_DEFAULTS = new GameSpec(KIND, null, null, null, null);

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  /** The settings that moved to {@code topology}, each with the field it is now. */
  private static final Map<String, String> MOVED_TO_TOPOLOGY = Map.of("roomSize", "size",
      "moveProbability", "moveProbability");

  /** The parameters of a study of {@code spec}, which must be valid. */
  public static CrsecParameters parameters(ExperimentSpec spec) {
    return parameters(GameSettings.of(spec.game()), spec.game().settings(), spec.population().size(),
        spec.topology(), null);
  }

  @Override
  public Map<String, Object> settingsInForce(ExperimentSpec spec) {
    GameSettings settings = GameSettings.of(spec.game());
    CrsecParameters parameters = parameters(settings, spec.game().settings(), spec.population().size(),
        spec.topology(), null);
    Map<String, Object> inForce = new LinkedHashMap<>(settings.inForce());
    List<Map<String, Object>> themes = new ArrayList<>();
    for (Theme theme : parameters.themes()) {
      Map<String, Object> written = new LinkedHashMap<>();
      written.put("name", theme.name());
      written.put("verb", theme.verb());
      written.put("object", theme.object());
      written.put("proper", theme.properIsDoing() ? "do" : "avoid");
      written.put("habitShare", theme.habitShare());
      written.put("mindedShare", theme.mindedShare());
      written.put("group", theme.group());
      themes.add(written);
    }
    inForce.put("themes", themes);
    return inForce;
  }

  /**
   * @param topology the rooms ({@code topology.kind: rooms}); another kind is reported by
   *                 {@link #validate} and the paper's café stands in while the settings are read
   * @param errors   where a bad theme is reported ({@code game.settings}), or null to throw
   */
  private static CrsecParameters parameters(GameSettings settings, Map<String, Object> given, int populationSize,
                                            TopologySpec topology, SpecErrors errors) {
    CrsecParameters standard = CrsecParameters.standard(Math.max(10, populationSize));
    int roomSize = topology.rooms() ? topology.resolvedSize() : standard.roomSize();
    double move = topology.rooms() ? topology.resolvedMoveProbability() : standard.moveProbability();
    MOVED_TO_TOPOLOGY.forEach((key, field) -> {
      if (given.containsKey(key)) {
        fail(errors == null ? null : errors.at("settings"), key, "moved to topology." + field + " (rooms are a"
            + " topology kind any game can name): write topology: {kind: rooms, " + field + ": " + given.get(key)
            + "} instead");
        settings.text(key, null, text -> true, "anything"); // reported here, not again as unknown
      }
    });
    int advocates = settings.whole("advocatesPerRoom", standard.advocatesPerRoom(), 0, Math.max(2, roomSize));
    double speakUp = settings.real("speakUp", standard.speakUp(), 0, 1);
    double compliance = settings.real("compliance", standard.compliance(), 0, 1);
    int threshold = settings.whole("utilityThreshold", standard.utilityThreshold(), 1, 100);
    int persuasion = settings.whole("persuasion", standard.persuasion(), 0, 100);
    int interval = settings.whole("synthesisInterval", standard.synthesisInterval(), 1, 1_000_000);
    double nameSlip = settings.real("nameSlip", standard.nameSlip(), 0, 1);
    double mishear = settings.real("mishear", standard.mishear(), 0, 1);
    double descriptive = settings.real("descriptiveShare", standard.descriptiveShare(), 0.5, 1);
    // Marks the key as read; the list itself is read below.
    settings.text("themes", "", text -> true, "a list of themes");
    List<Theme> themes = themes(given.get("themes"), errors == null ? null : errors.at("settings"));
    settings.noOthers();
    if (errors != null) {
      return null;
    }
    return new CrsecParameters(populationSize, roomSize, advocates, move, themes, speakUp, compliance, threshold,
        persuasion, interval, nameSlip, mishear, descriptive);
  }

  /** The themes as given, or the defaults when none are; each bad one reported at {@code themes[i].KEY}. */
  private static List<Theme> themes(Object given, SpecErrors settingsErrors) {
    if (given == null) {
      return Theme.DEFAULTS;
    }
    if (!(given instanceof List<?> list) || list.isEmpty() || list.size() > MAX_THEMES) {
      fail(settingsErrors, "themes", "expected a list of 1.." + MAX_THEMES + " themes (maps with name, verb,"
          + " object, proper, habitShare, mindedShare, group), got " + given);
      return Theme.DEFAULTS;
    }
    List<Theme> themes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "themes[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        fail(settingsErrors, at, "expected a map with name, verb, object, proper, habitShare, mindedShare, group");
        continue;
      }
      for (Object key : map.keySet()) {
        if (!List.of("name", "verb", "object", "proper", "habitShare", "mindedShare", "group").contains(key)) {
          fail(settingsErrors, at + "." + key, "not a field of a theme; expected name, verb, object, proper,"
              + " habitShare, mindedShare or group");
        }
      }
      String name = word(map, "name", null, settingsErrors, at);
      String verb = word(map, "verb", null, settingsErrors, at);
      Object objectGiven = map.get("object");
      String object = objectGiven == null ? "" : String.valueOf(objectGiven).trim();
      String proper = word(map, "proper", "avoid", settingsErrors, at);
      if (!List.of("do", "avoid").contains(proper)) {
        fail(settingsErrors, at + ".proper", "expected 'do' or 'avoid' (what advocates stand for), got '" + proper
            + "'");
      }
      double habit = share(map, "habitShare", 0.3, settingsErrors, at);
      double minded = share(map, "mindedShare", 0.5, settingsErrors, at);
      String group = word(map, "group", name == null ? "" : name, settingsErrors, at);
      if (name != null && names.contains(name)) {
        fail(settingsErrors, at + ".name", "theme '" + name + "' is named twice");
      }
      names.add(name);
      if (name != null && verb != null && group != null && name.matches("[A-Za-z][A-Za-z0-9_-]*")) {
        themes.add(new Theme(name, verb, object, "do".equals(proper), habit, minded, group));
      } else if (name != null && !name.matches("[A-Za-z][A-Za-z0-9_-]*")) {
        fail(settingsErrors, at + ".name", "expected a word of letters, digits, '-' or '_' (it names a column),"
            + " got '" + name + "'");
      }
    }
    return themes;
  }

  private static String word(Map<?, ?> map, String key, String otherwise, SpecErrors errors, String at) {
    Object value = map.get(key);
    if (value == null || String.valueOf(value).isBlank()) {
      if (otherwise == null) {
        fail(errors, at + "." + key, "missing");
      }
      return otherwise;
    }
    return String.valueOf(value).trim();
  }

  private static double share(Map<?, ?> map, String key, double otherwise, SpecErrors errors, String at) {
    Object value = map.get(key);
    if (value == null) {
      return otherwise;
    }
    double share = value instanceof Number n ? n.doubleValue() : Double.NaN;
    if (value instanceof String text) {
      try {
        share = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        share = Double.NaN;
      }
    }
    if (!(share >= 0 && share <= 1)) {
      fail(errors, at + "." + key, "expected a number in [0, 1], got " + value);
      return otherwise;
    }
    return share;
  }

  private static void fail(SpecErrors errors, String field, String message) {
    if (errors == null) {
      throw new IllegalArgumentException("game.settings." + field + ": " + message);
    }
    errors.add(field, message);
  }

  @Override
  public CrsecEncounters encounters(ExperimentSpec spec, long seed) {
    CrsecParameters parameters = parameters(spec);
    CrsecRules rules = new CrsecRules(parameters, CrsecInterventions.of(spec, parameters, seed));
    if (!PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      return new CrsecEncounters(rules, seed);
    }
    LlmPolicySpec llm = spec.policy().llm();
    return new CrsecEncounters(rules, seed, new CrsecConversations(rules, CrsecTemplate.of(llm.templates()),
        llm.contextTokens(), AgentGroups.models(spec, seed)));
  }

  @Override
  public FakeAnswers fakeAnswers() {
    return new CrsecFakeAnswers();
  }

  /**
   * A mind, with compressed references: the mind itself (ids, stream, flags, 40 bytes), its stances
   * (16 + 4 per theme) and six arrays of one int per norm of the catalogue (16 + 4 per norm each).
   */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    int themes = parameters(spec).themes().size();
    long norms = new NormCatalogue(parameters(spec).themes()).size();
    return 40 + pad(16 + 4L * themes) + 6 * pad(16 + 4 * norms);
  }

  private static long pad(long bytes) {
    return (bytes + 7) / 8 * 8;
  }

  @Override
  public void validate(ExperimentSpec spec, SpecErrors gameErrors) {
    GameSettings settings = GameSettings.checking(spec.game(), gameErrors);
    int size = spec.population().size();
    parameters(settings, spec.game().settings(), Math.max(2, size), spec.topology(), gameErrors);
    SpecErrors root = gameErrors.root();
    validateNamingFields(spec.game(), gameErrors);
    String policy = spec.policy().kind();
    if (PolicySpec.LLM.equals(policy)) {
      SpecErrors llm = root.at("policy").at("llm");
      CrsecTemplate.check(spec.policy().llm().templates(), llm);
      if (LlmPolicySpec.SUMMARISE.equals(spec.policy().llm().contextOverflow())) {
        llm.add("contextOverflow", "a crsec prompt shows the agent's persona and the norms it holds, the most"
            + " useful that fit contextTokens, and keeps no past to summarise; expected 'dropOldest', got"
            + " 'summarise'");
      }
      if (!LlmPolicySpec.NONE.equals(spec.policy().llm().constrained())) {
        llm.add("constrained", "most crsec turns are free text (norms, what is said, a utility with its reason),"
            + " which constrained decoding cannot give; expected 'none', got '" + spec.policy().llm().constrained()
            + "'");
      }
    } else if (PolicySpec.MEMORY.equals(policy)) {
      root.at("policy").add("kind", "the memory policy models a naming game's player; expected 'rules' or"
          + " nothing, got 'memory'");
    }
    if (!spec.policy().bias().isEmpty()) {
      root.at("policy").add("bias", "expected no bias: it weighs a naming game's names, and the crsec game has none");
    }
    CommittedSpec committed = spec.committed();
    String none = "the crsec game has no committed minority (its advocates are game.settings.advocatesPerRoom);"
        + " expected 0, got ";
    if (committed.count() != null && committed.count() > 0) {
      root.at("committed").add("count", none + committed.count());
    }
    if (committed.fraction() != null && committed.fraction() > 0) {
      root.at("committed").add("fraction", none + committed.fraction());
    }
    String topology = spec.topology().kind();
    // An unknown kind is reported by topology itself; the room size and move probability too.
    if (TopologySpec.KINDS.contains(topology) && !spec.topology().rooms()) {
      root.at("topology").add("kind", "the crsec game seats its agents in rooms (cafés); expected topology:"
          + " {kind: rooms, size: " + TopologySpec.DEFAULT_ROOM_SIZE + ", moveProbability: "
          + TopologySpec.DEFAULT_MOVE_PROBABILITY + "} (agents per room, the chance to change seats before a"
          + " period), got '" + topology + "'" + (spec.topology().complete() ? " (also the kind of an unset topology)" : ""));
    }
    if (ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind())) {
      root.at("schedule").add("kind", "the crsec game has its own seeded schedule, one encounter per room and"
          + " period; expected 'rounds', got 'continuous'");
    }
  }

  /**
   * The crsec game takes, at {@code {round: K}} (period K), {@code uncommit} (advocates become
   * ordinary customers: {@link CrsecRules#uncommitAdvocates}) and {@code removeAgents} (agents leave
   * their rooms for good: {@code committed: true} only advocates still advocating, {@code false}
   * only the others), as {@link CrsecInterventions} draws them. Every other action, and every
   * field an action does not take, is refused at its field; counts are checked against the agents
   * each may take at that moment (at most so many, where an earlier removal from everyone may have
   * taken advocates or not), and at least two agents must stay.
   */
  @Override
  public void validateInterventions(ExperimentSpec spec, SpecErrors errors) {
    Integer advocates = null;
    int present = Integer.MAX_VALUE;
    try {
      CrsecParameters parameters = parameters(spec);
      advocates = parameters.rooms() * parameters.advocatesPerRoom();
      present = parameters.populationSize();
    } catch (RuntimeException invalid) {
      // game.settings or population.size is reported; the counts go unchecked
    }
    // At most so many advocates still advocating and ordinary customers present; exactly so many present.
    int advocating = advocates == null ? Integer.MAX_VALUE : advocates;
    int ordinary = advocates == null ? Integer.MAX_VALUE : present - advocates;
    List<InterventionSpec> items = spec.interventions();
    for (int i = 0; i < items.size(); i++) {
      InterventionSpec item = items.get(i);
      if (item == null) {
        continue;
      }
      SpecErrors at = errors.at("interventions[" + i + "]");
      boolean removal = InterventionSpec.REMOVE_AGENTS.equals(item.action());
      if (!removal && !InterventionSpec.UNCOMMIT.equals(item.action())) {
        at.add("action", "the crsec game takes 'uncommit' (its advocates become ordinary customers) and"
            + " 'removeAgents' (agents leave their rooms); expected one of them, got "
            + (item.action() == null ? "nothing" : "'" + item.action() + "'"));
        continue;
      }
      if (item.at() != null && item.at().interaction() != null) {
        at.at("at").add("interaction", "the crsec game changes between periods; expected {round: K}, period K");
      }
      refuseOtherFields(item, at, removal);
      if (item.count() != null && item.fraction() != null) {
        at.add("count", "give either count or fraction, not both");
        continue;
      }
      if (removal && item.count() == null && item.fraction() == null) {
        at.add("count", "expected count or fraction: how many agents leave");
        continue;
      }
      if (item.fraction() != null && !(item.fraction() > 0 && item.fraction() <= 1)) {
        at.add("fraction", "expected a fraction in (0, 1], got " + item.fraction());
        continue;
      }
      Boolean advocatesOnly = removal ? item.committed() : Boolean.TRUE;
      int eligible = advocatesOnly == null ? present : advocatesOnly ? advocating : ordinary;
      String which = advocatesOnly == null ? "agents present" : advocatesOnly ? "agents still advocating"
          : "ordinary customers present";
      if (item.count() != null && (item.count() < 1 || item.count() > eligible)) {
        at.add("count", "expected 1 to the " + eligible + " " + which + " at that moment, got " + item.count());
        continue;
      }
      if (advocates == null) {
        continue;
      }
      int taken = Math.min(item.resolveCount(eligible), eligible);
      if (!removal) {
        advocating -= taken;
        ordinary += taken;
      } else if (present - taken < MIN_PRESENT) {
        at.add(item.count() != null ? "count" : "fraction", "leaves " + (present - taken) + " of the " + present
            + " agents present at that moment: at least " + MIN_PRESENT + " must stay");
      } else {
        present -= taken;
        if (advocatesOnly == null) {
          // A removal from everyone may take advocates or not: both counts stay upper bounds.
          advocating = Math.min(advocating, present);
          ordinary = Math.min(ordinary, present);
        } else if (advocatesOnly) {
          advocating -= taken;
        } else {
          ordinary -= taken;
        }
      }
    }
  }

  /** The least number of agents a removal must leave in the study. */
  private static final int MIN_PRESENT = 2;

  private static void refuseOtherFields(InterventionSpec item, SpecErrors at, boolean removal) {
    Map<String, Object> others = new LinkedHashMap<>();
    others.put("name", item.name());
    if (!removal) {
      others.put("committed", item.committed());
    }
    others.put("topology", item.topology());
    others.put("p", item.p());
    others.put("from", item.from());
    others.put("to", item.to());
    others.put("names", item.names());
    others.put("success", item.success());
    others.put("failure", item.failure());
    others.put("endpoint", item.endpoint());
    others.put("model", item.model());
    String takes = removal ? "count or fraction of the agents present, and committed: true (advocates) or"
        + " false (the others)" : "count or fraction of its advocates";
    others.forEach((field, value) -> {
      if (value != null) {
        at.add(field, "not a field of '" + item.action() + "' in the crsec game, which takes " + takes);
      }
    });
  }

  private static void validateNamingFields(GameSpec game, SpecErrors gameErrors) {
    String why = "the crsec game has no names; its fields are game.settings";
    if (game.names() != null) {
      gameErrors.add("names", why);
    }
    if (game.poolSize() != null) {
      gameErrors.add("poolSize", why);
    }
    if (!game.memory().equals(NAMING_DEFAULTS.memory())) {
      gameErrors.add("memory", "a naming game's memory; the crsec game has none, got " + game.memory());
    }
    if (!game.payoff().equals(NAMING_DEFAULTS.payoff())) {
      gameErrors.add("payoff", "a naming game's payoffs; the crsec game has none");
    }
  }
}
