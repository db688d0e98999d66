package dev.norma.protocols.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Who may meet whom: the interaction network. Each field belongs to the kinds that use it; unset
 * fields take the kind's default, and a field set for a kind that does not use it is an error.
 *
 * @param kind {@code complete} (everyone meets everyone, the default), {@code ring} (each agent
 *             linked to its k nearest on a circle), {@code small-world} (Watts–Strogatz: the ring
 *             with each link rewired with probability p), {@code scale-free} (Barabási–Albert:
 *             each new agent links to m others, preferentially to well-linked ones),
 *             {@code lattice} (a 2-D grid with wraparound, 4 neighbours each), {@code edges}
 *             (read from an edge-list file, see {@link EdgeListFile}) or {@code rooms} (the
 *             population seated in rooms of equal size, meeting only room-mates, with seats mixed
 *             between periods; a period is one population round)
 * @param k    ring and small-world: neighbours of each agent in all (even; k/2 on each side), default 4
 * @param p    small-world: the rewiring probability, default 0.1
 * @param m    scale-free: links each new agent makes, default 2
 * @param rows lattice: rows of the grid; unset with cols unset, the population size must be a square
 * @param cols lattice: columns of the grid (rows × cols = population.size)
 * @param file edges: the edge-list file; a relative path in a spec file is relative to that file
 * @param size rooms: agents per room, 2 or more, dividing population.size; default 10 (the café
 *             of Ren et al.'s CRSEC study)
 * @param moveProbability rooms: the chance that an agent leaves its seat before each period after
 *             the first (the leavers trade seats, so rooms keep their size), default 0.1
 */
public record TopologySpec(String kind, Integer k, Double p, Integer m, Integer rows, Integer cols, String file,
                           Integer size, Double moveProbability) {
  public static final String COMPLETE = "complete";
  public static final String RING = "ring";
  public static final String SMALL_WORLD = "small-world";
  public static final String SCALE_FREE = "scale-free";
  public static final String LATTICE = "lattice";
  public static final String EDGES = "edges";
  public static final String ROOMS = "rooms";
  public static final List<String> KINDS = List.of(COMPLETE, RING, SMALL_WORLD, SCALE_FREE, LATTICE, EDGES, ROOMS);
  public static final int DEFAULT_K = 4;
  public static final double DEFAULT_P = 0.1;
  public static final int DEFAULT_M = 2;
  public static final int DEFAULT_ROOM_SIZE = 10;
  public static final double DEFAULT_MOVE_PROBABILITY = 0.1;
  /** A lattice side below 3 would make a node's two neighbours along it the same agent. */
  static final int MIN_SIDE = 3;

  public TopologySpec {
    kind = kind == null ? COMPLETE : kind;
  }

  @JsonCreator(mode = JsonCreator.Mode.DISABLED)
  public TopologySpec(String kind) {
    this(kind, null, null, null, null, null, null, null, null);
  }

  public boolean complete() {
    return COMPLETE.equals(kind);
  }

  public boolean rooms() {
    return ROOMS.equals(kind);
  }

  /** Rooms: agents per room. */
  public int resolvedSize() {
    return size == null ? DEFAULT_ROOM_SIZE : size;
  }

  /** Rooms: the chance that an agent leaves its seat before a period. */
  public double resolvedMoveProbability() {
    return moveProbability == null ? DEFAULT_MOVE_PROBABILITY : moveProbability;
  }

  public int resolvedK() {
    return k == null ? DEFAULT_K : k;
  }

  public double resolvedP() {
    return p == null ? DEFAULT_P : p;
  }

  public int resolvedM() {
    return m == null ? DEFAULT_M : m;
  }

  /** The lattice's rows for {@code populationSize} agents (cols follows); meant for a valid spec. */
  public int resolvedRows(int populationSize) {
    if (rows != null) {
      return rows;
    }
    return cols != null ? populationSize / cols : (int) Math.round(Math.sqrt(populationSize));
  }

  public int resolvedCols(int populationSize) {
    return populationSize / resolvedRows(populationSize);
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    if (!KINDS.contains(kind)) {
      errors.add("kind", "expected one of " + KINDS + ", got '" + kind + "'");
      return;
    }
    boolean ringLike = RING.equals(kind) || SMALL_WORLD.equals(kind);
    onlyFor(errors, "k", k, ringLike, "ring or small-world");
    onlyFor(errors, "p", p, SMALL_WORLD.equals(kind), "small-world");
    onlyFor(errors, "m", m, SCALE_FREE.equals(kind), "scale-free");
    onlyFor(errors, "rows", rows, LATTICE.equals(kind), "lattice");
    onlyFor(errors, "cols", cols, LATTICE.equals(kind), "lattice");
    onlyFor(errors, "file", file, EDGES.equals(kind), "edges");
    onlyFor(errors, "size", size, rooms(), "rooms");
    onlyFor(errors, "moveProbability", moveProbability, rooms(), "rooms");
    if (!complete() && ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind())) {
      errors.add("kind", "'" + kind + "' needs schedule.kind 'sequential' or 'rounds': the continuous schedule pairs"
          + " whichever agents are free, from the whole population ('complete' only)");
    }
    int n = spec.population().size();
    if (n < 2) {
      return; // population.size reports it; the ranges below depend on it
    }
    if (ringLike && (resolvedK() < 2 || resolvedK() % 2 != 0 || resolvedK() > n - 1)) {
      errors.add("k", "expected an even number of neighbours from 2 to " + (n - 1) + " (below population.size " + n
          + "), got " + resolvedK());
    }
    if (SMALL_WORLD.equals(kind) && (Double.isNaN(resolvedP()) || resolvedP() < 0 || resolvedP() > 1)) {
      errors.add("p", "expected a rewiring probability in [0, 1], got " + resolvedP());
    }
    if (SCALE_FREE.equals(kind) && (resolvedM() < 1 || resolvedM() > n - 1)) {
      errors.add("m", "expected 1.." + (n - 1) + " links per new agent (below population.size " + n + "), got "
          + resolvedM());
    }
    if (LATTICE.equals(kind)) {
      validateLattice(errors, n);
    }
    if (EDGES.equals(kind)) {
      validateFile(errors, n);
    }
    if (rooms()) {
      validateRooms(errors, n);
    }
  }

  private void validateRooms(SpecErrors errors, int n) {
    int roomSize = resolvedSize();
    if (roomSize < 2 || roomSize > n || n % roomSize != 0) {
      errors.add("size", "expected agents per room, from 2 to " + n + " and dividing population.size " + n
          + " (every room full), got " + roomSize + (size == null ? " (the default)" : ""));
    }
    double move = resolvedMoveProbability();
    if (Double.isNaN(move) || move < 0 || move > 1) {
      errors.add("moveProbability", "expected a probability in [0, 1] (that an agent changes seats before a"
          + " period), got " + move);
    }
  }

  private static void onlyFor(SpecErrors errors, String field, Object value, boolean used, String kinds) {
    if (value != null && !used) {
      errors.add(field, "applies only to topology.kind " + kinds);
    }
  }

  private void validateLattice(SpecErrors errors, int n) {
    if (rows == null && cols == null) {
      int side = (int) Math.round(Math.sqrt(n));
      if (side * side != n) {
        errors.add("rows", "population.size " + n + " is not a square: give topology.rows and topology.cols"
            + " (rows × cols = " + n + ")");
      } else if (side < MIN_SIDE) {
        errors.add("rows", "expected a grid at least " + MIN_SIDE + " × " + MIN_SIDE + ", got " + side + " × " + side);
      }
      return;
    }
    for (String field : List.of("rows", "cols")) {
      Integer value = "rows".equals(field) ? rows : cols;
      if (value != null && value < MIN_SIDE) {
        errors.add(field, "expected at least " + MIN_SIDE + " (a smaller side makes two neighbours one agent), got "
            + value);
        return;
      }
    }
    int given = rows != null ? rows : cols;
    if (rows != null && cols != null ? (long) rows * cols != n : n % given != 0 || n / given < MIN_SIDE) {
      errors.add(rows != null ? "rows" : "cols", "expected rows × cols = population.size " + n + ", got rows "
          + (rows == null ? "unset" : rows) + " and cols " + (cols == null ? "unset" : cols));
    }
  }

  private void validateFile(SpecErrors errors, int n) {
    if (file == null || file.isBlank()) {
      errors.add("file", "expected the path of an edge-list file for topology.kind 'edges'");
      return;
    }
    String refused = errors.rules() == null ? null : errors.rules().pathProblem(file, false);
    if (refused != null) {
      errors.add("file", refused);
      return;
    }
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      errors.add("file", "not a path: '" + file + "'");
      return;
    }
    if (!Files.isRegularFile(path)) {
      errors.add("file", "no such file: " + file);
      return;
    }
    try {
      EdgeListFile.read(path, n);
    } catch (IllegalArgumentException e) {
      errors.add("file", file + ": " + e.getMessage());
    } catch (IOException e) {
      errors.add("file", "cannot read " + file + ": " + e.getMessage());
    }
  }
}
