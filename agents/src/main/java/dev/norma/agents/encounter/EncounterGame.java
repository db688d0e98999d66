package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.study.Interventions;
import java.util.List;

/**
 * A game whose encounters bring n ≥ 2 agents together, played by one pure rule over their minds:
 * the higher-order naming game's speaker and g − 1 hearers, the ultimatum game's proposer and
 * responder with their two turns. The engine lends the participants' minds to the encounter in
 * index order (each agent takes its encounters one at a time, in the order of their indices), so
 * a run of any width, on any number of threads, equals {@link EncounterLoop}, the single-threaded
 * loop of the same seed.
 *
 * <p>A study of an encounter game is one instance, made by its module from the spec and the run
 * seed; every method but {@link #play} and {@link #populationStep} is pure and may be called on
 * any node. Randomness: an agent's draws come from its mind's own stream, the schedule's from its
 * own, so no draw depends on which thread plays an encounter.
 *
 * @param <M> the game's mind type
 */
public interface EncounterGame<M extends Mind> {

  /** Agents in every encounter (n ≥ 2). */
  int participants();

  /** Agent {@code agentId} as the study starts: its commitment and initial state set. */
  M newMind(int agentId);

  /**
   * The study's seeded sequence of encounters: the i-th {@link EncounterSchedule#next} gives
   * encounter i's participants, the first of whom acts first.
   */
  EncounterSchedule newSchedule();

  /** Encounters per population round (the time unit of {@code rounds.csv} and {@code stop.maxRounds}). */
  long encountersPerRound();

  /**
   * Plays encounter {@code index} among {@code group} (in the schedule's order): only the group's
   * minds change. {@code group} is an array of the minds' own class ({@link MindArrays}), not an
   * erased {@code Mind[]}, which a game of a concrete mind type cannot take.
   *
   * @return the encounter's outcome as numbers, in the order of {@link #outcomeColumns()}
   */
  double[] play(M[] group, long index);

  /** An encounter's outcome and what was said in it, in order (no lines for a game of choices). */
  record Played(double[] outcome, List<Utterance> transcript) {
    public Played {
      transcript = List.copyOf(transcript);
    }
  }

  /**
   * Plays encounter {@code index} as {@link #play} does, keeping what the participants said: a game
   * whose rule-based agents talk (deterministic text in place of a model's) overrides it, so its
   * run directory holds their transcripts as it does a language model's. The engine plays through
   * this method; by default the outcome of {@link #play} and no lines.
   */
  default Played playWithTranscript(M[] group, long index) {
    return new Played(play(group, index), List.of());
  }

  /** The columns of an encounter's outcome in the interaction log, after its index and participants. */
  List<String> outcomeColumns();

  /**
   * What the study's measures read of a mind: a few numbers whose meaning the game's
   * {@link EncounterMeasures} knows. The engine reports every participant's before and after each
   * encounter (and every agent's at the start and around a population step), so measures follow
   * the population without holding its minds.
   */
  double[] observe(M mind);

  /**
   * Whether the whole population takes a step together after population round {@code round}
   * (from 0) ends, such as strategy revision against everyone's payoffs; none by default.
   */
  default boolean populationStepAfter(long round) {
    return false;
  }

  /** The step: {@code population} holds every mind, by id; only they change. */
  default void populationStep(M[] population, long round) {
  }

  /** The measures of a new study, seeing nothing yet. */
  EncounterMeasures newMeasures();

  /**
   * How the study's agents play through a language model, or null when they play by rule
   * ({@link #play}). A module makes a study whose spec asks for {@code policy.kind: llm} with its
   * conversations, and then {@link #play} is not called.
   */
  default Conversations<M> conversations() {
    return null;
  }

  /**
   * The study's interventions in the order the run reaches them, each at the index of the first
   * encounter it changes, with the agents it changed: the engine writes each to
   * {@code interventions.csv} as the run reaches it. Pure (resolved from the spec and the run seed),
   * so a resumed run writes the same; none by default.
   */
  default List<Interventions.Applied> interventions() {
    return List.of();
  }

  /** Committed agents in the study (they never change their minds), for the summary; none by default. */
  default int committedCount() {
    return 0;
  }
}
