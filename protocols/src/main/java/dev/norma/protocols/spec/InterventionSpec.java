package dev.norma.protocols.spec;

import java.util.List;

/**
 * One timed change to a running study, applied at the same interaction index however the study
 * runs (actors, the plain loop, a resumed run, a replay).
 *
 * <pre>
 * interventions:
 *   - at: {round: 20}            # or {interaction: 12345}
 *     action: commit             # make agents committed to name
 *     fraction: 0.15             # of the agents not committed then (or count: 150)
 *     name: A
 *   - at: {round: 60}
 *     action: uncommit           # committed agents become ordinary agents (all, or count/fraction)
 *   - at: {round: 80}
 *     action: removeAgents       # agents leave: the schedule never picks them again
 *     fraction: 0.2              # of the agents present (or count: 200); committed: true|false or
 *                                # name: X narrows whom it draws from
 *   - at: {round: 100}
 *     action: rewire             # from here the schedule draws along a new network:
 *     topology: {kind: ring, k: 6}   # built as topology: is, or p: 0.1 to rewire the current one
 *   - at: {round: 110}
 *     action: relabel            # every agent treats name A as B from now on; A leaves the pool
 *     from: A
 *     to: B
 *   - at: {round: 120}
 *     action: addNames           # the pool grows by these names
 *     names: [K, L]
 *   - at: {round: 130}
 *     action: payoff             # the payoff rule from now on (either or both)
 *     success: 50
 *     failure: -100
 *   - at: {round: 140}
 *     action: endpoint           # these agents' calls go to this endpoint (or the endpoints of a model)
 *     fraction: 0.5              # of all agents (or count; neither: all)
 *     endpoint: large
 * </pre>
 *
 * <p>{@value #RELABEL}, {@value #ADD_NAMES} and {@value #PAYOFF} change the game rather than
 * particular agents; {@link GameChanges} checks them. {@value #ENDPOINT} changes where some
 * language-model agents' calls go; {@link EndpointChanges} checks it.
 *
 * @param at       when: a population round K (interaction index K·N) or an interaction index
 * @param action   what: one of {@link #ACTIONS}
 * @param count    how many agents it changes (give count or fraction, not both; uncommit without
 *                 either changes every committed agent)
 * @param fraction the share of the agents it may change (uncommitted ones for commit, committed
 *                 ones for uncommit), rounded to the nearest agent
 * @param name     commit: the name they are committed to (defaults to {@code committed.name}, else
 *                 the pool's first); uncommit and removeAgents: only agents committed to this name
 * @param committed removeAgents: draw only committed agents (true) or only the others (false)
 * @param topology rewire: the new network, as the spec's {@code topology} (see {@link TopologySpec})
 * @param p        rewire: instead of a new network, rewire the current one, each link's far end
 *                 moved with probability p (Watts–Strogatz)
 * @param from     relabel: the name that leaves the pool
 * @param to       relabel: the name of the pool it becomes
 * @param names    addNames: the new names
 * @param success  payoff: the success payoff from now on (default: the one in force)
 * @param failure  payoff: the failure payoff from now on (default: the one in force)
 * @param endpoint endpoint: the name of the {@code inference.endpoints} entry the agents call
 * @param model    endpoint: the model the agents call (the endpoints serving it)
 */
