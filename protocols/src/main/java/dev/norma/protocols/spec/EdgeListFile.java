package dev.norma.protocols.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An interaction network as a text file ({@code topology.kind: edges}): one undirected edge a
 * line, two agent ids from 0 to N − 1 separated by spaces, tabs or a comma; blank lines and lines
 * starting with {@code #} are skipped.
 *
 * <p>What is refused, and why: an id out of range, a self loop (an agent cannot meet itself), a
 * line that is not two whole numbers (each named by its line number); an agent with no edge (it
 * could never play); and a graph in several parts (a convention could never spread from one part
 * to another, so the run could never converge: almost always a mistake in the file). An edge
 * listed twice, in either direction, counts once: the network is simple, and a repeated line
 * would otherwise silently double how often that pair meets.
 */
public final class EdgeListFile {
  private EdgeListFile() {
  }

  /** The distinct edges, each once with {@code from[e] < to[e]}, sorted. */
  public record Edges(int[] from, int[] to) {
    public int count() {
      return from.length;
    }
  }

  /**
   * Reads and checks {@code file} for a population of {@code populationSize}.
   *
   * @throws IllegalArgumentException naming the line (or the agents) of the first problem
   * @throws IOException              when the file cannot be read
   */
  public static Edges read(Path file, int populationSize) throws IOException {
    long[] packed = new long[1024];
    int count = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] ids = text.split("\\s*,\\s*|\\s+");
        if (ids.length != 2) {
          throw new IllegalArgumentException("line " + lineNumber + ": expected two agent ids, got '" + text + "'");
        }
        int a = id(ids[0], lineNumber, populationSize);
        int b = id(ids[1], lineNumber, populationSize);
        if (a == b) {
          throw new IllegalArgumentException("line " + lineNumber + ": a self loop (" + a + " to " + a
              + "); an agent cannot meet itself");
        }
        if (count == packed.length) {
          packed = Arrays.copyOf(packed, count * 2);
        }
        packed[count++] = (long) Math.min(a, b) << 32 | Math.max(a, b);
      }
    }
    Arrays.sort(packed, 0, count);
    int distinct = 0;
    for (int i = 0; i < count; i++) {
      if (distinct == 0 || packed[distinct - 1] != packed[i]) {
        packed[distinct++] = packed[i];
      }
    }
    int[] from = new int[distinct];
    int[] to = new int[distinct];
    for (int e = 0; e < distinct; e++) {
      from[e] = (int) (packed[e] >>> 32);
      to[e] = (int) packed[e];
    }
    checkConnected(from, to, populationSize);
    return new Edges(from, to);
  }

  private static int id(String text, int lineNumber, int populationSize) {
    int id;
    try {
      id = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + lineNumber + ": expected an agent id (a whole number), got '"
          + text + "'");
    }
    if (id < 0 || id >= populationSize) {
      throw new IllegalArgumentException("line " + lineNumber + ": agent " + id + " is out of range 0.."
          + (populationSize - 1) + " (population.size " + populationSize + ")");
    }
    return id;
  }

  /** Refuses agents without an edge, then graphs in several parts (union–find over the edges). */
  private static void checkConnected(int[] from, int[] to, int populationSize) {
    boolean[] touched = new boolean[populationSize];
    for (int e = 0; e < from.length; e++) {
      touched[from[e]] = true;
      touched[to[e]] = true;
    }
    int isolated = 0;
    int firstIsolated = -1;
    for (int i = 0; i < populationSize; i++) {
      if (!touched[i]) {
        isolated++;
        firstIsolated = firstIsolated < 0 ? i : firstIsolated;
      }
    }
    if (isolated > 0) {
      throw new IllegalArgumentException(isolated + " agent(s) have no edge, the first is agent " + firstIsolated
          + ": an agent without neighbours can never play");
    }
    int[] parent = new int[populationSize];
    for (int i = 0; i < populationSize; i++) {
      parent[i] = i;
    }
    int parts = populationSize;
    for (int e = 0; e < from.length; e++) {
      int a = root(parent, from[e]);
      int b = root(parent, to[e]);
      if (a != b) {
        parent[a] = b;
        parts--;
      }
    }
    if (parts > 1) {
      int apart = 0;
      while (root(parent, apart) == root(parent, 0)) {
        apart++;
      }
      throw new IllegalArgumentException("the graph falls into " + parts + " separate parts (no path from agent 0"
          + " to agent " + apart + "): a convention could never spread between them");
    }
  }

  private static int root(int[] parent, int node) {
    while (parent[node] != node) {
      parent[node] = parent[parent[node]];
      node = parent[node];
    }
    return node;
  }
}
