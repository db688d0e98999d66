package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * A fresh random matching of the whole population each matching round (complete graph): a
 * seeded shuffle, paired off in order. With an odd population the last agent of each shuffle
 * sits that matching out. Interaction indices run on across matchings; a population round is
 * still N consecutive indices. After agents left, the agents still present are shuffled.
 */
public final class RoundsSchedule implements PairSchedule {
  private final int[] order;
  private final Streams.RandomStream random;
  private int cursor;

  public RoundsSchedule(int populationSize, long runSeed) {
    this(java.util.stream.IntStream.range(0, populationSize).toArray(),
        new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM));
  }

  /**
   * @param agents the agents matched, in increasing id order (at least 2)
   * @param random the schedule's stream (shared with the schedule it follows, if any)
   */
  public RoundsSchedule(int[] agents, Streams.RandomStream random) {
    this.order = agents.clone();
    this.random = random;
    this.cursor = order.length; // shuffle on first use
  }

  @Override
  public long next() {
    if (cursor + 1 >= order.length) {
      random.shuffle(order);
      cursor = 0;
    }
    long pair = PairSchedule.pack(order[cursor], order[cursor + 1]);
    cursor += 2;
    return pair;
  }
}
