package dev.norma.protocols.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One study, as a researcher writes it in YAML. Every field has a default, so the smallest spec
 * is an empty file; {@link SpecLoader} binds, overrides and validates it and
 * {@link #validate(SpecErrors)} names the dotted path of any bad field.
 *
 * @param format     spec format version; files written by this version carry {@value #FORMAT}
 * @param name       a short name used for the run directory
 * @param seed       the run seed; {@code null} means "draw one", and the drawn seed is recorded
 * @param inference  endpoints and budget of language-model agents
 * @param durability {@code none}, {@code durable}, or {@code null} for the default of the policy
 *                   (see {@link #resolvedDurability()})
 * @param interventions timed changes to the running study, in the order they apply (none by default)
 */
@JsonPropertyOrder({"format", "name", "seed", "population", "topology", "game", "committed",
    "policy", "inference", "schedule", "stop", "output", "durability", "interventions"})
public record ExperimentSpec(
    Integer format,
    String name,
    Long seed,
    PopulationSpec population,
    TopologySpec topology,
    GameSpec game,
    CommittedSpec committed,
    PolicySpec policy,
    ScheduleSpec schedule,
    StopSpec stop,
    OutputSpec output,
    InferenceSpec inference,
    String durability,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<InterventionSpec> interventions) {

  public static final int FORMAT = 1;
  /** Agents and results live in memory only: the fastest, and lost with the process or a node. */
  public static final String DURABILITY_NONE = "none";
  /** Agents and results go through a journal: a run survives a lost node and can be resumed. */
  public static final String DURABLE = "durable";
  public static final List<String> DURABILITIES = List.of(DURABILITY_NONE, DURABLE);
  /** Policies that call language models; their studies are durable unless the spec says otherwise. */
  private static final List<String> MODEL_POLICIES = List.of("llm");

  /** The longest study name: with a time stamp it still fits a file name (at most 255 bytes). */
  public static final int MAX_NAME_LENGTH = 200;

  public ExperimentSpec {
    format = format == null ? FORMAT : format;
    name = name == null ? "study" : name;
    population = population == null ? new PopulationSpec(null) : population;
    topology = topology == null ? new TopologySpec(null) : topology;
    game = game == null ? new GameSpec(null, null, null, null, null) : game;
    committed = committed == null ? new CommittedSpec(null, null, null, null, null) : committed;
    policy = policy == null ? new PolicySpec(null, null, null) : policy;
    schedule = schedule == null ? new ScheduleSpec(null, null) : schedule;
    stop = stop == null ? new StopSpec(null, null, null, null, null, null, null) : stop;
    output = output == null ? new OutputSpec(null, null) : output;
    inference = inference == null ? InferenceSpec.none() : inference;
    interventions = interventions == null ? List.of() : java.util.Collections.unmodifiableList(
        new java.util.ArrayList<>(interventions)); // List.copyOf refuses a null item, which validate() names
  }

  /** A spec without interventions. */
  public ExperimentSpec(Integer format, String name, Long seed, PopulationSpec population,
                        TopologySpec topology, GameSpec game, CommittedSpec committed, PolicySpec policy,
                        ScheduleSpec schedule, StopSpec stop, OutputSpec output, InferenceSpec inference,
                        String durability) {
    this(format, name, seed, population, topology, game, committed, policy, schedule, stop, output, inference,
        durability, null);
  }

  /** A spec without inference settings (rule-based and memory policies need none). */
  public ExperimentSpec(Integer format, String name, Long seed, PopulationSpec population,
                        TopologySpec topology, GameSpec game, CommittedSpec committed, PolicySpec policy,
                        ScheduleSpec schedule, StopSpec stop, OutputSpec output) {
    this(format, name, seed, population, topology, game, committed, policy, schedule, stop, output, null, null);
  }

  /** The spec with every default filled in; useful for tests and tools. */
  public static ExperimentSpec defaults() {
    return new ExperimentSpec(null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public ExperimentSpec withSeed(long newSeed) {
    return new ExperimentSpec(format, name, newSeed, population, topology, game, committed, policy,
        schedule, stop, output, inference, durability, interventions);
  }

  public ExperimentSpec withOutput(OutputSpec newOutput) {
    return new ExperimentSpec(format, name, seed, population, topology, game, committed, policy,
        schedule, stop, newOutput, inference, durability, interventions);
  }

  public ExperimentSpec withDurability(String newDurability) {
    return new ExperimentSpec(format, name, seed, population, topology, game, committed, policy,
        schedule, stop, output, inference, newDurability, interventions);
  }

  /**
   * The durability in force: the spec's, else {@code durable} for a policy that calls language
   * models (its calls cost money and time: a run that stops resumes without paying for them again)
   * and {@code none} for the others.
   */
  public String resolvedDurability() {
    if (durability != null) {
      return durability;
    }
    return policy != null && policy.kind() != null && MODEL_POLICIES.contains(policy.kind()) ? DURABLE
        : DURABILITY_NONE;
  }

  public boolean durable() {
    return DURABLE.equals(resolvedDurability());
  }

  /**
   * This spec with the defaults that depend on other fields written out, so that a run
   * directory's {@code spec.yaml} states everything in force: the policy kind chosen for the game,
   * the name pool as an explicit list (poolSize cleared; a game that invents names keeps no
   * list), and the committed and majority names wherever a run uses them (a committed minority or
   * a prepared population; binary agreement's majority always; each commit intervention's name).
   * A run of the result is the same run. Idempotent. Meant for a validated spec; one whose game section is invalid comes back
   * unchanged.
   */
  public ExperimentSpec resolved() {
    if (game.section().isPresent()) {
      GameSpec inForce;
      try {
        inForce = new GameSpec(game.kind(), game.names(), game.poolSize(), game.memory(), game.payoff(),
            game.section().get().settingsInForce(this));
      } catch (IllegalArgumentException invalid) {
        inForce = game; // reported by validate(); a resolved spec is meant for a valid one
      }
      return new ExperimentSpec(format, name, seed, population, topology, inForce, committed,
          new PolicySpec(policy.resolvedKind(game), policy.temperature(), policy.bias(), policy.llm()), schedule,
          stop, output, inference, resolvedDurability(), interventions);
    }
    if (!game.hasResolvablePool()) {
      return this;
    }
    List<String> pool = game.resolvedNames();
    GameSpec resolvedGame = pool.isEmpty() ? game
        : new GameSpec(game.kind(), pool, null, game.memory(), game.payoff());
    PolicySpec resolvedPolicy = new PolicySpec(policy.resolvedKind(game), policy.temperature(),
        policy.bias(), policy.llm());
    // The same conditions under which StudyPlan reads these names.
    boolean prepared = "prepared".equals(committed.introduce());
    String committedName = committedCount() > 0 || prepared
        ? committed.resolvedName(pool) : committed.name();
    String majorityName = prepared || GameSpec.BINARY_AGREEMENT.equals(game.kind())
        ? committed.resolvedMajorityName(pool) : committed.majorityName();
    CommittedSpec resolvedCommitted = new CommittedSpec(committed.count(), committed.fraction(),
        committedName, committed.introduce(), majorityName);
    return new ExperimentSpec(format, name, seed, population, topology, resolvedGame,
        resolvedCommitted, resolvedPolicy, schedule, stop, output, inference, resolvedDurability(),
        interventions.stream().map(item -> item == null || !InterventionSpec.COMMIT.equals(item.action())
            || item.name() != null ? item
            : new InterventionSpec(item.at(), item.action(), item.count(), item.fraction(), item.resolvedName(this)))
            .toList());
  }

  /** Checks ranges and cross-field rules; adds one error per bad field. */
  public void validate(SpecErrors errors) {
    if (format != FORMAT) {
      errors.add("format", "expected " + FORMAT + " (the only spec format this version reads), got " + format);
    }
    if (name.length() > MAX_NAME_LENGTH) {
      // The name becomes part of the run directory's name, and file systems cap a name at 255 bytes.
      errors.add("name", "expected at most " + MAX_NAME_LENGTH + " characters, got " + name.length());
    } else if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      errors.add("name", "expected letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    population.validate(errors.at("population"));
    topology.validate(errors.at("topology"), this);
    game.validate(errors.at("game"), this);
    committed.validate(errors.at("committed"), this);
    policy.validate(errors.at("policy"), this);
    schedule.validate(errors.at("schedule"), this);
    stop.validate(errors.at("stop"));
    output.validate(errors.at("output"));
    inference.validate(errors.at("inference"), this);
    population.validateGroups(errors.at("population"), this);
    InterventionSpec.validateAll(interventions, errors, this);
    if (durability != null && !DURABILITIES.contains(durability)) {
      errors.add("durability", "expected one of " + DURABILITIES + ", got '" + durability + "'");
    }
  }

  /** Number of committed agents this spec asks for (0 when there is no committed minority). */
  public int committedCount() {
    return committed.resolveCount(population.size());
  }
}
