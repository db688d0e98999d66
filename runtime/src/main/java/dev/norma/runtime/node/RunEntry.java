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
 */
public record RunEntry(String runId, String specYaml, long submittedAtMillis,
                       ActorRef<RunCoordinator.Command> coordinator) implements CborSerializable {
}
