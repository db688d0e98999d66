package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/** Who may meet whom. Only the complete graph so far; other graphs implement the same draw. */
public interface Topology {
  int size();

  /** A uniformly random neighbour of {@code agent}. */
  int randomNeighbour(int agent, Streams.RandomStream random);

  static Topology complete(int size) {
    return new Topology() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public int randomNeighbour(int agent, Streams.RandomStream random) {
        int other = random.nextInt(size - 1);
        return other >= agent ? other + 1 : other;
      }
    };
  }
}
