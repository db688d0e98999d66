package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.StudyPlan;
import dev.norma.runtime.inference.LlmDeliberation;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * What every agent entity of one run on one node shares: the run's plan (derived from the spec
 * and seed, identical on every node), the run's shard region and the node's norm registry. Held
 * by the node ({@link NodeStudies}), never sent in messages.
 *
 * @param deliberation    how language-model agents decide (through the node's inference gateway), or
 *                        null when the policy decides in place
 * @param journalFailures told when a durable agent cannot read its journal back or write to it (a
 *                        line saying which agent and why), so that a local run on a damaged
 *                        journal ends instead of re-driving forever; null where nobody listens
 * @param local           the run's live agents on this node, to reach a partner here directly; null
 *                        where agents may stop or move while the run lasts (durable, passivated)
 * @param restoredByCoordinator whether the agents are journaled through the coordinator
 *                        ({@link AgentLedger}): each takes its state from the coordinator
 *                        ({@link AgentEntity.Restore}) before its first turn
 */
public record StudyContext(String runId, StudyPlan plan,
                           ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                           ActorRef<NormRegistry.Command> registry, LlmDeliberation deliberation,
                           Consumer<String> journalFailures, AgentsOnNode local, boolean restoredByCoordinator)
    implements AgentCore.Rules {

  public StudyContext(String runId, StudyPlan plan, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                      ActorRef<NormRegistry.Command> registry, LlmDeliberation deliberation,
                      Consumer<String> journalFailures, AgentsOnNode local) {
    this(runId, plan, agents, registry, deliberation, journalFailures, local, false);
  }

  public StudyContext(String runId, StudyPlan plan, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                      ActorRef<NormRegistry.Command> registry, LlmDeliberation deliberation,
                      Consumer<String> journalFailures) {
    this(runId, plan, agents, registry, deliberation, journalFailures, null);
  }

  public StudyContext(String runId, StudyPlan plan, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                      ActorRef<NormRegistry.Command> registry, LlmDeliberation deliberation) {
    this(runId, plan, agents, registry, deliberation, null);
  }

  public StudyContext(String runId, StudyPlan plan, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                      ActorRef<NormRegistry.Command> registry) {
    this(runId, plan, agents, registry, null);
  }

  @Override
  public Game<Mind> game() {
    return plan.game();
  }
}
