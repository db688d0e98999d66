package dev.norma.runtime.study;

import dev.norma.agents.study.StudyPlan;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * What every agent entity of one run on one node shares: the run's plan (derived from the spec
 * and seed, identical on every node), the run's shard region and the node's norm registry. Held
 * by the node ({@link NodeStudies}), never sent in messages.
 */
public record StudyContext(String runId, StudyPlan plan,
                           ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                           ActorRef<NormRegistry.Command> registry) {
}
