package dev.norma.agents.schedule;

import dev.norma.agents.Streams;

/**
 * Who may meet whom: an undirected graph over agents 0..size−1. The complete graph is implicit;
 * every other network is a {@link Graph} built by {@link Graphs}.
 */
public interface Topology {
  int size();

  int degree(int agent);

  /** The {@code i}-th neighbour of {@code agent}, for i in 0..degree−1. */
  int neighbour(int agent, int i);

  /** A uniformly random neighbour of {@code agent}. */
  default int randomNeighbour(int agent, Streams.RandomStream random) {
    return neighbour(agent, random.nextInt(degree(agent)));
  }

  static Topology complete(int size) {
    return new Topology() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public int degree(int agent) {
        return size - 1;
      }

      @Override
      public int neighbour(int agent, int i) {
        return i >= agent ? i + 1 : i;
      }
    };
  }
}
