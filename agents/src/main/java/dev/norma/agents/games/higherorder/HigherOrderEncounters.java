package dev.norma.agents.games.higherorder;

import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.schedule.RoomGroups;
import dev.norma.protocols.spec.StopSpec;
import dev.norma.protocols.spec.TopologySpec;
import java.util.List;

/**
 * A study of the higher-order naming game ({@link HigherOrderNamingGame}) as an
 * {@link EncounterGame}: a speaker and g − 1 hearers drawn from the whole population by a
 * {@link GroupSchedule}, a committed minority on A from the start and everyone else on B, set up
 * as {@link HigherOrderLoop} sets it up. Its {@link dev.norma.agents.encounter.EncounterLoop} is
 * therefore {@link HigherOrderLoop} of the same seed, group for group. On
 * {@code topology.kind: rooms} the speaker is drawn from the whole population and its g − 1 hearers
 * among its room-mates ({@link RoomGroups}): a round of N groups is a period, in which nobody
 * meets beyond its room, and the rooms mix between rounds.
 *
 * <p>What it tells the engine. An encounter's outcome is {@code agreed} (1 when the group agreed,
 * else 0) and {@code uttered} (the speaker's convention: 0 for A, 1 for B). An observation of a
 * mind is its state ({@link ConventionMind#state()}: 0 for A only, 1 for B only, 2 for both) and
 * whether it is committed (1 or 0). Both are fresh arrays of two numbers. Under the language-model
 * policy ({@link HigherOrderConversations}) an encounter whose speaker named no option is invalid:
 * {@code agreed} 0 and {@code uttered} -1.
 *
 * <p>Cost. Made once per study and node: O(N) time, and N bits for who is committed.
 * {@link #newMind} then takes O(1) and allocates only the mind, so a mind may be made afresh for
 * every encounter and restored from its saved state; everything a mind holds round-trips through
 * {@link dev.norma.agents.Mind#save()}.
 */
public final class HigherOrderEncounters implements EncounterGame<ConventionMind> {
  /**
   * The outcome's columns: whether the group agreed (1 or 0), and what the speaker uttered (0 = A,
   * 1 = B; -1 when a language-model speaker named no option and the encounter was invalid).
   */
  public static final List<String> OUTCOME_COLUMNS = List.of("agreed", "uttered");
  /** Index of {@code agreed} in an outcome. */
  static final int AGREED = 0;
  /** Index of {@code uttered} in an outcome. */
  static final int UTTERED = 1;
  /** Index of the state ({@link ConventionMind#state()}) in an observation. */
  static final int STATE = 0;
  /** Index of the committed flag (1 or 0) in an observation. */
  static final int COMMITTED = 1;

  private final HigherOrderNamingGame rules;
  private final int populationSize;
  private final CommittedMinority committed;
  private final StopSpec stop;
  private final long runSeed;
  /** Who may meet whom: the complete graph or rooms. */
  private final TopologySpec topology;
  /** Null under rules. */
  private final HigherOrderConversations conversations;
  private final int memory;

  /**
   * A study played by the rule.
   *
   * @param committedCount agents committed to A from the start, drawn by the seed
   * @param stop           when a study ends besides {@code stop.maxRounds} (see {@link HigherOrderMeasures})
   */
  public HigherOrderEncounters(HigherOrderNamingGame rules, int populationSize, int committedCount, StopSpec stop,
                               long runSeed) {
    this(rules, populationSize, committedCount, stop, runSeed, new TopologySpec(TopologySpec.COMPLETE), null, 0);
  }

  /**
   * A study played through language models when {@code prompts} is given, by the rule when it is
   * null.
   *
   * @param topology {@code complete}, or {@code rooms} whose size divides the population and holds a group
   * @param memory the encounters each agent remembers for its prompts (1 or more with prompts, else 0)
   */
  public HigherOrderEncounters(HigherOrderNamingGame rules, int populationSize, int committedCount, StopSpec stop,
                               long runSeed, TopologySpec topology, HigherOrderPrompts prompts, int memory) {
    if ((prompts == null) != (memory == 0)) {
      throw new IllegalArgumentException("agents remember encounters exactly when they play through prompts: "
          + memory);
    }
    if (rules.groupSize() > populationSize) {
      throw new IllegalArgumentException("groups of " + rules.groupSize() + " need at least as many agents, not "
          + populationSize);
    }
    this.rules = rules;
    this.populationSize = populationSize;
    this.committed = new CommittedMinority(populationSize, committedCount, runSeed);
    this.stop = stop;
    this.runSeed = runSeed;
    this.topology = topology;
    this.conversations = prompts == null ? null : new HigherOrderConversations(rules, prompts);
    this.memory = memory;
  }

  public HigherOrderNamingGame rules() {
    return rules;
  }

  @Override
  public int participants() {
    return rules.groupSize();
  }

  @Override
  public ConventionMind newMind(int agentId) {
    return committed.startingMind(rules, agentId, runSeed).remembering(memory);
  }

  /** Groups from the whole population ({@link GroupSchedule}), or within rooms ({@link RoomGroups}). */
  @Override
  public EncounterSchedule newSchedule() {
    if (topology.rooms()) {
      return new RoomGroups(populationSize, topology.resolvedSize(), topology.resolvedMoveProbability(),
          rules.groupSize(), runSeed);
    }
    return new GroupSchedule(populationSize, rules.groupSize(), runSeed);
  }

  /** N group interactions: on average every agent speaks once (see {@link HigherOrderLoop}). */
  @Override
  public long encountersPerRound() {
    return populationSize;
  }

  /**
   * @throws IllegalStateException under the language-model policy, whose encounters are played
   *                               through {@link #conversations()}: playing them by rule would be
   *                               a different study under the same spec
   */
  @Override
  public double[] play(ConventionMind[] group, long index) {
    if (conversations != null) {
      throw new IllegalStateException("this study's agents play through language models (policy.kind: llm):"
          + " its encounters are played through conversations(), not by rule");
    }
    HigherOrderNamingGame.Outcome outcome = rules.interact(group, index);
    double[] numbers = new double[OUTCOME_COLUMNS.size()];
    numbers[AGREED] = outcome.agreed() ? 1 : 0;
    numbers[UTTERED] = outcome.uttered();
    return numbers;
  }

  @Override
  public List<String> outcomeColumns() {
    return OUTCOME_COLUMNS;
  }

  @Override
  public double[] observe(ConventionMind mind) {
    double[] numbers = new double[2];
    numbers[STATE] = mind.state();
    // Committed from the start: the only introduction this game takes.
    numbers[COMMITTED] = mind.committedAt(0) ? 1 : 0;
    return numbers;
  }

  @Override
  public EncounterMeasures newMeasures() {
    return new HigherOrderMeasures(stop, committed.count() > 0);
  }

  /** The language-model policy's conversations, or null under rules. */
  @Override
  public HigherOrderConversations conversations() {
    return conversations;
  }

  @Override
  public int committedCount() {
    return committed.count();
  }
}
