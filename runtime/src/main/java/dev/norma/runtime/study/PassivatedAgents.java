package dev.norma.runtime.study;

import dev.norma.protocols.journal.MindState;
import java.util.List;

/**
 * What the in-memory agents of one run on one node keep while sharding has passivated them: per
 * agent, its mind and its turn count packed into one {@code int[]}, in an array indexed by agent
 * id. An idle agent costs its packed state (about 64 bytes for a naming-game mind of H = 5) and a
 * slot here, instead of a live actor (about 1.1 KB of Pekko alone); it is spawned again, and takes
 * back its state from here, when its next turn arrives.
 *
 * <p>Only an agent that waits for nothing is passivated ({@link AgentEntity} defers its stop
 * otherwise), so its mind and turn count are all it has: what it set aside goes back through its
 * shard. A durable agent needs no slot here: it recovers from its journal.
 *
 * <p>No locks: an agent's slot is written by its entity as it stops and read by the next
 * incarnation, which sharding spawns only after the first has terminated (the termination, seen
 * by the shard, orders the two). Agents are spread over the nodes of a cluster; each node's store
 * holds slots only for the agents it hosted, and is lost with the node, as its live agents are.
 */
final class PassivatedAgents {
  /** Packed state: {@code [nextSequence, random (2 ints), committedFromIndex (2 ints), contents...]}. */
  private static final int HEADER = 5;

  private final int[][] states;

  /** @param population the run's agent ids are {@code 0 .. population - 1} */
  PassivatedAgents(int population) {
    this.states = new int[population][];
  }

  /** Keeps {@code core}'s mind and turn count; the agent must wait for nothing. */
  void keep(AgentCore core) {
    int id = core.mind().id();
    MindState mind = core.mind().save();
    int[] contents = mind.contents();
    int[] packed = states[id];
    if (packed == null || packed.length != HEADER + contents.length) {
      packed = new int[HEADER + contents.length];
    }
    packed[0] = core.nextSequence();
    packed[1] = (int) (mind.randomState() >>> 32);
    packed[2] = (int) mind.randomState();
    packed[3] = (int) (mind.committedFromIndex() >>> 32);
    packed[4] = (int) mind.committedFromIndex();
    System.arraycopy(contents, 0, packed, HEADER, contents.length);
    states[id] = packed;
  }

  /**
   * Gives a fresh {@code core} (one that has taken no turn) the state its agent was passivated
   * with.
   *
   * @return whether the agent had been passivated before (false: it starts fresh)
   */
  boolean restore(AgentCore core) {
    int[] packed = states[core.mind().id()];
    if (packed == null) {
      return false;
    }
    int[] contents = new int[packed.length - HEADER];
    System.arraycopy(packed, HEADER, contents, 0, contents.length);
    core.restore(new MindState(joined(packed[1], packed[2]), joined(packed[3], packed[4]), contents),
        packed[0], List.of());
    return true;
  }

  /** Agents with a passivated state here. */
  int count() {
    int count = 0;
    for (int[] packed : states) {
      if (packed != null) {
        count++;
      }
    }
    return count;
  }

  private static long joined(int high, int low) {
    return ((long) high << 32) | (low & 0xFFFFFFFFL);
  }
}
