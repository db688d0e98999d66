package dev.norma.agents.schedule;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A network seen by the agents still present after some have left: only the links between two
 * present agents remain (ids unchanged), and only the present agents with at least one such link
 * can play. The complete network stays implicit (the present agents, each linked to the others).
 *
 * @param topology who may meet whom among the present agents (departed agents have no link)
 * @param players  the present agents with a link, in increasing id order
 */
public record PresentAgents(Topology topology, int[] players) {

  /** {@code network} restricted to the agents set in {@code present}. */
  public static PresentAgents of(Topology network, BitSet present) {
    Topology restricted = network instanceof Graph graph ? induced(graph, present) : complete(network.size(), present);
    int[] players = new int[present.cardinality()];
    int count = 0;
    for (int agent = present.nextSetBit(0); agent >= 0; agent = present.nextSetBit(agent + 1)) {
      if (restricted.degree(agent) > 0) {
        players[count++] = agent;
      }
    }
    return new PresentAgents(restricted, Arrays.copyOf(players, count));
  }

  /** The present agents in increasing id order. */
  static int[] ids(BitSet present) {
    return present.stream().toArray();
  }

  private static Graph induced(Graph graph, BitSet present) {
    int[] ends = new int[(int) Math.min(Integer.MAX_VALUE - 8, 2 * graph.edgeCount())];
    int edgeCount = 0;
    for (int a = present.nextSetBit(0); a >= 0; a = present.nextSetBit(a + 1)) {
      for (int i = 0; i < graph.degree(a); i++) {
        int b = graph.neighbour(a, i);
        if (b > a && present.get(b)) {
          ends[2 * edgeCount] = a;
          ends[2 * edgeCount + 1] = b;
          edgeCount++;
        }
      }
    }
    return Graph.fromEdges(graph.size(), ends, edgeCount);
  }

  /** Every present agent linked to every other: its neighbours are the present agents but itself. */
  private static Topology complete(int size, BitSet present) {
    int[] ids = ids(present);
    int[] position = new int[size];
    Arrays.fill(position, -1);
    for (int i = 0; i < ids.length; i++) {
      position[ids[i]] = i;
    }
    return new CompleteAmong(ids, position);
  }

  /**
   * The complete network over {@code ids}, implicit as {@link Topology#complete} is.
   *
   * @param position each agent's place in {@code ids}, or -1 for one that left
   */
  private record CompleteAmong(int[] ids, int[] position) implements Topology {
    @Override
    public int size() {
      return position.length;
    }

    @Override
    public int degree(int agent) {
      return position[agent] < 0 ? 0 : ids.length - 1;
    }

    /** The present agents in id order, skipping {@code agent} itself. */
    @Override
    public int neighbour(int agent, int i) {
      return ids[i >= position[agent] ? i + 1 : i];
    }
  }
}
