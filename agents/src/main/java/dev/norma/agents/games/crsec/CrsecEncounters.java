package dev.norma.agents.games.crsec;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.schedule.Rooms;
import dev.norma.agents.study.Interventions;
import java.util.List;

/**
 * A study of norm emergence after Ren et al. (IJCAI 2024, "CRSEC") as an {@link EncounterGame}:
 * the game of {@code game.kind: crsec}, with the rule-based policy ({@link CrsecRules}) or the
 * language-model policy ({@link CrsecConversations}).
 *
 * <p>The population sits in rooms (cafés) of {@code topology.size} ({@link Rooms}): an encounter is one
 * room's whole company for one period, since everyone in it acts, sees what all the others did and
 * may speak up to one of them; a period is one population round, an encounter per room. Between
 * periods agents change seats with probability {@code topology.moveProbability}, so norms can travel from
 * room to room. Agents that left ({@code removeAgents}) leave their seats empty: a room plays with
 * those present ({@link Rooms#nextPresent}). There is no population step: synthesis is each agent's own, taken at the end of
 * its room's period.
 *
 * <p>An encounter's outcome is {@link CrsecRules#OUTCOME_COLUMNS}; a mind is observed as, for each
 * norm of the {@link NormCatalogue}, 0 when it does not hold it active, else 1 + the conversations
 * between it and the norm's origin, from which {@link CrsecMeasures} follows how norms spread.
 */
public final class CrsecEncounters implements EncounterGame<CrsecMind> {
  private final CrsecRules rules;
  private final long runSeed;
  /** The language-model policy's conversations; null when the rules play. */
  private final CrsecConversations conversations;

  public CrsecEncounters(CrsecRules rules, long runSeed) {
    this(rules, runSeed, null);
  }

  /** A study played through {@code conversations} ({@code policy.kind: llm}), or by rule when it is null. */
  CrsecEncounters(CrsecRules rules, long runSeed, CrsecConversations conversations) {
    this.rules = rules;
    this.runSeed = runSeed;
    this.conversations = conversations;
  }

  public CrsecRules rules() {
    return rules;
  }

  /** A room's company. */
  @Override
  public int participants() {
    return rules.parameters().roomSize();
  }

  /** Under the language-model policy an advocate writes its norms at its first period, not here. */
  @Override
  public CrsecMind newMind(int agentId) {
    return rules.newMind(agentId, runSeed, conversations == null);
  }

  @Override
  public EncounterSchedule newSchedule() {
    CrsecParameters parameters = rules.parameters();
    return new Rooms(parameters.populationSize(), parameters.roomSize(), parameters.moveProbability(), runSeed,
        rules.presence());
  }

  /**
   * The {@code uncommit} and {@code removeAgents} interventions, each at its period's first
   * encounter (period × rooms).
   */
  @Override
  public List<Interventions.Applied> interventions() {
    return rules.interventions();
  }

  /** One encounter per room. */
  @Override
  public long encountersPerRound() {
    return rules.parameters().rooms();
  }

  @Override
  public double[] play(CrsecMind[] group, long index) {
    int rooms = rules.parameters().rooms();
    return rules.playRoom(group, Rooms.roomOf(index, rooms), index / rooms);
  }

  @Override
  public List<String> outcomeColumns() {
    return CrsecRules.OUTCOME_COLUMNS;
  }

  /** Per norm of the catalogue: 0 when not active, else 1 + its hops from its origin. */
  @Override
  public double[] observe(CrsecMind mind) {
    double[] held = new double[rules.catalogue().size()];
    for (int norm = 0; norm < held.length; norm++) {
      held[norm] = mind.active(norm) ? 1 + mind.hops(norm) : 0;
    }
    return held;
  }

  @Override
  public Conversations<CrsecMind> conversations() {
    return conversations;
  }

  @Override
  public EncounterMeasures newMeasures() {
    return new CrsecMeasures(rules.catalogue(), rules.parameters().populationSize(), rules.parameters().rooms(),
        rules.presence());
  }
}
