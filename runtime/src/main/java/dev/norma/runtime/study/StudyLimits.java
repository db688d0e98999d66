package dev.norma.runtime.study;

import com.typesafe.config.Config;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.Locale;

/**
 * What one study may take of a node, read once from {@code norma.limits}: a study whose memory
 * estimate ({@link StudyMemory}) does not fit is refused before it starts, so that one request
 * cannot kill a node (and every study on it) with an OutOfMemoryError.
 *
 * @param maxAgents the most agents one study may have, whatever the heap (0: only the heap limits)
 * @param heapShare the share of the JVM's max heap ({@code -Xmx}) one study's estimate may take;
 *                  the rest is for the runtime itself, other studies, and the collector's headroom
 * @param activeAgentLimit live in-memory agents a node keeps per run before it passivates them
 *                  ({@code norma.agents.passivation.active-limit}; 0: no limit)
 */
public record StudyLimits(long maxAgents, double heapShare, int activeAgentLimit) {

  /** Limits for agents that are never passivated. */
  public StudyLimits(long maxAgents, double heapShare) {
    this(maxAgents, heapShare, 0);
  }

  /**
   * The heap live after the latest collection, measured: on a node, what its running studies
   * hold plus the runtime's own (which the node measures once at start and subtracts). Measured
   * rather than summed from the studies' estimates, so a study that ended frees its share at once.
   */
  public static long liveHeap() {
    long live = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    return live;
  }

  public static StudyLimits fromConfig(Config config) {
    Config limits = config.getConfig("norma.limits");
    return new StudyLimits(limits.getLong("max-agents"), limits.getDouble("heap-share"),
        RunSettings.fromConfig(config).activeAgentLimit());
  }

  /**
   * Why this study cannot run here, in one line naming {@code population.size}, or null.
   *
   * @param nodes     the members its agents are spread over
   * @param batchSize the registry's batch size
   * @param maxHeap   the JVM's max heap ({@link Runtime#maxMemory()})
   */
  public String refusal(ExperimentSpec spec, int nodes, int batchSize, long maxHeap) {
    return refusal(spec, nodes, batchSize, maxHeap, 0);
  }

  /**
   * As {@link #refusal(ExperimentSpec, int, int, long)}, on a node already holding studies.
   *
   * @param othersLive what the node's other studies hold: live heap beyond the runtime's own
   */
  public String refusal(ExperimentSpec spec, int nodes, int batchSize, long maxHeap, long othersLive) {
    long population = spec.population().size();
    if (maxAgents > 0 && population > maxAgents) {
      return String.format(Locale.ROOT, "population.size: %,d agents is more than the %,d this node accepts"
          + " (norma.limits.max-agents, --max-agents)", population, maxAgents);
    }
    StudyMemory memory = StudyMemory.of(spec, nodes, batchSize, activeAgentLimit);
    long allowed = Math.max(0, (long) (maxHeap * heapShare) - Math.max(0, othersLive));
    if (memory.bytes() > allowed) {
      return String.format(Locale.ROOT, "population.size: %,d agents need about %s of heap%s (%s), more than the"
              + " %s this node allows a study (%.0f%% of its %s max heap%s; raise it with -Xmx,"
              + " e.g. NORMA_JAVA_OPTS=-Xmx16g)",
          population, StudyMemory.size(memory.bytes()), nodes > 1 ? " on each of " + nodes + " nodes" : "",
          memory.breakdown(), StudyMemory.size(allowed), heapShare * 100, StudyMemory.size(maxHeap),
          othersLive > 0 ? ", less the " + StudyMemory.size(othersLive) + " its running studies hold" : "");
    }
    return null;
  }
}
