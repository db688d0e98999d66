package dev.norma.agents.games.higherorder;

import dev.norma.agents.game.GameModule;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSettings;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecErrors;
import dev.norma.protocols.spec.TopologySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The higher-order naming game of Iacopini, Petri, Baronchelli &amp; Barrat (Commun. Phys. 5, 64,
 * 2022), {@code game.kind: higher-order-naming}, played through encounters of a speaker and g − 1
 * hearers ({@link HigherOrderEncounters}); its section of the spec checks what the game reads.
 *
 * <p>The spec, field by field:
 * <ul>
 *   <li>{@code population.size}: N; groups are drawn from the whole population
 *       ({@code topology.kind: complete}), one at a time ({@code schedule.kind: sequential}); on
 *       {@code topology: {kind: rooms, size, moveProbability}} a uniform speaker and g − 1 of its
 *       room-mates ({@link dev.norma.agents.schedule.RoomGroups}), so a room must hold a group
 *       (g above {@code topology.size} is an error there).</li>
 *   <li>{@code game.settings.groupSize}: g, the agents in a group, speaker included (2..N,
 *       default 3); {@code game.settings.beta}: β, the probability that a unanimous group agrees
 *       (0..1, default 1). With g = 2 and β = 1 the game is binary agreement.</li>
 *   <li>{@code committed.count} or {@code committed.fraction}: the minority committed to A from the
 *       start ({@code committed.introduce: start}, the only introduction); everyone else starts on
 *       B. {@code committed.name} and {@code majorityName}, if given, must be A and B.</li>
 *   <li>{@code policy.kind}: {@code rules}, the published rule (the default here), or {@code llm},
 *       the speaker's word and the hearers' assent chosen by language models through prompts
 *       ({@link HigherOrderConversations}), the inventories updated by the published rule. Under
 *       {@code llm}: {@code game.settings.nameA} and {@code nameB}, what conventions A and B are
 *       called in prompts (two distinct words, default {@code M} and {@code Q}: one-letter names
 *       that do not read as English words; with {@code nameA: Q} alone, B is {@code M}); {@code game.settings.memory}, the encounters an agent
 *       remembers for its prompts (1..1000, default 5), which {@code policy.llm.contextTokens}
 *       may cut further: by {@code policy.llm.contextOverflow}, the oldest meetings that do not
 *       fit leave ({@code dropOldest}, the default) or, with {@code summarise}, the agent's own
 *       model is first asked, in a call of its own, to fold them with its summary so far into a
 *       summary of at most half the budget, which its prompts then show before the meetings left
 *       (the summary travels in the agent's saved state; committed agents take no calls and never
 *       summarise). The prompts are rendered from the templates {@code higher-order.*.txt} beside
 *       {@link HigherOrderPrompts}, which the files of a directory named in
 *       {@code policy.llm.templates} replace file by file; a template using a variable its part
 *       does not allow is an error at {@code policy.llm.templates}, naming the file and the
 *       variable. The fake server answers the default prompts only ({@link #fakeAnswers()}).
 *       These settings apply only under {@code llm}.</li>
 *   <li>{@code stop}: as {@link HigherOrderMeasures} reads it, {@code onConvergence} stops when
 *       every uncommitted agent knows only A ({@code converged}), {@code onFlip} when the
 *       uncommitted share on A averages {@code flipThreshold} over {@code flipWindowRounds} rounds
 *       within {@code flipWithinRounds} ({@code flipped}, else {@code flip-window-ended}).</li>
 * </ul>
 * The naming games' fields ({@code game.names}, {@code poolSize}, {@code memory},
 * {@code payoff}) do not apply and are rejected when given.
 */
public final class HigherOrderModule implements GameModule, GameSection {
  public static final String KIND = "higher-order-naming";
  public static final int DEFAULT_GROUP_SIZE = 3;
  public static final double DEFAULT_BETA = 1.0;
  /**
   * The largest mean-field critical mass measured for β ≥ 0.4 (g = 4, β = 1; the values are in
   * {@code HigherOrderScienceTest}); p_c lies between about 0.02 and this for any g up to 16.
   */
  static final double LARGEST_CRITICAL_FRACTION = 0.131;
  /** Below it the mean field's critical mass is not measured (an AB-rich mixed state sets in below 1/3). */
  static final double LOWEST_MEASURED_BETA = 0.4;
  public static final String DEFAULT_NAME_A = "M";
  public static final String DEFAULT_NAME_B = "Q";
  public static final int DEFAULT_MEMORY = 5;
  static final int MAX_MEMORY = 1000;
  /** The settings read only under {@code policy.kind: llm}. */
  private static final List<String> LLM_SETTINGS = List.of("nameA", "nameB", "memory");
  /** A name the prompts show and answers are read for: one word. */
  private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_-]{1,40}");

  /**
   * The game's settings, read the same way for checking a spec and for making its game; the
   * language-model policy's only under {@code policy.kind: llm} (else memory 0, names null).
   */
  private record Settings(int groupSize, double beta, List<String> names, int memory) {
    static Settings read(GameSettings settings, ExperimentSpec spec) {
      int groupSize = settings.whole("groupSize", DEFAULT_GROUP_SIZE, 2, Math.max(2, spec.population().size()));
      double beta = settings.real("beta", DEFAULT_BETA, 0, 1);
      if (!playsThroughModels(spec)) {
        return new Settings(groupSize, beta, null, 0);
      }
      String expected = "a name of 1 to 40 letters, digits, '_' or '-'";
      String nameA = settings.text("nameA", DEFAULT_NAME_A, name -> WORD.matcher(name).matches(), expected);
      // A nameA of Q leaves M as the other default: the defaults never clash.
      String defaultB = DEFAULT_NAME_B.equals(nameA) ? DEFAULT_NAME_A : DEFAULT_NAME_B;
      String nameB = settings.text("nameB", defaultB, name -> WORD.matcher(name).matches() && !name.equals(nameA),
          expected + ", other than nameA ('" + nameA + "')");
      int memory = settings.whole("memory", DEFAULT_MEMORY, 1, MAX_MEMORY);
      return new Settings(groupSize, beta, List.of(nameA, nameB), memory);
    }

    static Settings of(ExperimentSpec spec) {
      return read(GameSettings.of(spec.game()), spec);
    }
  }

  private static boolean playsThroughModels(ExperimentSpec spec) {
    return PolicySpec.LLM.equals(spec.policy().kind());
  }

  /** {@code groupSize} and {@code beta}, and under {@code llm} the names and memory, defaults written out. */
  @Override
  public java.util.Map<String, Object> settingsInForce(ExperimentSpec spec) {
    GameSettings settings = GameSettings.of(spec.game());
    Settings.read(settings, spec);
    return settings.inForce();
  }

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  /**
   * A {@link ConventionMind}: a 12-byte header, the agent id, its random stream and commitment
   * index (two longs), the two bits it knows as an int and a reference to its memory (null under
   * rules), 40 bytes. Under {@code llm} the memory adds 24 bytes and its ring of ints, 16 bytes
   * and 4 per encounter, padded to 8.
   */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    int memory = Settings.of(spec).memory();
    return memory == 0 ? 40 : 40 + 24 + ((16 + 4L * memory + 7) / 8) * 8
        + dev.norma.agents.llm.ContextRecall.bytes(spec.policy().llm());
  }

  @Override
  public HigherOrderEncounters encounters(ExperimentSpec spec, long seed) {
    Settings settings = Settings.of(spec);
    HigherOrderNamingGame rules = new HigherOrderNamingGame(settings.groupSize(), settings.beta());
    LlmPolicySpec llm = spec.policy().llm();
    HigherOrderPrompts prompts = settings.names() == null ? null
        : new HigherOrderPrompts(settings.names(), settings.groupSize(), llm.contextTokens(),
            ContextWindow.Overflow.of(llm.contextOverflow()),
            llm.templates() == null ? null : Path.of(llm.templates()));
    return new HigherOrderEncounters(rules, spec.population().size(), spec.committedCount(), spec.stop(), seed,
        spec.topology(), prompts, settings.memory());
  }

  /**
   * Answers to the default prompts, for the fake server: see {@link HigherOrderFakeAnswers}. A
   * prompt from edited templates may not be recognised; the fake server then hands it to the
   * naming game's stand-in, whose answer most likely names neither name nor reply, so the turn's
   * answer is invalid: the run goes on and counts it, it does not fail.
   */
  @Override
  public FakeAnswers fakeAnswers() {
    return new HigherOrderFakeAnswers();
  }

  /**
   * Below the critical mass the B majority holds; the critical mass depends on g and β, and is
   * known here only as a range from the mean field (no study here integrates it). Under
   * {@code llm} it is not known at all.
   */
  @Override
  public String whyItMayNotConverge(ExperimentSpec spec, double committedFraction) {
    Settings settings = Settings.of(spec);
    if (playsThroughModels(spec)) {
      // The mean field describes the rule's speakers and hearers, not a model's choices.
      return "with language-model agents the critical mass is not known: a population that shares the"
          + " other name may hold it";
    }
    if (settings.beta() < LOWEST_MEASURED_BETA) {
      return String.format(Locale.ROOT, "with beta = %s below %s the higher-order naming game may settle in a"
          + " mixed state rather than converge", settings.beta(), LOWEST_MEASURED_BETA);
    }
    if (committedFraction < LARGEST_CRITICAL_FRACTION) {
      return String.format(Locale.ROOT, "a committed fraction of %.3f may be below the critical mass of groups of %d"
          + " with beta = %s (up to about %.3f in the mean field), below which the population does not converge",
          committedFraction, settings.groupSize(), settings.beta(), LARGEST_CRITICAL_FRACTION);
    }
    return null;
  }

  @Override
  public void validate(ExperimentSpec spec, SpecErrors gameErrors) {
    GameSettings settings = GameSettings.checking(spec.game(), gameErrors);
    int groupSize = Settings.read(settings, spec).groupSize();
    if (!playsThroughModels(spec)) {
      for (String key : LLM_SETTINGS) {
        if (spec.game().settings().containsKey(key)) {
          gameErrors.at("settings").add(key, "applies only to language-model agents (policy.kind: llm)");
          settings.text(key, null, text -> true, "anything"); // reported here, not again as unknown
        }
      }
    }
    settings.noOthers();
    validateGame(spec.game(), gameErrors);
    SpecErrors errors = gameErrors.root();
    String topology = spec.topology().kind();
    // An unknown kind is reported by its own section.
    if (TopologySpec.KINDS.contains(topology) && !TopologySpec.COMPLETE.equals(topology)
        && !spec.topology().rooms()) {
      errors.at("topology").add("kind", "the higher-order naming game draws its groups from the whole population"
          + " ('complete') or within rooms ('rooms'), got '" + topology + "'");
    }
    if (spec.topology().rooms() && groupSize > spec.topology().resolvedSize()) {
      errors.at("topology").add("size", "a room must hold a group: expected at least game.settings.groupSize = "
          + groupSize + " agents per room, got " + spec.topology().resolvedSize()
          + (spec.topology().size() == null ? " (the default)" : ""));
    }
    String schedule = spec.schedule().kind();
    if (ScheduleSpec.KINDS.contains(schedule) && !ScheduleSpec.SEQUENTIAL.equals(schedule)) {
      errors.at("schedule").add("kind", "the higher-order naming game draws one group at a time ('sequential'),"
          + " got '" + schedule + "'");
    }
    validateCommitted(spec.committed(), errors.at("committed"));
    PolicySpec policy = spec.policy();
    // Unset means rules; an unknown kind is reported by the policy section.
    if (PolicySpec.MEMORY.equals(policy.kind())) {
      errors.at("policy").add("kind", "the higher-order naming game's agents follow its rule ('rules') or a language"
          + " model ('llm'), got 'memory'");
    }
    if (playsThroughModels(spec)) {
      HigherOrderPrompts.check(policy.llm().templates(), errors.at("policy").at("llm"));
    }
    if (!policy.bias().isEmpty()) {
      errors.at("policy").add("bias", "does not apply: it weighs names for the memory policy, and the"
          + " higher-order naming game's agents follow its rule");
    }
  }

  /** The naming games' fields, which this game does not read: given, they would be ignored. */
  private static void validateGame(GameSpec game, SpecErrors gameErrors) {
    GameSpec defaults = new GameSpec(KIND, null, null, null, null);
    String why = "does not apply to the higher-order naming game, whose conventions are A (the committed"
        + " minority's) and B (everyone else's at the start)";
    if (game.names() != null) {
      gameErrors.add("names", why);
    }
    if (game.poolSize() != null) {
      gameErrors.add("poolSize", why);
    }
    if (!game.memory().equals(defaults.memory())) {
      gameErrors.add("memory", "does not apply to the higher-order naming game, whose agents remember only the"
          + " conventions they know");
    }
    if (!game.payoff().equals(defaults.payoff())) {
      gameErrors.add("payoff", "does not apply to the higher-order naming game, which has no payoffs");
    }
  }

  private static void validateCommitted(CommittedSpec committed, SpecErrors errors) {
    String introduce = committed.introduce();
    // An unknown introduction is reported by the committed section itself.
    if ("prepared".equals(introduce) || introduce.startsWith("atRound")) {
      errors.add("introduce", "the higher-order naming game's committed minority is committed from the start"
          + " only so far ('start'), got '" + introduce + "'");
    }
    if (committed.name() != null && !"A".equals(committed.name())) {
      errors.add("name", "the higher-order naming game's committed minority holds A, got '" + committed.name() + "'");
    }
    if (committed.majorityName() != null && !"B".equals(committed.majorityName())) {
      errors.add("majorityName", "the higher-order naming game's majority starts on B, got '"
          + committed.majorityName() + "'");
    }
  }
}
