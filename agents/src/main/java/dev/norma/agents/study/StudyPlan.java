package dev.norma.agents.study;

import dev.norma.agents.Commitments;
import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.game.Game;
import dev.norma.agents.game.GameSetup;
import dev.norma.agents.game.Games;
import dev.norma.agents.schedule.Graphs;
import dev.norma.agents.schedule.MatchingSchedule;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.schedule.RoomPairs;
import dev.norma.agents.schedule.RoundsSchedule;
import dev.norma.agents.schedule.SequentialSchedule;
import dev.norma.agents.schedule.Topology;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.TopologySpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Everything a run derives from its spec and seed, the same for the actor runtime and the plain
 * loop: the game and policy, who is committed and from when, how minds start, the pair schedule
 * and where the run must end. Pure and deterministic.
 */
public final class StudyPlan {
  private final ExperimentSpec spec;
  private final long seed;
  private final int populationSize;
  private final Game<Mind> game;
  private final BitSet committed;
  private final int committedCount;
  private final CommittedSpec.Introduction introduction;
  private final long introductionIndex;
  private final int committedWord;
  private final int majorityWord;
  private final long maxInteractions;
  private final Topology topology;
  private final Interventions interventions;
  private final NetworkChanges networkChanges;

  @SuppressWarnings("unchecked")
  public StudyPlan(ExperimentSpec spec, long seed) {
    this.spec = spec;
    this.seed = seed;
    this.populationSize = spec.population().size();
    this.committedCount = spec.committedCount();
    GameSpec gameSpec = spec.game();
    CommittedSpec committedSpec = spec.committed();
    List<String> pool = gameSpec.resolvedNames();
    boolean invent = pool.isEmpty();
    List<String> names = new ArrayList<>(pool);
    String committedName = committedCount > 0 || committedSpec.introduction() == CommittedSpec.Introduction.PREPARED
        ? committedSpec.resolvedName(pool) : null;
    String majorityName = committedSpec.introduction() == CommittedSpec.Introduction.PREPARED
        || GameSpec.BINARY_AGREEMENT.equals(gameSpec.kind())
        ? committedSpec.resolvedMajorityName(pool) : null;
    if (invent) {
      // Names given in the spec join the known names; invented words are numbered after them.
      List<String> given = new ArrayList<>(java.util.Arrays.asList(committedName, majorityName));
      spec.interventions().forEach(item -> given.add(item.name()));
      for (String name : given) {
        if (name != null && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    names.addAll(Interventions.addedNames(spec));
    this.committedWord = committedName == null ? -1 : names.indexOf(committedName);
    this.majorityWord = majorityName == null ? -1 : names.indexOf(majorityName);
    this.introduction = committedSpec.introduction();
    this.introductionIndex = committedSpec.introductionRound() * populationSize;
    this.committed = drawCommitted(populationSize, committedCount, seed);
    this.game = (Game<Mind>) Games.forKind(gameSpec.kind())
        .create(new GameSetup(spec, names, invent, committedWord, majorityWord));
    this.interventions = new Interventions(spec, seed, committed, introductionIndex,
        committedCount > 0 ? committedWord : -1,
        game::wordOf);
    long rounds = committedSpec.introductionRound() + spec.stop().maxRounds();
    this.maxInteractions = Math.multiplyExact(rounds, (long) populationSize);
    this.topology = Graphs.forSpec(spec.topology(), populationSize, seed);
    this.networkChanges = new NetworkChanges(spec, seed, topology, interventions);
  }

  /** The committed agents: a seeded uniform draw of {@code count} of the N agents. */
  private static BitSet drawCommitted(int n, int count, long seed) {
    BitSet set = new BitSet(n);
    if (count == 0) {
      return set;
    }
    Streams.RandomStream random = new Streams.RandomStream(seed, Streams.COMMITTED_STREAM);
    // Floyd's algorithm: count distinct ids without materialising a permutation of N.
    for (int j = n - count; j < n; j++) {
      int t = random.nextInt(j + 1);
      set.set(set.get(t) ? j : t);
    }
    return set;
  }

  /** Agent {@code id} as it starts the run: prepared and committed as the spec says. */
  public Mind newMind(int id) {
    Mind mind = game.newMind(id, seed);
    boolean isCommitted = committed.get(id);
    if (isCommitted) {
      mind.commitFrom(introductionIndex);
    }
    Commitments changed = interventions.of(id);
    if (changed != null) {
      mind.followCommitments(changed);
    }
    if (introduction == CommittedSpec.Introduction.PREPARED && !isCommitted) {
      game.prepare(mind, majorityWord);
    } else if (isCommitted && introductionIndex == 0 && !game.simultaneous()) {
      game.prepare(mind, committedWord);
    }
    return mind;
  }

  /**
   * The seeded pair sequence, or null for the timing-dependent {@code continuous} schedule. On
   * {@code topology.kind: rooms} the pairs are drawn within the rooms ({@link RoomPairs}), which
   * take no network interventions (validation refuses them).
   */
  public PairSchedule newSchedule() {
    TopologySpec network = spec.topology();
    if (network.rooms() && deterministic()) {
      return ScheduleSpec.SEQUENTIAL.equals(spec.schedule().kind())
          ? RoomPairs.sequential(populationSize, network.resolvedSize(), network.resolvedMoveProbability(), seed)
          : RoomPairs.matching(populationSize, network.resolvedSize(), network.resolvedMoveProbability(), seed);
    }
    if (deterministic() && !networkChanges.isEmpty()) {
      return networkChanges.newSchedule(spec.schedule().kind(), topology, spec.topology().complete(), seed);
    }
    return switch (spec.schedule().kind()) {
      case ScheduleSpec.SEQUENTIAL -> new SequentialSchedule(topology, seed);
      // The complete graph keeps its shuffle-and-pair-off, so that earlier runs replay.
      case ScheduleSpec.ROUNDS -> spec.topology().complete() ? new RoundsSchedule(populationSize, seed)
          : new MatchingSchedule(topology, seed);
      default -> null;
    };
  }

  /**
   * Who may meet whom at the start, built once per plan from the seed (shared by every schedule
   * of the plan); {@code removeAgents} and {@code rewire} interventions change it later.
   */
  public Topology topology() {
    return topology;
  }

  public boolean deterministic() {
    return !ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind());
  }

  public ExperimentSpec spec() {
    return spec;
  }

  public long seed() {
    return seed;
  }

  public int populationSize() {
    return populationSize;
  }

  public Game<Mind> game() {
    return game;
  }

  public boolean isCommitted(int id) {
    return committed.get(id);
  }

  public int committedCount() {
    return committedCount;
  }

  /**
   * From when the committed name is measured (convergence on it, its flip): the committed
   * minority's introduction, else the first intervention that commits agents.
   */
  public long introductionIndex() {
    return committedCount == 0 && interventions.firstCommitIndex() >= 0 ? interventions.firstCommitIndex()
        : introductionIndex;
  }

  public long introductionRound() {
    return introductionIndex() / populationSize;
  }

  /**
   * The committed word id whose spread is measured: the committed minority's, else the word of
   * the first intervention that commits agents, or -1.
   */
  public int committedWord() {
    return committedCount > 0 ? committedWord : interventions.firstCommitWord();
  }

  /** The spec's interventions, with the agents each changes. */
  public Interventions interventions() {
    return interventions;
  }

  /** The {@code removeAgents} and {@code rewire} interventions, as the schedule follows them. */
  NetworkChanges networkChanges() {
    return networkChanges;
  }

  /** How many agents are committed when interaction {@code index} is played. */
  public int committedAgentsAt(long index) {
    return interventions.committedAt(index);
  }

  /** The hard cap on interactions (stop.maxRounds population rounds after the introduction). */
  public long maxInteractions() {
    return maxInteractions;
  }
}
