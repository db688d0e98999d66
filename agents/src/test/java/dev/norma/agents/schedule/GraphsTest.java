package dev.norma.agents.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Specs;
import dev.norma.agents.Streams;
import dev.norma.agents.study.StudyPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The networks' shapes: degrees, edge counts, wraparound, seeds, edge-list files. */
class GraphsTest {
  private static Streams.RandomStream stream(long seed) {
    return new Streams.RandomStream(seed, Streams.TOPOLOGY_STREAM);
  }

  /** Every agent's neighbours as a sorted list, for comparing graphs built in different orders. */
  private static int[][] adjacency(Topology graph) {
    int[][] lists = new int[graph.size()][];
    for (int a = 0; a < graph.size(); a++) {
      lists[a] = new int[graph.degree(a)];
      for (int i = 0; i < lists[a].length; i++) {
        lists[a][i] = graph.neighbour(a, i);
      }
      Arrays.sort(lists[a]);
    }
    return lists;
  }

  /** No self loop, no repeated neighbour, and b in a's list exactly when a is in b's. */
  private static void assertSimpleAndUndirected(Topology graph) {
    int[][] lists = adjacency(graph);
    for (int a = 0; a < lists.length; a++) {
      Set<Integer> seen = new HashSet<>();
      for (int b : lists[a]) {
        assertThat(b).as("self loop at %d", a).isNotEqualTo(a);
        assertThat(seen.add(b)).as("repeated edge %d-%d", a, b).isTrue();
        assertThat(Arrays.binarySearch(lists[b], a)).as("edge %d-%d one way only", a, b).isNotNegative();
      }
    }
  }

  @Test
  void aRingLinksEachAgentToItsKNearest() {
    Graph ring = Graphs.ring(10, 4);
    assertSimpleAndUndirected(ring);
    assertThat(ring.edgeCount()).isEqualTo(20);
    for (int a = 0; a < 10; a++) {
      assertThat(ring.degree(a)).isEqualTo(4);
    }
    assertThat(adjacency(ring)[0]).containsExactly(1, 2, 8, 9);
    assertThat(adjacency(Graphs.ring(5, 2))[4]).containsExactly(0, 3);
    assertThat(Graphs.ring(7, 6).maxDegree()).isEqualTo(6); // k = N - 1: the complete graph
    assertSimpleAndUndirected(Graphs.ring(7, 6));
  }

  @Test
  void aSmallWorldWithoutRewiringIsTheRingAndFullRewiringKeepsTheEdgeCount() {
    assertThat(adjacency(Graphs.smallWorld(200, 4, 0, stream(1)))).isDeepEqualTo(adjacency(Graphs.ring(200, 4)));
    Graph rewired = Graphs.smallWorld(200, 4, 1, stream(1));
    assertSimpleAndUndirected(rewired);
    assertThat(rewired.edgeCount()).isEqualTo(400);
    assertThat(rewired.connected()).isTrue();
    // Each agent keeps its own k/2 links, so none drops below 2.
    assertThat(Arrays.stream(adjacency(rewired)).mapToInt(l -> l.length).min().orElseThrow()).isGreaterThanOrEqualTo(2);
    assertThat(adjacency(rewired)).isNotEqualTo(adjacency(Graphs.ring(200, 4)));

    // p = 0.1 rewires about a tenth of the 1000 links: count those no longer joining ring neighbours.
    Graph small = Graphs.smallWorld(500, 4, 0.1, stream(2));
    assertSimpleAndUndirected(small);
    int farLinks = 0;
    for (int a = 0; a < 500; a++) {
      for (int i = 0; i < small.degree(a); i++) {
        int distance = Math.abs(a - small.neighbour(a, i));
        farLinks += Math.min(distance, 500 - distance) > 2 ? 1 : 0;
      }
    }
    assertThat(farLinks / 2).isBetween(70, 130);
  }

