package dev.norma.runtime.study;

import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.wire.CborSerializable;
import dev.norma.runtime.inference.LlmDeliberation;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * One run's part on one node of a cluster: the node's norm registry for the run and its shard
 * region of the run's agents (durable entities, or in-memory ones whose shards never move, passivated
 * into this node's {@link PassivatedAgents} when idle), and for an in-memory run spread over the
 * nodes its {@link Crossings}. Every node starts it when it learns of the run, so shards spread
 * over all of them.
 *
 * <p>When the run is over its coordinator announces {@link Ended} to every node's
 * {@link #PARTS} ({@link #announceEnd}), and each node lets go of its part ({@link #release}): the
 * registry stops (the crossings with it) and the shard region hands its shards off and stops. A
 * node that serves study after study would otherwise keep every finished run's region, shards and
 * agents' store; what stays is the coordinator, for the run's status.
 */
public final class RunOnNode {
  private RunOnNode() {
  }

  /** A run is over: each node lets go of its part of it. */
  public record Ended(String runId) implements CborSerializable {
  }

  /** Where each node hears that a run it holds a part of is over (one registration per node). */
  public static final ServiceKey<Ended> PARTS = ServiceKey.create(Ended.class, "norma-run-parts");

  /**
   * Tells every node registered under {@link #PARTS} that {@code runId} is over, then stops: spawn
   * it where the run ended. A node that is not reachable now keeps its part until it restarts.
   */
  static Behavior<Receptionist.Listing> announceEnd(String runId) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.find(PARTS, context.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        for (ActorRef<Ended> part : listing.getServiceInstances(PARTS)) {
          part.tell(new Ended(runId));
        }
        return Behaviors.stopped();
      });
    });
  }

  /**
   * Lets go of a finished run's part on this node: its registry stops (its crossings stop with it)
   * and its shard region hands off its shards, stopping the agents left, and stops.
   */
  public static void release(StudyContext part) {
    part.registry().tell(NormRegistry.Stop.INSTANCE);
    Adapter.toClassic(part.agents()).tell(ShardRegion.gracefulShutdownInstance(),
        org.apache.pekko.actor.ActorRef.noSender());
  }

  /**
   * Starts the run's registry (spawned in {@code context}) and shard region on this node.
   *
   * @param batches      where the registry sends its batches (the run's coordinator)
   * @param deliberation how this node's language-model agents decide (through its gateway), or
   *                     null when the policy decides in place
   */
  public static StudyContext start(ActorContext<?> context, String runId, StudyPlan plan, RunSettings settings,
                                   boolean durable, ActorRef<NormRegistry.RecordBatch> batches,
                                   LlmDeliberation deliberation) {
    return start(context, runId, plan, settings, durable, batches, deliberation, null, null);
  }

  /**
   * {@link #start(ActorContext, String, StudyPlan, RunSettings, boolean, ActorRef, LlmDeliberation)}
   * for a non-durable run whose agents all live on the node {@code home} (null: over every node).
   * Every node starts its region all the same: the shard coordinator is a singleton on the oldest
   * node, which must have the region to run it.
   *
   * @param meters the node's metrics, where its crossings are counted; null: not counted
   */
  public static StudyContext start(ActorContext<?> context, String runId, StudyPlan plan, RunSettings settings,
                                   boolean durable, ActorRef<NormRegistry.RecordBatch> batches,
                                   LlmDeliberation deliberation, Address home, MeterRegistry meters) {
    ActorSystem<?> system = context.getSystem();
    ActorRef<NormRegistry.Command> registry = context.spawn(NormRegistry.create(batches,
        RunLedger.registryBatchSize(plan, settings), settings.registryFlushInterval()),
        "norm-registry-" + runId);
    StudyContext[] study = new StudyContext[1];
    PassivatedAgents passivated = durable || !settings.passivates(plan.populationSize()) ? null
        : new PassivatedAgents(plan.populationSize());
    // Rule-based durable agents are in-memory entities the coordinator restores from its journal
    // (AgentLedger); only language-model agents and the continuous schedule journal themselves.
    boolean throughCoordinator = AgentLedger.journalsAtCoordinator(plan, durable);
    boolean selfJournaled = durable && !throughCoordinator;
    Entity<AgentEntity.Command, ShardingEnvelope<AgentEntity.Command>> entity = AgentEntity.entity(system, runId,
        settings, plan.populationSize(), passivated != null, throughCoordinator, agentId -> selfJournaled
            ? DurableAgentEntity.create(agentId, study[0]) : AgentEntity.create(agentId, study[0], passivated));
    if (!durable) {
      entity = entity.withAllocationStrategy(home == null ? new StayingAllocation()
          : new StayingAllocation(home, org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address()));
    }
    ActorRef<ShardingEnvelope<AgentEntity.Command>> agents = ClusterSharding.get(system).init(entity);
    // Crossings between nodes batched (Crossings): in memory, where shards never move and agents
    // never stop, so a shard's node once learned stays true. Not for a run placed on one node.
    boolean crossing = !durable && passivated == null && home == null;
    AgentsOnNode local = selfJournaled || passivated != null ? null
        : new AgentsOnNode(plan.populationSize(), crossing ? settings.shards() : 0);
    if (crossing) {
      try {
        ActorRef<Crossings.Command> crossings = system.systemActorOf(Crossings.create(local, agents, registry,
            meters == null ? null : Crossings.Meters.on(meters)),
            Crossings.name(runId), Props.empty());
        local.startCrossings(ActorRefResolver.get(system), runId, crossings);
      } catch (org.apache.pekko.actor.InvalidActorNameException e) {
        // The run's part started here before and its crossings have not stopped yet: this part
        // reaches other nodes' agents through sharding, which is slower but the same.
        context.getLog().warn("run {}: {}; its agents here reach other nodes through sharding", runId, e.getMessage());
      }
    }
    study[0] = new StudyContext(runId, plan, agents, registry, deliberation, null, local, throughCoordinator);
    return study[0];
  }
}
