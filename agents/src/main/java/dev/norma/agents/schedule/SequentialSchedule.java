package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/** As in the papers: an initiator drawn uniformly, then a uniform neighbour of it. */
public final class SequentialSchedule implements PairSchedule {
  private final Topology topology;
  private final Streams.RandomStream random;

  public SequentialSchedule(Topology topology, long runSeed) {
    this.topology = topology;
    this.random = new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM);
  }

  @Override
  public long next() {
    int initiator = random.nextInt(topology.size());
    return PairSchedule.pack(initiator, topology.randomNeighbour(initiator, random));
  }
}
