package dev.norma.agents.study;

import dev.norma.agents.Commitments;
import dev.norma.agents.Streams;
import dev.norma.agents.schedule.ChangingSchedule;
import dev.norma.agents.schedule.Graphs;
import dev.norma.agents.schedule.MatchingSchedule;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.schedule.PresentAgents;
import dev.norma.agents.schedule.RoundsSchedule;
import dev.norma.agents.schedule.SequentialSchedule;
import dev.norma.agents.schedule.Topology;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.TopologySpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The interventions that change who meets whom, resolved once from the spec and the run seed:
 * {@code removeAgents} (a seeded draw of agents leaves; the schedule never picks them again) and
 * {@code rewire} (the schedule draws along another network from then on). Pure, like
 * {@link Interventions}, which draws who leaves through {@link #leaving}.
 *
 * <p>Each change starts a phase: the network in force restricted to the agents still present
 * ({@link PresentAgents}). A new network ({@code topology}) is built over the whole population as
 * the spec's own would be, from the run seed's {@link Streams#rewireStream} for the
 * intervention's position; {@code p} rewires the network in force among the present agents. The
 * schedule of each phase continues the run's schedule stream (see {@link ChangingSchedule}).
 */
final class NetworkChanges {

  /**
   * The schedule's world from an index on.
   *
   * @param from     the first interaction index it applies to
   * @param present  who may meet whom, and who plays
   * @param complete whether the network is the complete one (the rounds schedule then shuffles
   *                 and pairs off, as without interventions)
   */
  record Phase(long from, PresentAgents present, boolean complete) {
  }

  private final List<Phase> phases;

  NetworkChanges(ExperimentSpec spec, long seed, Topology base, Interventions interventions) {
    int n = spec.population().size();
    BitSet present = new BitSet(n);
    present.set(0, n);
    Topology network = base;
    boolean complete = spec.topology().complete();
    PresentAgents inForce = null;
    List<Phase> found = new ArrayList<>();
    for (Interventions.Applied applied : interventions.applied()) {
      InterventionSpec item = spec.interventions().get(applied.position());
      if (!handles(item)) {
        continue;
      }
      if (InterventionSpec.REMOVE_AGENTS.equals(item.action())) {
        for (int id : applied.agents()) {
          present.clear(id);
        }
      } else if (item.topology() != null) {
        network = Graphs.forSpec(item.topology(), n,
            new Streams.RandomStream(seed, Streams.rewireStream(applied.position())));
        complete = item.topology().complete();
      } else {
        Topology current = inForce == null ? PresentAgents.of(network, present).topology() : inForce.topology();
        network = Graphs.rewired(current, present.stream().toArray(), item.p(),
            new Streams.RandomStream(seed, Streams.rewireStream(applied.position())));
        complete = false;
      }
      inForce = PresentAgents.of(network, present);
      if (inForce.players().length < 2) {
        throw new IllegalArgumentException("interventions[" + applied.position() + "]: from interaction "
            + applied.index() + " no two agents still present are linked in the network, so nobody could meet");
      }
      found.add(new Phase(applied.index(), inForce, complete));
    }
    this.phases = List.copyOf(found);
  }

  static boolean handles(InterventionSpec item) {
    return InterventionSpec.REMOVE_AGENTS.equals(item.action()) || InterventionSpec.REWIRE.equals(item.action());
  }

  /**
   * Who leaves at a {@code removeAgents} (none at a {@code rewire}): {@code count} or
   * {@code fraction} of the present agents (only those committed, to {@code name} if given, with
   * {@code committed: true} or a name; only the others with {@code committed: false}), drawn from
   * the intervention's stream.
   *
   * @param current each agent's commitment now ({@link Commitments#NONE} for none)
   * @param left    the agents that left before
   */
  static int[] leaving(InterventionSpec item, int position, long seed, int[] current, BitSet left,
                       ToIntFunction<String> wordOf) {
    if (!InterventionSpec.REMOVE_AGENTS.equals(item.action())) {
      return new int[0];
    }
    int word = item.name() == null ? -1 : wordOf.applyAsInt(item.name());
    boolean onlyCommitted = Boolean.TRUE.equals(item.committed()) || item.name() != null;
    boolean onlyOthers = Boolean.FALSE.equals(item.committed());
    int[] candidates = new int[current.length];
    int size = 0;
    for (int id = 0; id < current.length; id++) {
      boolean committed = current[id] != Commitments.NONE;
      boolean fits = !left.get(id) && (onlyCommitted ? committed && (word < 0 || current[id] == word)
          : !onlyOthers || !committed);
      if (fits) {
        candidates[size++] = id;
      }
    }
    candidates = java.util.Arrays.copyOf(candidates, size);
    int present = current.length - left.cardinality();
    // Validation keeps two agents; a draw from everyone that a name narrowed cannot take more.
    int count = Math.min(Math.min(item.resolveCount(size), size), present - 2);
    return Interventions.draw(candidates, Math.max(0, count), seed, position);
  }

  /** What {@code interventions.csv} says in its name column: the name, or the new network. */
  static String describe(InterventionSpec item) {
    if (!InterventionSpec.REWIRE.equals(item.action())) {
      return item.name() == null ? "" : item.name();
    }
    if (item.topology() == null) {
      return "rewired p=" + item.p();
    }
    TopologySpec t = item.topology();
    StringBuilder b = new StringBuilder(t.kind());
    switch (t.kind()) {
      case TopologySpec.RING -> b.append(" k=").append(t.resolvedK());
      case TopologySpec.SMALL_WORLD -> b.append(" k=").append(t.resolvedK()).append(" p=").append(t.resolvedP());
      case TopologySpec.SCALE_FREE -> b.append(" m=").append(t.resolvedM());
      case TopologySpec.LATTICE -> b.append(' ').append(t.rows() == null ? "" : t.rows() + "x")
          .append(t.cols() == null ? "" : t.cols());
      // interventions.csv does not quote this column
      case TopologySpec.EDGES -> b.append(' ')
          .append(java.nio.file.Path.of(t.file()).getFileName().toString().replace(',', '_'));
      default -> {
      }
    }
    return b.toString().strip();
  }

  boolean isEmpty() {
    return phases.isEmpty();
  }

  List<Phase> phases() {
    return phases;
  }

  /**
   * The pair schedule of {@code scheduleKind} ({@code sequential} or {@code rounds}) over
   * {@code base} until the first change, then over each phase, all drawing from one stream.
   */
  PairSchedule newSchedule(String scheduleKind, Topology base, boolean baseComplete, long seed) {
    Streams.RandomStream random = new Streams.RandomStream(seed, Streams.SCHEDULE_STREAM);
    int[] everyone = java.util.stream.IntStream.range(0, base.size()).toArray();
    PairSchedule first = over(scheduleKind, base, null, everyone, baseComplete, random);
    long[] changesAt = new long[phases.size()];
    List<Supplier<PairSchedule>> then = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      Phase phase = phases.get(i);
      changesAt[i] = phase.from();
      then.add(() -> over(scheduleKind, phase.present().topology(), phase.present().players(),
          phase.present().players(), phase.complete(), random));
    }
    return new ChangingSchedule(first, changesAt, then);
  }

  private static PairSchedule over(String scheduleKind, Topology topology, int[] initiators, int[] players,
                                   boolean complete, Streams.RandomStream random) {
    if (ScheduleSpec.SEQUENTIAL.equals(scheduleKind)) {
      return new SequentialSchedule(topology, initiators, random);
    }
    return complete ? new RoundsSchedule(players, random) : new MatchingSchedule(topology, players, random);
  }
}