public record InterventionSpec(At at, String action, Integer count, Double fraction, String name, Boolean committed,
                               TopologySpec topology, Double p, String from, String to, List<String> names,
                               Integer success, Integer failure, String endpoint, String model) {
  public static final String COMMIT = "commit";
  public static final String UNCOMMIT = "uncommit";
  /** Agents leave the population ({@link NetworkInterventions}). */
  public static final String REMOVE_AGENTS = "removeAgents";
  /** The schedule draws along another network ({@link NetworkInterventions}). */
  public static final String REWIRE = "rewire";
  public static final String RELABEL = "relabel";
  public static final String ADD_NAMES = "addNames";
  public static final String PAYOFF = "payoff";
  public static final String ENDPOINT = "endpoint";
  public static final List<String> ACTIONS = List.of(COMMIT, UNCOMMIT, REMOVE_AGENTS, REWIRE, RELABEL, ADD_NAMES,
      PAYOFF, ENDPOINT);

  /** A commit or uncommit intervention. */
  public InterventionSpec(At at, String action, Integer count, Double fraction, String name) {
    this(at, action, count, fraction, name, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * When an intervention applies: before the interaction with this index is played.
   *
   * @param round       a population round K: the intervention applies from interaction K·N on
   * @param interaction an interaction index
   */
  public record At(Long round, Long interaction) {
    /** The interaction index from which the intervention applies. */
    public long index(int populationSize) {
      return round != null ? round * populationSize : interaction;
    }
  }

  /** The interaction index from which this intervention applies, for a valid spec. */
  public long index(int populationSize) {
    return at.index(populationSize);
  }

  /** How many of {@code available} agents it changes, for a valid spec. */
  public int resolveCount(int available) {
    if (count != null) {
      return count;
    }
    if (fraction != null) {
      return (int) Math.round(fraction * available);
    }
    return available;
  }

  /**
   * Checks every intervention of {@code spec}: when, what, how many (against the agents committed
   * at that moment, counting the committed minority and the interventions before it) and which name.
   */
  static void validateAll(List<InterventionSpec> interventions, SpecErrors errors, ExperimentSpec spec) {
    if (interventions.isEmpty()) {
      return;
    }
    GameSpec game = spec.game();
    int n = spec.population().size();
    boolean sizeValid = n >= 2;
    if (!game.hasKnownKind()) {
      if (game.section().isPresent()) {
        validateTimes(interventions, errors, n, sizeValid);
        game.section().get().validateInterventions(spec, errors.root());
      }
      return;
    }
    List<String> pool = game.hasResolvablePool() ? game.resolvedNames() : null;
    long baseIntroduction = -1;
    int baseCount = 0;
    try {
      baseIntroduction = spec.committed().introductionRound() * (long) n;
      baseCount = spec.committedCount();
    } catch (RuntimeException invalid) {
      // committed.* is reported; count from no minority
    }
    int committedNow = 0;
    NetworkInterventions network = new NetworkInterventions(spec);
    boolean baseApplied = false;
    long previous = -1;
    GameChanges gameChanges = new GameChanges(spec);
    for (int i = 0; i < interventions.size(); i++) {
      SpecErrors at = errors.at("interventions[" + i + "]");
      InterventionSpec item = interventions.get(i);
      if (item == null) {
        at.root().add("interventions[" + i + "]", "expected an intervention {at: ..., action: ...}, got nothing");
        continue;
      }
      Long index = item.validateAt(at, n, sizeValid);
      if (index != null && index < previous) {
        at.add("at", "expected interventions in the order they apply: index " + index
            + " comes before the previous intervention's " + previous);
      }
      if (index != null) {
        previous = Math.max(previous, index);
        if (!baseApplied && index >= baseIntroduction) {
          committedNow += baseCount;
          baseApplied = true;
        }
      }
      network.refuseFieldsOfOtherActions(item, at);
      // Both checks run (not ||): each also refuses its fields on the other actions.
      if (gameChanges.check(item, at) | EndpointChanges.check(item, at, spec, n)) {
        continue; // it changes the game or where calls go, not who is present or committed
      }
      int change = NetworkInterventions.handles(item) ? network.validate(item, at, committedNow, index != null)
          : item.validateAction(at, spec, pool, committedNow, network.present());
      committedNow += index == null ? 0 : change; // an item whose moment is unknown changes no count
    }
  }

  /** Checks each intervention's {@code at} and their order, for a game that checks the rest itself. */
  private static void validateTimes(List<InterventionSpec> interventions, SpecErrors errors, int n,
                                    boolean sizeValid) {
    long previous = -1;
    for (int i = 0; i < interventions.size(); i++) {
      InterventionSpec item = interventions.get(i);
      if (item == null) {
        errors.root().add("interventions[" + i + "]", "expected an intervention {at: ..., action: ...}, got nothing");
        continue;
      }
      SpecErrors at = errors.at("interventions[" + i + "]");
      Long index = item.validateAt(at, n, sizeValid);
      if (index != null && index < previous) {
        at.add("at", "expected interventions in the order they apply: index " + index
            + " comes before the previous intervention's " + previous);
      }
      previous = index == null ? previous : Math.max(previous, index);
    }
  }

  /** Checks {@code at}; the index, or null when it is invalid. */
  private Long validateAt(SpecErrors errors, int n, boolean sizeValid) {
    if (at == null) {
      errors.add("at", "expected {round: K} or {interaction: I}");
      return null;
    }
    SpecErrors where = errors.at("at");
    if (at.round() != null && at.interaction() != null) {
      errors.add("at", "give either round or interaction, not both");
      return null;
    }
    if (at.round() == null && at.interaction() == null) {
      errors.add("at", "expected {round: K} or {interaction: I}");
      return null;
    }
    if (at.round() != null && (at.round() < 0 || at.round() > CommittedSpec.MAX_INTRODUCTION_ROUND)) {
      where.add("round", "expected a population round in 0.." + CommittedSpec.MAX_INTRODUCTION_ROUND + ", got "
          + at.round());
      return null;
    }
    if (at.interaction() != null && at.interaction() < 0) {
      where.add("interaction", "expected an interaction index of 0 or more, got " + at.interaction());
      return null;
    }
    return sizeValid ? at.index(n) : null;
  }

  /**
   * Checks the action and its fields; how many agents it commits (negative: uncommits). {@code n}:
   * the agents present at that moment.
   */
  private int validateAction(SpecErrors errors, ExperimentSpec spec, List<String> pool, int committedNow, int n) {
    if (action == null) {
      errors.add("action", "expected one of " + ACTIONS);
      return 0;
    }
    if (!ACTIONS.contains(action)) {
      errors.add("action", "expected one of " + ACTIONS + ", got '" + action + "'");
      return 0;
    }
    boolean commit = COMMIT.equals(action);
    int available = commit ? n - committedNow : committedNow;
    boolean valid = true;
    if (count != null && fraction != null) {
      errors.add("count", "give either count or fraction, not both");
      valid = false;
    }
    if (commit && count == null && fraction == null) {
      errors.add("count", "expected count or fraction: how many agents to commit");
      valid = false;
    }
    if (count != null && count < 1) {
      errors.add("count", "expected 1 or more agents, got " + count);
      valid = false;
    } else if (count != null && n >= 2 && count > available) {
      errors.add("count", "expected at most the " + available + (commit ? " uncommitted" : " committed")
          + " agents at that moment, got " + count);
      valid = false;
    }
    if (fraction != null && (fraction.isNaN() || fraction <= 0 || fraction > 1)) {
      errors.add("fraction", "expected a fraction in (0, 1], got " + fraction);
      valid = false;
    }
    if (name != null && pool != null && !pool.isEmpty() && !pool.contains(name)) {
      errors.add("name", "expected one of the game's names " + pool + ", got '" + name + "'");
    } else if (name != null && !GameSpec.isValidName(name)) {
      errors.add("name", "expected a non-empty name without commas, quotes or newlines, got '" + name + "'");
    } else if (commit && name == null && pool != null && pool.isEmpty() && spec.committed().name() == null) {
      errors.add("name", "expected the committed name: " + spec.game().kind()
          + " without a name pool invents its words, so there is no pool to take it from");
    }
    if (!valid || n < 2) {
      return 0;
    }
    // uncommit by name may change fewer; counting all keeps later checks lenient, not wrong
    int changed = resolveCount(available);
    return commit ? changed : -Math.min(changed, committedNow);
  }

  /** The name a commit intervention commits to: its own, else the committed minority's, else the pool's first. */
  public String resolvedName(ExperimentSpec spec) {
    return name != null ? name : spec.committed().resolvedName(spec.game().resolvedNames());
  }
}
