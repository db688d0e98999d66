package dev.norma.agents.schedule;

import dev.norma.agents.Streams;
import dev.norma.protocols.spec.EdgeListFile;
import dev.norma.protocols.spec.TopologySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Builds the interaction networks a spec names ({@link TopologySpec}). Random networks draw from
 * the run seed's {@link Streams#TOPOLOGY_STREAM}, so a seed gives the same network on every run
 * and node, apart from the schedule's own draws.
 */
public final class Graphs {
  /** How many small-world graphs are drawn in search of a connected one before giving up. */
  static final int CONNECTED_DRAWS = 100;

  private Graphs() {
  }

  /** The network of a valid spec's {@code topology} for {@code size} agents and run {@code seed}. */
  public static Topology forSpec(TopologySpec spec, int size, long seed) {
    return forSpec(spec, size, new Streams.RandomStream(seed, Streams.TOPOLOGY_STREAM));
  }

  /** The network of a valid {@code spec}, random ones drawn from {@code random}. */
  public static Topology forSpec(TopologySpec spec, int size, Streams.RandomStream random) {
    return switch (spec.kind()) {
      case TopologySpec.COMPLETE -> Topology.complete(size);
      case TopologySpec.RING -> ring(size, spec.resolvedK());
      case TopologySpec.SMALL_WORLD -> smallWorld(size, spec.resolvedK(), spec.resolvedP(), random);
      case TopologySpec.SCALE_FREE -> scaleFree(size, spec.resolvedM(), random);
      case TopologySpec.LATTICE -> lattice(spec.resolvedRows(size), spec.resolvedCols(size));
      case TopologySpec.EDGES -> edgeList(Path.of(spec.file()), size);
      case TopologySpec.ROOMS -> rooms(size, spec.resolvedSize());
      default -> throw new IllegalArgumentException("topology.kind: unknown kind '" + spec.kind() + "'");
    };
  }

  /** Each agent linked to the k/2 nearest on either side of a circle (k even, 2 ≤ k < size). */
  public static Graph ring(int size, int k) {
    return Graph.fromEdges(size, ringEnds(size, k), size * (k / 2));
  }

  /** Edge (j − 1)·size + a joins agent a to agent a + j (mod size), for j in 1..k/2. */
  private static int[] ringEnds(int size, int k) {
    int[] ends = new int[2 * size * (k / 2)];
    for (int j = 1; j <= k / 2; j++) {
      for (int a = 0; a < size; a++) {
        int e = (j - 1) * size + a;
        ends[2 * e] = a;
        ends[2 * e + 1] = (a + j) % size;
      }
    }
    return ends;
  }

  /**
   * Watts–Strogatz (Nature 393:440, 1998): the ring, then each link (a, a + j), j = 1..k/2 in
   * turn, has its far end moved with probability p to an agent drawn uniformly among those not
   * a and not already linked to a (as networkx draws it). The edge count stays size·k/2 and each
   * agent keeps its own k/2 links, so no agent is left alone; a draw in several parts is
   * discarded and the next one taken from the same stream, up to {@value #CONNECTED_DRAWS}.
   */
  public static Graph smallWorld(int size, int k, double p, Streams.RandomStream random) {
    for (int draw = 0; draw < CONNECTED_DRAWS; draw++) {
      Graph graph = rewire(size, k, p, random);
      if (graph.connected()) {
        return graph;
      }
    }
    throw new IllegalArgumentException("topology: no connected small-world network in " + CONNECTED_DRAWS
        + " draws (population.size " + size + ", k " + k + ", p " + p + "): raise topology.k or lower topology.p");
  }

  private static Graph rewire(int size, int k, double p, Streams.RandomStream random) {
    int[] ends = ringEnds(size, k);
    moveFarEnds(size, ends, ends.length / 2, p, null, random);
    return Graph.fromEdges(size, ends, ends.length / 2);
  }

  /**
   * {@code network} with each of its links (a, b), a &lt; b, taken in order of a and then of a's
   * neighbours, having its far end b moved with probability p to an agent of {@code among} drawn
   * uniformly among those not a and not already linked to a, as {@link #smallWorld} does with the
   * ring. The edge count stays; agents outside {@code among} keep no link.
   *
   * @param among the agents the network is restricted to, in increasing id order
   */
  public static Graph rewired(Topology network, int[] among, double p, Streams.RandomStream random) {
    int size = network.size();
    boolean[] inside = new boolean[size];
    for (int agent : among) {
      inside[agent] = true;
    }
    int[] ends = new int[16];
    int edgeCount = 0;
    for (int a : among) {
      for (int i = 0; i < network.degree(a); i++) {
        int b = network.neighbour(a, i);
        if (b > a && inside[b]) {
          if (2 * edgeCount + 2 > ends.length) {
            ends = java.util.Arrays.copyOf(ends, ends.length * 2);
          }
          ends[2 * edgeCount] = a;
          ends[2 * edgeCount + 1] = b;
          edgeCount++;
        }
      }
    }
    moveFarEnds(size, ends, edgeCount, p, among, random);
    return Graph.fromEdges(size, ends, edgeCount);
  }

