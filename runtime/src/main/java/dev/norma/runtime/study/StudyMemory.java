package dev.norma.runtime.study;

import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import java.util.Locale;

/**
 * How much heap a study needs on one node, estimated from its spec before it starts, so that a
 * study too large for the node is refused instead of killing the JVM with every study on it.
 *
 * <p>The figures are measured, not guessed (see {@code StudyMemoryTest}, which checks this
 * estimate against the live heap of real runs at two population sizes): an idle sharded agent
 * costs about 1,150 bytes of Pekko (actor cell, typed adapter and supervisor, mailbox, props kept
 * for restarts, the shard's maps) plus its own shell and mind; the coordinator, observer, schedule
 * and matchmaker keep a few arrays indexed by agent; every interaction in flight holds its
 * messages and record, and a language-model call its prompt, request and answer; each node's
 * registry holds one batch of records.
 *
 * <p>In-memory agents beyond {@code norma.agents.passivation.active-limit} are passivated: only
 * that many are live actors at once, and every agent keeps its mind packed in the node's
 * {@link PassivatedAgents} (about 40 bytes besides the mind itself).
 *
 * @param agents       agents this node holds (a cluster spreads them over its members)
 * @param perAgent     bytes each of them costs, live or passivated: its share of the per-agent
 *                     arrays, and its packed state when agents are passivated
 * @param liveAgents   agents that are live actors at once (all of them when none is passivated)
 * @param perLiveAgent bytes each live agent costs besides: Pekko's floor, its shell and mind
 * @param inFlight     interactions (or language-model calls) in flight at once
 * @param perInFlight  bytes each one holds
 * @param batchBytes   the registry's batch and the coordinator's reorder ring (and a durable
 *                     study's journal; for rule-based agents journaled through the coordinator,
 *                     its ledger of every agent's mind)
 */
