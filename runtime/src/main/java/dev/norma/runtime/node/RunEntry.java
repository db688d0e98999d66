package dev.norma.runtime.node;

import dev.norma.protocols.wire.CborSerializable;
import dev.norma.runtime.study.RunCoordinator;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A study submitted to the cluster, as every node learns of it (replicated in the run catalogue).
 *
 * @param specYaml    the resolved spec, seed and durability included
 * @param coordinator a non-durable run's coordinator (on the node it was submitted to); null for
 *                    a durable run, whose coordinator is a cluster singleton
 * @param onOneNode   a non-durable run placed whole on its coordinator's node: the other nodes start
 *                    no part of it (no shard region, so every shard is allocated there)
 */
public record RunEntry(String runId, String specYaml, long submittedAtMillis,
                       ActorRef<RunCoordinator.Command> coordinator, boolean onOneNode) implements CborSerializable {
}