  @Test
  void aScaleFreeNetworkHasAboutNmEdgesAndAHeavyTail() {
    int n = 10_000;
    Graph graph = Graphs.scaleFree(n, 2, stream(3));
    assertSimpleAndUndirected(graph);
    assertThat(graph.edgeCount()).isEqualTo(3 + (n - 3) * 2L);
    assertThat(graph.connected()).isTrue();
    double mean = 2.0 * graph.edgeCount() / n;
    assertThat(mean).isCloseTo(4, org.assertj.core.data.Offset.offset(0.01));
    // Preferential attachment: the largest hub grows as m·√N (≈ 200 here), where attaching
    // uniformly would give a hub of about m·ln N (≈ 20) and the ring of the same mean degree 4.
    assertThat(graph.maxDegree()).isGreaterThan(25 * (int) mean);
    int minDegree = Arrays.stream(adjacency(graph)).mapToInt(l -> l.length).min().orElseThrow();
    assertThat(minDegree).isEqualTo(2);
    assertThat(Graphs.ring(n, 4).maxDegree()).isEqualTo(4);
  }

  @Test
  void aLatticeHasFourNeighboursWithWraparound() {
    Graph lattice = Graphs.lattice(4, 5);
    assertSimpleAndUndirected(lattice);
    assertThat(lattice.edgeCount()).isEqualTo(40);
    for (int a = 0; a < 20; a++) {
      assertThat(lattice.degree(a)).isEqualTo(4);
    }
    // Agent 0 at (0, 0): right (0, 1) = 1, left across the edge (0, 4) = 4, down (1, 0) = 5, up (3, 0) = 15.
    assertThat(adjacency(lattice)[0]).containsExactly(1, 4, 5, 15);
    // Agent 19 at (3, 4): its right is 15 and its lower neighbour 4.
    assertThat(adjacency(lattice)[19]).containsExactly(4, 14, 15, 18);
  }

  @Test
  void theSameSeedGivesTheSameNetworkAndAnotherSeedAnother() {
    for (String kind : new String[] {"small-world", "scale-free"}) {
      Topology first = new StudyPlan(Specs.of("population.size=300", "topology.kind=" + kind), 7).topology();
      Topology again = new StudyPlan(Specs.of("population.size=300", "topology.kind=" + kind), 7).topology();
      Topology other = new StudyPlan(Specs.of("population.size=300", "topology.kind=" + kind), 8).topology();
      assertThat(adjacency(again)).as(kind).isDeepEqualTo(adjacency(first));
      assertThat(adjacency(other)).as(kind).isNotEqualTo(adjacency(first));
    }
  }

  @Test
  void anEdgeListFileBecomesTheNetwork(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("edges.txt");
    Files.writeString(file, "# a triangle and a tail\n0 1\n1 2\n2 0\n2 3\n3 2\n");
    Topology graph = new StudyPlan(Specs.of("population.size=4", "topology.kind=edges",
        "topology.file=" + file), 1).topology();
    assertSimpleAndUndirected(graph);
    assertThat(adjacency(graph)).isDeepEqualTo(new int[][] {{1, 2}, {0, 2}, {0, 1, 3}, {2}});

    Files.writeString(file, "0 1\n1 2\n2 7\n");
    assertThatThrownBy(() -> Graphs.edgeList(file, 4))
        .hasMessage("topology.file: " + file + ": line 3: agent 7 is out of range 0..3 (population.size 4)");
  }

  @Test
  void aMillionAgentsOnAScaleFreeNetworkStaySmall() {
    long before = usedMemory();
    Graph graph = Graphs.scaleFree(1_000_000, 2, stream(4));
    long after = usedMemory();
    assertThat(graph.edgeCount()).isEqualTo(3 + 999_997 * 2L);
    // Offsets (4 MB) and neighbours (16 MB); the 16 MB edge list used while growing is garbage.
    assertThat(after - before).isLessThan(48L << 20);
  }

  private static long usedMemory() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
