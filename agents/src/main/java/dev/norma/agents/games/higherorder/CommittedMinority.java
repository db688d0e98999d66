package dev.norma.agents.games.higherorder;

import dev.norma.agents.Streams;
import java.util.BitSet;

/**
 * Who is committed in a study of the two-convention game, and how every agent starts: a seeded
 * uniform choice of agents ({@link Streams#COMMITTED_STREAM}, a partial shuffle) committed to A
 * from the start, everyone else on B. {@link HigherOrderLoop} and {@link HigherOrderEncounters}
 * set up a population through it, so the two start alike for the same seed.
 */
final class CommittedMinority {
  private final BitSet committed;
  private final int count;

  CommittedMinority(int populationSize, int count, long runSeed) {
    if (count < 0 || count > populationSize) {
      throw new IllegalArgumentException("cannot commit " + count + " of " + populationSize + " agents");
    }
    Streams.RandomStream random = new Streams.RandomStream(runSeed, Streams.COMMITTED_STREAM);
    int[] ids = new int[populationSize];
    for (int i = 0; i < populationSize; i++) {
      ids[i] = i;
    }
    this.committed = new BitSet(populationSize);
    for (int i = 0; i < count; i++) {
      committed.set(random.drawInto(ids, i));
    }
    this.count = count;
  }

  boolean contains(int agentId) {
    return committed.get(agentId);
  }

  int count() {
    return count;
  }

  /** Agent {@code agentId} as the study starts: committed to A, or on B. */
  ConventionMind startingMind(GroupInteraction rules, int agentId, long runSeed) {
    if (!contains(agentId)) {
      return rules.newMind(agentId, runSeed, ConventionMind.B);
    }
    ConventionMind mind = rules.newMind(agentId, runSeed, ConventionMind.A);
    mind.commitFrom(0);
    return mind;
  }
}