public record StudyMemory(long agents, long perAgent, long liveAgents, long perLiveAgent, long inFlight,
                          long perInFlight, long batchBytes) {

  /** Pekko's per-entity floor under typed sharding, measured with a class histogram. */
  static final long ENTITY_FLOOR_BYTES = 1_150;
  /** An agent shell (its fields, the random stream, the mind object) besides its memory. */
  static final long AGENT_SHELL_BYTES = 150;
  /**
   * A durable agent's extra when it journals itself (language-model agents, the continuous
   * schedule): its event-sourced behavior's state, recovery bookkeeping and what it keeps to
   * answer again. Measured once as the test does (rounds schedule, every agent live, after a full
   * collection) with the H2 journal: 28.4 MB at 4,000 agents, 57.5 MB at 12,000, so about 3,630
   * bytes an agent and 14 MB for the journal itself.
   */
  static final long DURABLE_AGENT_BYTES = 2_250;
  /**
   * A durable agent's extra when it is journaled through the coordinator ({@link AgentLedger}): the
   * interactions it keeps to answer again; and, on the coordinator's node, the ledger's core
   * around its second copy of the mind. Measured as the test does: 19.9 MB at 8,000 agents and
   * 46.7–47.7 MB at 24,000 (estimated 27.8 and 52.0 MB).
   */
  static final long LEDGER_AGENT_BYTES = 50;
  /** A durable study's journal: the connection pool, the database's page cache, the plugin's buffers. */
  static final long DURABLE_BASE_BYTES = 14L << 20;
  /** Arrays indexed by agent: observer, schedule, matchmaker sequences, committed set. */
  static final long PER_AGENT_ARRAYS_BYTES = 40;
  /**
   * A passivated agent's packed state besides its mind: the array's header, the turn count, random
   * stream and commitment, and its slot in the store.
   */
  static final long PASSIVATED_AGENT_BYTES = 40;
  /** One rule-based interaction in flight: Play, Propose, Answer, its record, its slot in the window. */
  static final long INTERACTION_BYTES = 400;
  /** One language-model call in flight: its prompt, the request body, the answer, the journal line. */
  static final long LLM_CALL_BYTES = 16_384;
  /** One interaction record waiting in a batch or in the coordinator's reorder window. */
  static final long RECORD_BYTES = 120;

  /**
   * @param nodes      the members the agents are spread over (1 on one machine)
   * @param batchSize  the registry's batch size ({@code norma.registry.batch-size})
   */
  public static StudyMemory of(ExperimentSpec spec, int nodes, int batchSize) {
    return of(spec, nodes, batchSize, 0);
  }

  /**
   * @param nodes            the members the agents are spread over (1 on one machine)
   * @param batchSize        the registry's batch size ({@code norma.registry.batch-size})
   * @param activeAgentLimit live in-memory agents a node keeps per run
   *                         ({@code norma.agents.passivation.active-limit}; 0: no limit)
   */
  public static StudyMemory of(ExperimentSpec spec, int nodes, int batchSize, int activeAgentLimit) {
    long population = spec.population().size();
    long agents = (population + nodes - 1) / Math.max(1, nodes);
    GameSpec game = spec.game();
    long mind = Games.forKind(game.kind()).mindBytes(spec);
    boolean passivated = !spec.durable() && activeAgentLimit > 0 && agents > activeAgentLimit;
    long perAgent = PER_AGENT_ARRAYS_BYTES + (passivated ? PASSIVATED_AGENT_BYTES + mind : 0);
    long liveAgents = passivated ? activeAgentLimit : agents;
    boolean llm = PolicySpec.LLM.equals(spec.policy().resolvedKind(game));
    boolean throughCoordinator = spec.durable() && !llm && !ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind());
    long durableExtra = !spec.durable() ? 0 : throughCoordinator ? LEDGER_AGENT_BYTES : DURABLE_AGENT_BYTES;
    // The coordinator's ledger holds every agent's mind on one node, whichever it is: counted whole on each.
    long ledger = throughCoordinator ? saturatingMultiply(population, mind + LEDGER_AGENT_BYTES) : 0;
    long perLiveAgent = ENTITY_FLOOR_BYTES + AGENT_SHELL_BYTES + mind + durableExtra;
    long window = spec.schedule().inFlight();
    long inFlight = Math.min(window, Math.max(1, population / 2));
    long perInFlight = INTERACTION_BYTES;
    if (llm) {
      // The matchmaker admits at most twice what the endpoints can take; each interaction has
      // at most one call outstanding.
      long capacity = 0;
      for (EndpointSpec endpoint : spec.inference().endpoints()) {
        capacity += endpoint.maxInFlight();
      }
      inFlight = Math.min(inFlight, Math.max(1, 2 * capacity));
      perInFlight += LLM_CALL_BYTES;
    }
    // The registry's batch, and the coordinator's reorder ring: records held behind an earlier
    // interaction, at most a reach past the first unrecorded one.
    long batchBytes = RECORD_BYTES * (Math.min(batchSize, Math.max(1, window / 4))
        + (long) RunLedger.REACH * window)
        + (spec.durable() ? DURABLE_BASE_BYTES : 0);
    batchBytes = saturatingAdd(batchBytes, ledger);
    return new StudyMemory(agents, perAgent, liveAgents, perLiveAgent, inFlight, perInFlight, batchBytes);
  }

  /** Bytes the study needs on this node. */
  public long bytes() {
    return saturatingAdd(saturatingAdd(saturatingMultiply(agents, perAgent), saturatingMultiply(liveAgents, perLiveAgent)),
        inFlight * perInFlight + batchBytes);
  }

  /** One line: the estimate and what it is made of. */
  public String describe() {
    return "about " + size(bytes()) + " (" + breakdown() + ")";
  }

  /** What the estimate is made of. */
  public String breakdown() {
    String live = liveAgents == agents
        ? String.format(Locale.ROOT, "%,d agents × %,d bytes", agents, perAgent + perLiveAgent)
        : String.format(Locale.ROOT, "%,d agents × %,d bytes, %,d of them live × %,d bytes more", agents, perAgent,
            liveAgents, perLiveAgent);
    return String.format(Locale.ROOT, "%s, %,d in flight × %,d bytes", live, inFlight, perInFlight);
  }

  /** Bytes in the largest unit that keeps a number above 1 (KB, MB, GB, TB: powers of 1,024). */
  public static String size(long bytes) {
    String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static long saturatingMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