  /** Moves far ends as {@link #rewired} says; {@code among} null: every agent. */
  private static void moveFarEnds(int size, int[] ends, int edgeCount, double p, int[] among,
                                  Streams.RandomStream random) {
    EdgeSet present = new EdgeSet(Math.max(1, edgeCount));
    int[] degree = new int[size];
    for (int e = 0; e < edgeCount; e++) {
      present.add(ends[2 * e], ends[2 * e + 1]);
      degree[ends[2 * e]]++;
      degree[ends[2 * e + 1]]++;
    }
    int choices = among == null ? size : among.length;
    for (int e = 0; e < edgeCount; e++) {
      int a = ends[2 * e];
      if (random.nextDouble() >= p || degree[a] >= choices - 1) {
        continue;
      }
      int w = among == null ? random.nextInt(size) : among[random.nextInt(choices)];
      while (w == a || present.contains(a, w)) {
        w = among == null ? random.nextInt(size) : among[random.nextInt(choices)];
      }
      int old = ends[2 * e + 1];
      present.remove(a, old);
      present.add(a, w);
      degree[old]--;
      degree[w]++;
      ends[2 * e + 1] = w;
    }
  }

  /**
   * Barabási–Albert (Science 286:509, 1999): m + 1 agents linked to each other, then each further
   * agent links to m distinct earlier ones, each drawn with probability proportional to its
   * degree (uniformly from the list of edge ends). Edges: m(m + 1)/2 + (size − m − 1)·m ≈ size·m.
   */
  public static Graph scaleFree(int size, int m, Streams.RandomStream random) {
    int edgeCount = Math.toIntExact(m * (m + 1L) / 2 + (long) (size - m - 1) * m);
    int[] ends = new int[Math.multiplyExact(2, edgeCount)];
    int filled = 0;
    for (int a = 0; a <= m; a++) {
      for (int b = a + 1; b <= m; b++) {
        ends[filled++] = a;
        ends[filled++] = b;
      }
    }
    int[] targets = new int[m];
    for (int newcomer = m + 1; newcomer < size; newcomer++) {
      int before = filled;
      for (int c = 0; c < m; c++) {
        int target;
        do {
          target = ends[random.nextInt(before)];
        } while (contains(targets, c, target));
        targets[c] = target;
      }
      for (int c = 0; c < m; c++) {
        ends[filled++] = newcomer;
        ends[filled++] = targets[c];
      }
    }
    return Graph.fromEdges(size, ends, edgeCount);
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  /**
   * A rows × cols grid wrapped into a torus: agent r·cols + c is linked to its right and lower
   * neighbours (mod the grid), so every agent has 4 (rows, cols ≥ 3).
   */
  public static Graph lattice(int rows, int cols) {
    int size = rows * cols;
    int[] ends = new int[4 * size];
    int e = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int a = r * cols + c;
        ends[e++] = a;
        ends[e++] = r * cols + (c + 1) % cols;
        ends[e++] = a;
        ends[e++] = (r + 1) % rows * cols + c;
      }
    }
    return Graph.fromEdges(size, ends, 2 * size);
  }

  /**
   * The rooms of {@code topology.kind: rooms} as they are at the start, before any seat changes
   * ({@link Rooms}): agent a's room-mates are the others of {@code a / roomSize}. Implicit, as
   * the complete network is; the schedule ({@link RoomPairs}) follows the seats as they mix.
   */
  public static Topology rooms(int size, int roomSize) {
    return new SeatedRooms(size, roomSize);
  }

  /** Agents {@code r·roomSize …} of room r, each linked to the others of its room. */
  private record SeatedRooms(int size, int roomSize) implements Topology {
    @Override
    public int degree(int agent) {
      return roomSize - 1;
    }

    @Override
    public int neighbour(int agent, int i) {
      int first = agent - agent % roomSize;
      return first + i >= agent ? first + i + 1 : first + i;
    }
  }

  /** The network in an edge-list file, checked as {@link EdgeListFile} says. */
  public static Graph edgeList(Path file, int size) {
    EdgeListFile.Edges edges;
    try {
      edges = EdgeListFile.read(file, size);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("topology.file: " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("topology.file: cannot read " + file, e);
    }
    int[] ends = new int[2 * edges.count()];
    for (int e = 0; e < edges.count(); e++) {
      ends[2 * e] = edges.from()[e];
      ends[2 * e + 1] = edges.to()[e];
    }
    return Graph.fromEdges(size, ends, edges.count());
  }

  /**
   * The undirected edges present while a small-world network is rewired: open addressing over
   * packed (low, high) pairs, deletion by backward shift. 16 bytes an edge at most, against some
   * 60 for a {@code HashSet<Long>}.
   */
  private static final class EdgeSet {
    private final long[] slots;
    private final int mask;

    EdgeSet(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
      slots = new long[capacity];
      mask = capacity - 1;
    }

    /** Never 0 (the empty slot): the higher end of an edge is at least 1. */
    private static long key(int a, int b) {
      return (long) Math.min(a, b) << 32 | Math.max(a, b);
    }

    private int home(long key) {
      return (int) Streams.mix64(key) & mask;
    }

    boolean contains(int a, int b) {
      long key = key(a, b);
      for (int i = home(key); slots[i] != 0; i = (i + 1) & mask) {
        if (slots[i] == key) {
          return true;
        }
      }
      return false;
    }

    void add(int a, int b) {
      long key = key(a, b);
      int i = home(key);
      while (slots[i] != 0 && slots[i] != key) {
        i = (i + 1) & mask;
      }
      slots[i] = key;
    }

    void remove(int a, int b) {
      long key = key(a, b);
      int i = home(key);
      while (slots[i] != key) {
        if (slots[i] == 0) {
          return;
        }
        i = (i + 1) & mask;
      }
      slots[i] = 0;
      // Moves back every later key of the run whose home does not lie cyclically in (i, j].
      for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
        int h = home(slots[j]);
        boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
        if (!stays) {
          slots[i] = slots[j];
          slots[j] = 0;
          i = j;
        }
      }
    }
  }
}
