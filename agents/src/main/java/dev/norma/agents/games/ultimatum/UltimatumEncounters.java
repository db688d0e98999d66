package dev.norma.agents.games.ultimatum;

import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.games.ultimatum.UltimatumGame.Encounter;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.schedule.RoomPairs;
import dev.norma.agents.schedule.RoundsSchedule;
import dev.norma.protocols.spec.TopologySpec;
import java.util.List;

/**
 * A study of the ultimatum game as an {@link EncounterGame}: the game of {@code game.kind:
 * ultimatum}, and what {@link UltimatumLoop} runs.
 *
 * <p>Step order, after Nowak, Page &amp; Sigmund. Pairs come from a {@link RoundsSchedule} seeded
 * by the run seed (a fresh random matching of everyone, the first of each pair proposing); a
 * population round is N consecutive encounters, so each agent plays two encounters a round (with
 * an odd N, one agent sits out each matching), in a random role each. An encounter is
 * {@link UltimatumGame#play}: the proposer's offer, the responder's answer, the proposer's
 * booking. After every {@code revisionInterval}-th round the whole population revises at once
 * ({@link UltimatumGame#revise(UltimatumMind[])}), each agent against a snapshot of everyone's
 * strategy and payoff taken before the first of them revised. On {@code topology.kind: rooms}
 * the matchings are drawn within the rooms ({@link RoomPairs#matching}): a round is a period, in
 * which each agent meets only its room-mates (with an even room size, twice), and the rooms mix
 * between rounds. Every draw an agent makes comes
 * from its own stream, every pairing from the schedule's: a seed gives one trajectory whatever
 * runs the agents.
 *
 * <p>An encounter's outcome is {@code offer} (the offer made, as a fraction of the sum) and
 * {@code accepted} (1 or 0); a mind is observed as its p and q in grid steps, from which
 * {@link UltimatumMeasures} keeps the population's means.
 *
 * <p>Under {@code policy.kind: llm} ({@link #conversations()}, {@link UltimatumConversations})
 * the pairs and rounds are the same, but each side's move is its model's answer to a prompt of
 * what it remembers: agents hold no strategy, take no population step, and are observed as
 * nothing; an invalid encounter (no offer named) has the outcome {@code [NaN, NaN]}.
 */
public final class UltimatumEncounters implements EncounterGame<UltimatumMind> {
  /** Where {@link #observe} puts p, in grid steps. */
  static final int OFFER = 0;
  /** Where {@link #observe} puts q, in grid steps. */
  static final int THRESHOLD = 1;

  private final UltimatumGame game;
  private final long runSeed;
  /** Who may meet whom: the complete graph or rooms. */
  private final TopologySpec topology;
  /** How the agents play through a language model; null when they play by rule. */
  private final UltimatumConversations conversations;

  /** A study whose agents play by rule. */
  public UltimatumEncounters(UltimatumGame game, long runSeed) {
    this(game, runSeed, new TopologySpec(TopologySpec.COMPLETE), null);
  }

  /**
   * A study whose agents play through a language model, or by rule when {@code conversations} is null.
   *
   * @param topology {@code complete} or {@code rooms} (of a size dividing the population)
   */
  UltimatumEncounters(UltimatumGame game, long runSeed, TopologySpec topology, UltimatumConversations conversations) {
    this.game = game;
    this.runSeed = runSeed;
    this.topology = topology;
    this.conversations = conversations;
  }

  public UltimatumGame game() {
    return game;
  }

  /** The proposer and the responder. */
  @Override
  public int participants() {
    return 2;
  }

  /**
   * By rule, with a strategy drawn from its own stream; through a language model, with none
   * (nothing drawn) and a {@link dev.norma.agents.llm.ContextRecall} for its prompts.
   */
  @Override
  public UltimatumMind newMind(int agentId) {
    if (conversations != null) {
      return new UltimatumMind(agentId, runSeed, game.parameters().memory()).recalling();
    }
    return game.newMind(agentId, runSeed);
  }

  /**
   * A fresh random matching of everyone each matching round, or of every room on
   * {@code topology.kind: rooms}; the first of each pair proposes.
   */
  @Override
  public EncounterSchedule newSchedule() {
    PairSchedule pairs = topology.rooms()
        ? RoomPairs.matching(populationSize(), topology.resolvedSize(), topology.resolvedMoveProbability(), runSeed)
        : new RoundsSchedule(populationSize(), runSeed);
    return members -> {
      long pair = pairs.next();
      members[0] = PairSchedule.initiator(pair);
      members[1] = PairSchedule.responder(pair);
    };
  }

  /** N: two encounters per agent and round. */
  @Override
  public long encountersPerRound() {
    return populationSize();
  }

  /** {@code group[0]} proposes to {@code group[1]}. */
  @Override
  public double[] play(UltimatumMind[] group, long index) {
    Encounter encounter = game.play(group[0], group[1]);
    return new double[] {encounter.offer() / (double) UltimatumGame.SUM, encounter.accepted() ? 1 : 0};
  }

  @Override
  public List<String> outcomeColumns() {
    return List.of("offer", "accepted");
  }

  /** {@code [p, q]} in grid steps; nothing through a language model, where agents hold no strategy. */
  @Override
  public double[] observe(UltimatumMind mind) {
    if (conversations != null) {
      return new double[0];
    }
    return new double[] {mind.offer(), mind.threshold()};
  }

  /**
   * By rule, after every {@code revisionInterval}-th round: rounds {@code interval − 1},
   * {@code 2·interval − 1}, … Never through a language model: its agents learn in context, from
   * the encounters their prompts show.
   */
  @Override
  public boolean populationStepAfter(long round) {
    return conversations == null && (round + 1) % game.parameters().revisionInterval() == 0;
  }

  /** Everyone revises against the population as it stood before the first of them did. */
  @Override
  public void populationStep(UltimatumMind[] population, long round) {
    game.revise(population);
  }

  @Override
  public EncounterMeasures newMeasures() {
    return new UltimatumMeasures(populationSize(), conversations == null);
  }

  /** The encounters as conversations under {@code policy.kind: llm}; null by rule. */
  @Override
  public UltimatumConversations conversations() {
    return conversations;
  }

  private int populationSize() {
    return game.parameters().populationSize();
  }
}
