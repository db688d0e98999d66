package dev.norma.agents.games.higherorder;

import dev.norma.agents.game.GameModule;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSettings;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecErrors;
import dev.norma.protocols.spec.TopologySpec;
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
 *       ({@code topology.kind: complete}), one at a time ({@code schedule.kind: sequential}).</li>
 *   <li>{@code game.settings.groupSize}: g, the agents in a group, speaker included (2..N,
 *       default 3); {@code game.settings.beta}: β, the probability that a unanimous group agrees
 *       (0..1, default 1). With g = 2 and β = 1 the game is binary agreement.</li>
 *   <li>{@code committed.count} or {@code committed.fraction}: the minority committed to A from the
 *       start ({@code committed.introduce: start}, the only introduction); everyone else starts on
 *       B. {@code committed.name} and {@code majorityName}, if given, must be A and B.</li>
 *   <li>{@code policy.kind}: {@code rules}, the published rule (the default here).</li>
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

  /** The game's two settings, read the same way for checking a spec and for making its game. */
  private record Settings(int groupSize, double beta) {
    static Settings read(GameSettings settings, int populationSize) {
      return new Settings(settings.whole("groupSize", DEFAULT_GROUP_SIZE, 2, Math.max(2, populationSize)),
          settings.real("beta", DEFAULT_BETA, 0, 1));
    }

    static Settings of(ExperimentSpec spec) {
      return read(GameSettings.of(spec.game()), spec.population().size());
    }
  }

  /** {@code groupSize} and {@code beta}, defaults written out. */
  @Override
  public java.util.Map<String, Object> settingsInForce(ExperimentSpec spec) {
    GameSettings settings = GameSettings.of(spec.game());
    Settings.read(settings, spec.population().size());
    return settings.inForce();
  }

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  /**
   * A {@link ConventionMind}: a 12-byte header, the agent id, its random stream and commitment
   * index (two longs) and the two bits it knows as an int, 36 bytes padded to 40.
   */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    return 40;
  }

  @Override
  public HigherOrderEncounters encounters(ExperimentSpec spec, long seed) {
    Settings settings = Settings.of(spec);
    return new HigherOrderEncounters(new HigherOrderNamingGame(settings.groupSize(), settings.beta()),
        spec.population().size(), spec.committedCount(), spec.stop(), seed);
  }

  /**
   * Below the critical mass the B majority holds; the critical mass depends on g and β, and is
   * known here only as a range from the mean field (no study here integrates it).
   */
  @Override
  public String whyItMayNotConverge(ExperimentSpec spec, double committedFraction) {
    Settings settings = Settings.of(spec);
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
    Settings.read(settings, spec.population().size());
    settings.noOthers();
    validateGame(spec.game(), gameErrors);
    SpecErrors errors = gameErrors.root();
    String topology = spec.topology().kind();
    // An unknown kind is reported by its own section.
    if (TopologySpec.KINDS.contains(topology) && !TopologySpec.COMPLETE.equals(topology)) {
      errors.at("topology").add("kind", "the higher-order naming game draws its groups from the whole population"
          + " ('complete') only so far, got '" + topology + "'");
    }
    String schedule = spec.schedule().kind();
    if (ScheduleSpec.KINDS.contains(schedule) && !ScheduleSpec.SEQUENTIAL.equals(schedule)) {
      errors.at("schedule").add("kind", "the higher-order naming game draws one group at a time ('sequential'),"
          + " got '" + schedule + "'");
    }
    validateCommitted(spec.committed(), errors.at("committed"));
    PolicySpec policy = spec.policy();
    // Unset means rules; an unknown kind is reported by the policy section.
    if (policy.kind() != null && PolicySpec.KINDS.contains(policy.kind()) && !PolicySpec.RULES.equals(policy.kind())) {
      errors.at("policy").add("kind", "the higher-order naming game has rule-based agents only so far; use 'rules',"
          + " got '" + policy.kind() + "'");
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
