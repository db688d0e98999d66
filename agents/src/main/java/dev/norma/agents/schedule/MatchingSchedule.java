package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * The {@code rounds} schedule on a network: each matching round a seeded random maximal matching
 * along its edges. Agents are taken in a freshly shuffled order; one still unmatched is paired
 * with a uniformly drawn unmatched neighbour, if it has any, and initiates. When the order is
 * exhausted no two unmatched agents are neighbours (the matching is maximal), though some agents
 * may sit the round out. Interaction indices run on across matchings, as in
 * {@link RoundsSchedule}, which the complete graph keeps.
 */
public final class MatchingSchedule implements PairSchedule {
  private final Topology topology;
  private final Streams.RandomStream random;
  private final int[] order;
  private final boolean[] matched;
  /** The current matching's pairs, packed, and the next one to give out. */
  private final long[] pairs;
  private int pairCount;
  private int cursor;
  /** An unmatched agent's unmatched neighbours, while it draws one. */
  private int[] candidates = new int[16];

  public MatchingSchedule(Topology topology, long runSeed) {
    this(topology, java.util.stream.IntStream.range(0, topology.size()).toArray(),
        new Streams.RandomStream(runSeed, Streams.SCHEDULE_STREAM));
  }

  /**
   * @param players the agents that take part, in increasing id order (after agents left: the
   *                present ones with a present neighbour, see {@link PresentAgents})
   * @param random  the schedule's stream (shared with the schedule it follows, if any)
   */
  public MatchingSchedule(Topology topology, int[] players, Streams.RandomStream random) {
    this.topology = topology;
    this.random = random;
    this.order = players.clone();
    this.matched = new boolean[topology.size()];
    this.pairs = new long[Math.max(1, players.length / 2)];
  }

  @Override
  public long next() {
    if (cursor == pairCount) {
      drawMatching();
    }
    return pairs[cursor++];
  }

  /** The next maximal matching, in the order its pairs were formed. */
  private void drawMatching() {
    random.shuffle(order);
    java.util.Arrays.fill(matched, false);
    pairCount = 0;
    cursor = 0;
    for (int agent : order) {
      if (matched[agent]) {
        continue;
      }
      int degree = topology.degree(agent);
      if (candidates.length < degree) {
        candidates = new int[Math.max(degree, candidates.length * 2)];
      }
      int free = 0;
      for (int i = 0; i < degree; i++) {
        int other = topology.neighbour(agent, i);
        if (!matched[other]) {
          candidates[free++] = other;
        }
      }
      if (free > 0) {
        int partner = candidates[random.nextInt(free)];
        matched[agent] = true;
        matched[partner] = true;
        pairs[pairCount++] = PairSchedule.pack(agent, partner);
      }
    }
  }
}
