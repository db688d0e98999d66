package dev.norma.runtime.node;

import java.util.List;

import dev.norma.runtime.study.RunCoordinator;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What one node knows of a run it has started: where to reach its coordinator (a singleton proxy
 * or the coordinator itself), and, for a non-durable run, why it was lost when the node holding
 * its coordinator left.
 */
public final class RunHandle {
  private final String runId;
  private final String name;
  private final boolean durable;
  private final ActorRef<RunCoordinator.Command> coordinator;
  private final boolean onOneNode;
  private final boolean encounters;
  private volatile String lostReason;
  private volatile List<Integer> releasedShards;

  RunHandle(String runId, String name, boolean durable, ActorRef<RunCoordinator.Command> coordinator,
            boolean onOneNode) {
    this(runId, name, durable, coordinator, onOneNode, false);
  }

  /** @param encounters whether the run is an encounter game's (its agents are {@code EncounterAgent}s) */
  RunHandle(String runId, String name, boolean durable, ActorRef<RunCoordinator.Command> coordinator,
            boolean onOneNode, boolean encounters) {
    this.encounters = encounters;
    this.runId = runId;
    this.name = name;
    this.durable = durable;
    this.coordinator = coordinator;
    this.onOneNode = onOneNode;
  }

  /** Whether the run lives wholly on its coordinator's node (its agents too). */
  public boolean onOneNode() {
    return onOneNode;
  }

  /** Whether the run is an encounter game's, whose agents are {@code EncounterAgent} entities. */
  public boolean encounters() {
    return encounters;
  }

  public String runId() {
    return runId;
  }

  public String name() {
    return name;
  }

  public boolean durable() {
    return durable;
  }

  public ActorRef<RunCoordinator.Command> coordinator() {
    return coordinator;
  }

  /** Why the run cannot go on, or null. */
  public String lostReason() {
    return lostReason;
  }

  /** Whether the run is over and this node has let go of its part (its shard region stopped). */
  public boolean released() {
    return releasedShards != null;
  }

  /** The shards of the run's agents this node held when it let go of its part; empty before. */
  public List<Integer> releasedShards() {
    return releasedShards == null ? List.of() : releasedShards;
  }

  void release(List<Integer> shards) {
    releasedShards = List.copyOf(shards);
  }

  void lose(String reason) {
    if (lostReason == null) {
      lostReason = reason;
    }
  }
}
