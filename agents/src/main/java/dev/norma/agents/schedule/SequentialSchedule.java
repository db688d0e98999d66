package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * As in the papers: an initiator drawn uniformly, then a uniform neighbour of it. After agents
 * left ({@link PresentAgents}) the initiator is drawn among the players (present agents with a
 * present neighbour) and the neighbour among its present ones.
 */
public final class SequentialSchedule implements PairSchedule {
  private final Topology topology;
  /** Who may initiate, or null for every agent. */
  private final int[] players;
  private final Streams.RandomStream random;

  public SequentialSchedule(Topology topology, long runSeed) {
    this(topology, null, new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM));
  }

  /**
   * @param players who may initiate, or null for every agent
   * @param random  the schedule's stream (shared with the schedule it follows, if any)
   */
  public SequentialSchedule(Topology topology, int[] players, Streams.RandomStream random) {
    this.topology = topology;
    this.players = players;
    this.random = random;
  }

  @Override
  public long next() {
    int initiator = players == null ? random.nextInt(topology.size()) : players[random.nextInt(players.length)];
    return PairSchedule.pack(initiator, topology.randomNeighbour(initiator, random));
  }
}
