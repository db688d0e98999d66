package dev.norma.agents.schedule;

/**
 * A network in compressed sparse rows: agent a's neighbours are
 * {@code neighbours[offsets[a] .. offsets[a + 1])}. Two int arrays and nothing per agent, so a
 * million agents with two million links take 20 MB. Immutable once built; {@link Graphs} builds
 * it.
 */
public final class Graph implements Topology {
  private final int[] offsets;
  private final int[] neighbours;

  Graph(int[] offsets, int[] neighbours) {
    this.offsets = offsets;
    this.neighbours = neighbours;
  }

  /**
   * The graph with the undirected edges {@code (ends[2e], ends[2e + 1])}, e below
   * {@code edgeCount}; the caller guarantees no self loops and no repeated edge. Each agent's
   * neighbours keep the order of its edges.
   */
  static Graph fromEdges(int size, int[] ends, int edgeCount) {
    int[] offsets = new int[size + 1];
    for (int i = 0; i < 2 * edgeCount; i++) {
      offsets[ends[i] + 1]++;
    }
    for (int a = 0; a < size; a++) {
      offsets[a + 1] += offsets[a];
    }
    int[] next = java.util.Arrays.copyOf(offsets, size);
    int[] neighbours = new int[2 * edgeCount];
    for (int e = 0; e < edgeCount; e++) {
      int a = ends[2 * e];
      int b = ends[2 * e + 1];
      neighbours[next[a]++] = b;
      neighbours[next[b]++] = a;
    }
    return new Graph(offsets, neighbours);
  }

  @Override
  public int size() {
    return offsets.length - 1;
  }

  @Override
  public int degree(int agent) {
    return offsets[agent + 1] - offsets[agent];
  }

  @Override
  public int neighbour(int agent, int i) {
    return neighbours[offsets[agent] + i];
  }

  public long edgeCount() {
    return neighbours.length / 2;
  }

  public int maxDegree() {
    int max = 0;
    for (int a = 0; a < size(); a++) {
      max = Math.max(max, degree(a));
    }
    return max;
  }

  /** Whether every agent can reach every other (breadth-first from agent 0). */
  public boolean connected() {
    int size = size();
    boolean[] seen = new boolean[size];
    int[] queue = new int[size];
    int head = 0;
    int tail = 0;
    queue[tail++] = 0;
    seen[0] = true;
    while (head < tail) {
      int a = queue[head++];
      for (int i = offsets[a]; i < offsets[a + 1]; i++) {
        int b = neighbours[i];
        if (!seen[b]) {
          seen[b] = true;
          queue[tail++] = b;
        }
      }
    }
    return tail == size;
  }
}
