package dev.norma.runtime.node;

import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InferenceSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.inference.ApiKeys;
import dev.norma.runtime.inference.ClusterInference;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.inference.ShippedCallLog;
import dev.norma.runtime.metrics.PopulationMeters;
import dev.norma.runtime.study.AgentEntity;
import dev.norma.runtime.study.AgentsOnNode;
import dev.norma.runtime.study.DurableRuns;
import dev.norma.runtime.study.NormRegistry;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.RunCoordinator;
import dev.norma.runtime.study.RunOnNode;
import dev.norma.runtime.study.RunSettings;
import dev.norma.runtime.study.StudyContext;
import dev.norma.runtime.study.StudyLimits;
import dev.norma.runtime.study.TransientJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One per node: learns of the studies submitted to the cluster and starts each one's part on this
 * node: its norm registry and shard region ({@link RunOnNode}), and its coordinator — a cluster
 * singleton for a durable study (it moves to another node if its own dies, and recovers from the
 * journal), or, for a non-durable study, an actor on the node the study was submitted to.
 *
 * <p>An encounter game's run starts this node's region of its agents, and its coordinator with its
 * encounters behind an {@link EncounterRunFront} (on the node that took a non-durable run, a cluster
 * singleton for a durable one), which answers the same protocol as a run coordinator.
 *
 * <p>The run catalogue is a replicated map (Pekko Distributed Data) from run id to
 * {@link RunEntry}; a submission is written to a majority of nodes before it is acknowledged, and
 * gossip brings it to the rest, including nodes that join later.
 *
 * <p>A non-durable study submitted with {@link Submit#onOneNode} lives wholly on the node that took
 * it: every shard of its agents is allocated to that node's region (the other nodes start theirs,
 * empty, and no inference gateway), so its agents never message across nodes (a sweep places many
 * small runs so).
 *
 * <p>A non-durable study cannot survive losing a node (its agents' minds were there): when a
 * member is removed, this node fails the non-durable runs whose coordinator it holds, and marks
 * as lost those whose coordinator was on the removed node.
 *
 * <p>Protocol: {@link Submit} (from the HTTP API). Lifecycle: lives as long as the node.
 */
public final class NodeStudies extends AbstractBehavior<NodeStudies.Command> {

  public interface Command {
  }

  /**
   * Submit a resolved spec (seed and durability set); the reply names the run or the problem.
   *
   * @param onOneNode host the run whole on this node, its agents too (a non-durable run only): a small
   *                  run's agents then never message across nodes
   */
  public record Submit(String specYaml, boolean onOneNode, ActorRef<Submitted> replyTo) implements Command {
  }

  /** @param runId the new run's id, or null when {@code problem} says why there is none */
  public record Submitted(String runId, String problem) {
  }

  private record CatalogChanged(Replicator.SubscribeResponse<LWWMap<String, RunEntry>> response) implements Command {
  }

  private record CatalogUpdated(Replicator.UpdateResponse<LWWMap<String, RunEntry>> response, String runId,
                                ActorRef<Submitted> replyTo) implements Command {
  }

  private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {
  }

  private record MemberUp(ClusterEvent.MemberUp event) implements Command {
  }

  /** A run this node may hold a part of is over (from its coordinator, wherever it is). */
  private record PartEnded(RunOnNode.Ended ended) implements Command {
  }

  /** Letting go of a finished run's part, whose region held {@code shards} here. */
  private record Releasing(String runId, StudyContext part, List<Integer> shards) implements Command {
  }

  /** The replicated run catalogue. */
  static final org.apache.pekko.cluster.ddata.Key<LWWMap<String, RunEntry>> CATALOG = LWWMapKey.create("norma-runs");

  /**
   * @param settings    the runtime's tunables
   * @param dataDir     where coordinators on this node write run directories ({@code runs/<id>})
   * @param selfUrl     this node's HTTP address, reported as where a run's results are
   * @param handles     the runs this node has started, shared with the HTTP API
   * @param meters      the node's metrics (its gateways' meters go there, tagged with the run),
   *                    or null when it serves none
   * @param access      what the studies submitted here may use (endpoints, files, credentials)
   */
  public static Behavior<Command> create(RunSettings settings, Path dataDir, String selfUrl,
                                         Map<String, RunHandle> handles, MeterRegistry meters, NodeAccess access) {
    return Behaviors.setup(context -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, RunEntry>> replicator) ->
            new NodeStudies(context, replicator, settings, dataDir, selfUrl, handles,
                meters == null ? new SimpleMeterRegistry() : meters, access)));
  }

  private final ReplicatorMessageAdapter<Command, LWWMap<String, RunEntry>> replicator;
  private final SelfUniqueAddress selfAddress;
  private final RunSettings settings;
  private final Path dataDir;
  private final String selfUrl;
  private final Map<String, RunHandle> handles;
  private final MeterRegistry meters;
  private final NodeAccess access;
  /** What one study may take of this node: larger ones are refused when submitted. */
  private final StudyLimits limits;
  /** The live heap before any study: the runtime's own, not counted against the studies. */
  private final long runtimeLive;
  /**
   * This node's part of each run of the pairwise engine it holds (registry, shard region), until
   * the run is over; written from the coordinators on this node too.
   */
  private final Map<String, StudyContext> parts = new java.util.concurrent.ConcurrentHashMap<>();

  private NodeStudies(ActorContext<Command> context,
                      ReplicatorMessageAdapter<Command, LWWMap<String, RunEntry>> replicator,
                      RunSettings settings, Path dataDir, String selfUrl, Map<String, RunHandle> handles,
                      MeterRegistry meters, NodeAccess access) {
    super(context);
    this.replicator = replicator;
    this.selfAddress = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.settings = settings;
    this.dataDir = dataDir;
    this.selfUrl = selfUrl;
    this.handles = handles;
    this.meters = meters;
    this.access = access;
    this.limits = StudyLimits.fromConfig(context.getSystem().settings().config());
    this.runtimeLive = StudyLimits.liveHeap();
    replicator.subscribe(CATALOG, CatalogChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberUp.class, MemberUp::new), ClusterEvent.MemberUp.class));
    context.getSystem().receptionist().tell(Receptionist.register(RunOnNode.PARTS,
        context.messageAdapter(RunOnNode.Ended.class, PartEnded::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(CatalogChanged.class, this::onCatalogChanged)
        .onMessage(CatalogUpdated.class, this::onCatalogUpdated)
        .onMessage(MemberRemoved.class, this::onMemberRemoved)
        .onMessage(MemberUp.class, up -> {
          reshare();
          return this;
        })
        .onMessage(PartEnded.class, this::onPartEnded)
        .onMessage(Releasing.class, this::onReleasing)
        .build();
  }

  /** A run is over: this node lets go of its part (the coordinator here stays for its status). */
  private Behavior<Command> onPartEnded(PartEnded ended) {
    String runId = ended.ended().runId();
    StudyContext part = parts.remove(runId);
    if (part != null) {
      // Which shards were here, for /runs/{id}/shards after the region has gone.
      getContext().pipeToSelf(NodeApi.regionState(getContext().getSystem(), AgentEntity.typeKey(runId)),
          (state, failure) -> new Releasing(runId, part, state == null ? List.of() : NodeApi.shardIds(state)));
    }
    return this;
  }

  private Behavior<Command> onReleasing(Releasing releasing) {
    RunHandle handle = handles.get(releasing.runId());
    if (handle != null) {
      handle.release(releasing.shards());
    }
    RunOnNode.release(releasing.part());
    return this;
  }

  private Behavior<Command> onSubmit(Submit submit) {
    ExperimentSpec spec;
    try {
      spec = SpecLoader.parse(submit.specYaml(), List.of(), access);
    } catch (SpecException e) {
      submit.replyTo().tell(new Submitted(null, "invalid spec: " + String.join("; ", e.problems())));
      return this;
    }
    // The run directory is this node's to place (under its data directory); a path the submitter
    // wrote there would only mislead whoever reads spec.yaml.
    spec = spec.withOutput(spec.output().withDir(null));
    if (spec.seed() == null) {
      submit.replyTo().tell(new Submitted(null, "the spec's seed must be set"));
      return this;
    }
    String notYet = EncounterRuns.refusal(spec, true);
    if (notYet != null) {
      submit.replyTo().tell(new Submitted(null, notYet));
      return this;
    }
    if (submit.onOneNode() && spec.durable()) {
      submit.replyTo().tell(new Submitted(null, "placement=node: a durable run's coordinator is a cluster singleton"
          + " and its agents move with the cluster's members, so it cannot be placed on one node; submit it"
          + " without placement"));
      return this;
    }
    // Agents placed on one node all take that node's heap.
    String refusal = limits.refusal(spec, submit.onOneNode() ? 1 : membersUp(), settings.registryBatchSize(),
        Runtime.getRuntime().maxMemory(),
        StudyLimits.liveHeap() - runtimeLive);
    if (refusal != null) {
      submit.replyTo().tell(new Submitted(null, refusal));
      return this;
    }
    if (usesLanguageModel(spec)) {
      String problem = inferenceProblem(spec);
      if (problem != null) {
        submit.replyTo().tell(new Submitted(null, problem));
        return this;
      }
    }
    String runId = DurableRuns.newRunId();
    String yaml = SpecLoader.toYaml(spec.resolved());
    ActorRef<RunCoordinator.Command> coordinator = null;
    RunEntry entry = new RunEntry(runId, yaml, System.currentTimeMillis(), null, submit.onOneNode());
    if (!spec.durable()) {
      try {
        coordinator = EncounterRuns.gameOf(spec) != null ? startEncounterFront(entry, spec)
            : startTransientCoordinator(entry, spec);
      } catch (RuntimeException e) {
        submit.replyTo().tell(new Submitted(null, "this node cannot start the study's inference gateway: "
            + e.getMessage()));
        return this;
      }
      entry = new RunEntry(runId, yaml, entry.submittedAtMillis(), coordinator, entry.onOneNode());
    }
    start(entry);
    RunEntry published = entry;
    replicator.askUpdate(replyTo -> new Replicator.Update<>(CATALOG, LWWMap.create(),
            new Replicator.WriteMajority(Duration.ofSeconds(5)), replyTo,
            catalog -> catalog.put(selfAddress, runId, published)),
        response -> new CatalogUpdated(response, runId, submit.replyTo()));
    return this;
  }

  private Behavior<Command> onCatalogUpdated(CatalogUpdated updated) {
    if (updated.response() instanceof Replicator.UpdateSuccess) {
      updated.replyTo().tell(new Submitted(updated.runId(), null));
    } else {
      // Written locally all the same; gossip spreads it when the other nodes are reachable.
      getContext().getLog().warn("run {} reached fewer than a majority of nodes: {}", updated.runId(),
          updated.response());
      updated.replyTo().tell(new Submitted(updated.runId(), null));
    }
    return this;
  }

  private Behavior<Command> onCatalogChanged(CatalogChanged changed) {
    if (changed.response() instanceof Replicator.Changed<LWWMap<String, RunEntry>> c) {
      for (RunEntry entry : c.get(CATALOG).getEntries().values()) {
        start(entry);
      }
    }
    return this;
  }

  private static boolean usesLanguageModel(ExperimentSpec spec) {
    return PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()));
  }

  /**
   * Why this node cannot run a language-model study, or null: every node reads the endpoints' keys
   * from its own environment or files, and the prompt templates from the same path.
   */
  private String inferenceProblem(ExperimentSpec spec) {
    List<String> keys = ApiKeys.problems(spec.inference(), access.secretsDir());
    if (!keys.isEmpty()) {
      return String.join("; ", keys) + " (on the node that took the submission; every node needs the key)";
    }
    String templates = spec.policy().llm().templates();
    if (templates != null && !java.nio.file.Files.isDirectory(Path.of(templates))) {
      return "policy.llm.templates: no directory " + templates + " on the node that took the submission"
          + " (every node reads the templates from this path)";
    }
    return null;
  }

  /** A run's population measures on the node's metrics, once its coordinator reports here. */
  private ProgressListener populationMeters(String runId) {
    return new PopulationMeters(meters, io.micrometer.core.instrument.Tags.of("run", runId));
  }

  /** The members up now: the endpoints' limits are shared out among them. */
  private int membersUp() {
    int up = 0;
    for (Member member : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    return Math.max(1, up);
  }

  /**
   * This node's language-model part of a run: a gateway with its share of the endpoints' limits,
   * whose call lines its forwarder ships to the coordinator.
   */
  private record NodeInference(LlmStudy llm, ShippedCallLog log, InferenceSpec whole) {
  }

  /** This node's language-model part of each run it holds, to re-share limits when members change. */
  private final Map<String, NodeInference> inferences = new java.util.HashMap<>();

  /** Each run's gateway keeps its share among the members up now. */
  private void reshare() {
    int up = membersUp();
    inferences.values().removeIf(inference -> inference.llm().gateway().isClosed()); // runs that ended
    for (NodeInference inference : inferences.values()) {
      inference.llm().share(inference.whole(), up);
    }
  }

  /**
   * Null for a rule-based policy; throws when the gateway cannot start here. A run on one node has
   * the endpoints' whole limits here, whatever the members.
   */
  private NodeInference startInference(String runId, ExperimentSpec spec, StudyPlan plan, boolean onOneNode) {
    if (!usesLanguageModel(spec)) {
      return null;
    }
    ShippedCallLog log = new ShippedCallLog(selfAddress.uniqueAddress().address().toString());
    ActorSystem<?> system = getContext().getSystem();
    LlmStudy llm = LlmStudy.startOnNode(system, runId, spec, plan, onOneNode ? 1 : membersUp(),
        InferenceSettings.fromConfig(system.settings().config()), meters, log);
    NodeInference inference = new NodeInference(llm, log, spec.inference());
    if (!onOneNode) {
      inferences.put(runId, inference);
    }
    return inference;
  }

  /** Starts this node's part of a run, once. */
  private void start(RunEntry entry) {
    if (handles.containsKey(entry.runId())) {
      return;
    }
    ExperimentSpec spec;
    try {
      spec = SpecLoader.parse(entry.specYaml(), List.of());
    } catch (SpecException e) {
      getContext().getLog().error("run {} has a spec this node cannot read: {}", entry.runId(), e.problems());
      return;
    }
    if (!spec.durable() && entry.coordinator() == null) {
      return;
    }
    String runId = entry.runId();
    if (EncounterRuns.gameOf(spec) != null) {
      startEncounters(entry, spec);
      return;
    }
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    if (entry.onOneNode()) {
      // Placed whole on the node that took it: this node's region gets no shard, and its agents no call.
      parts.put(runId, RunOnNode.start(getContext(), runId, plan, settings, false,
          forwarder(runId, entry::coordinator, null), null, entry.coordinator().path().address(), meters));
      handles.put(runId, new RunHandle(runId, spec.name(), false, entry.coordinator(), true));
      return;
    }
    NodeInference inference = null;
    String failure = null;
    try {
      // The node that took the submission checked it against its own rules; this node has its own.
      SpecLoader.parse(entry.specYaml(), List.of(), access);
    } catch (SpecException e) {
      failure = "node " + selfAddress.uniqueAddress().address() + " refuses the study: "
          + String.join("; ", e.problems());
      getContext().getLog().error("run {}: {}", runId, failure);
    }
    try {
      inference = failure != null ? null : startInference(runId, spec, plan, false);
    } catch (RuntimeException e) {
      // Its agents could not decide here: fail the run loudly rather than let it stall.
      failure = "node " + selfAddress.uniqueAddress().address() + " cannot start its inference gateway: "
          + e.getMessage();
      getContext().getLog().error("run {}: {}", runId, failure);
    }
    if (spec.durable()) {
      // The agents start first: the singleton may start here at once, and it needs them.
      AtomicReference<ActorRef<RunCoordinator.Command>> coordinator = new AtomicReference<>();
      StudyContext here = RunOnNode.start(getContext(), runId, plan, settings, true,
          forwarder(runId, coordinator::get, inference), inference == null ? null : inference.llm().deliberation());
      parts.put(runId, here);
      RunCoordinator.Setup setup = new RunCoordinator.Setup(runId, plan, spec,
          runDirectory(runId), settings, populationMeters(runId), null, (context, batches) -> here.agents(),
          null, true, selfUrl, usesLanguageModel(spec) ? new ClusterInference(plan) : null);
      ActorRef<RunCoordinator.Command> proxy = ClusterSingleton.get(getContext().getSystem()).init(
          SingletonActor.of(RunCoordinator.create(setup), "coordinator-" + runId)
              .withProps(Props.empty().withNext(RunCoordinator.dispatcher())));
      coordinator.set(proxy);
      handles.put(runId, new RunHandle(runId, spec.name(), true, proxy, false));
      if (failure != null) {
        proxy.tell(new RunCoordinator.Fail(failure));
      }
    } else {
      parts.put(runId, RunOnNode.start(getContext(), runId, plan, settings, false,
          forwarder(runId, entry::coordinator, inference), inference == null ? null : inference.llm().deliberation(),
          null, meters));
      handles.put(runId, new RunHandle(runId, spec.name(), false, entry.coordinator(), false));
      if (failure != null) {
        entry.coordinator().tell(new RunCoordinator.Fail(failure));
      }
    }
  }

  /**
   * A non-durable run's coordinator, here; its registry and agents on this node start with it.
   * Throws when this node cannot start its inference gateway.
   */
  private ActorRef<RunCoordinator.Command> startTransientCoordinator(RunEntry entry, ExperimentSpec spec) {
    String runId = entry.runId();
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    NodeInference inference = startInference(runId, spec, plan, entry.onOneNode());
    String node = selfAddress.uniqueAddress().toString();
    RunCoordinator.Setup setup = new RunCoordinator.Setup(runId, plan, spec, runDirectory(runId),
        settings, populationMeters(runId), null,
        new RunCoordinator.RunAgents() {
          private StudyContext study;

          @Override
          public ActorRef<ShardingEnvelope<AgentEntity.Command>> start(ActorContext<RunCoordinator.Command> context,
                                                                      ActorRef<NormRegistry.RecordBatch> batches) {
            ActorRef<NormRegistry.RecordBatch> here = inference == null ? batches
                : context.spawn(RunForwarder.create(context::getSelf, inference.llm(), inference.log(), node),
                    "records").narrow();
            study = RunOnNode.start(context, runId, plan, settings, false, here,
                inference == null ? null : inference.llm().deliberation(),
                entry.onOneNode() ? Cluster.get(context.getSystem()).selfMember().address() : null, meters);
            parts.put(runId, study);
            return study.agents();
          }

          /** The coordinator's plays reach this node's live agents directly. */
          @Override
          public AgentsOnNode here() {
            return study == null ? null : study.local();
          }
        },
        TransientJournal.PLUGIN_ID, false, selfUrl, usesLanguageModel(spec) ? new ClusterInference(plan) : null);
    ActorRef<RunCoordinator.Command> coordinator = getContext().spawn(RunCoordinator.create(setup),
        "coordinator-" + runId, RunCoordinator.dispatcher());
    handles.put(runId, new RunHandle(runId, spec.name(), false, coordinator, entry.onOneNode()));
    return coordinator;
  }

  /**
   * This node's part of an encounter game's run: its region of the run's agents, and for a durable
   * run the singleton that runs its coordinator (a non-durable run's front started with the
   * submission, on the node that took it).
   */
  private void startEncounters(RunEntry entry, ExperimentSpec spec) {
    String runId = entry.runId();
    if (!spec.durable()) {
      EncounterRuns.agentsOnNode(getContext().getSystem(), runId, EncounterRuns.gameOf(spec),
          entry.onOneNode() ? entry.coordinator().path().address() : null);
      handles.put(runId, new RunHandle(runId, spec.name(), false, entry.coordinator(), entry.onOneNode(), true));
      return;
    }
    var agents = EncounterRuns.agentsOnNode(getContext().getSystem(), runId, EncounterRuns.gameOf(spec), null);
    ActorRef<RunCoordinator.Command> proxy = ClusterSingleton.get(getContext().getSystem()).init(
        SingletonActor.of(EncounterRunFront.create(runId, spec, agents, runDirectory(runId), selfUrl,
            populationMeters(runId), meters, false), "coordinator-" + runId));
    handles.put(runId, new RunHandle(runId, spec.name(), true, proxy, false, true));
  }

  /** A non-durable encounter game's front and coordinator, here, with this node's region of its agents. */
  private ActorRef<RunCoordinator.Command> startEncounterFront(RunEntry entry, ExperimentSpec spec) {
    String runId = entry.runId();
    var agents = EncounterRuns.agentsOnNode(getContext().getSystem(), runId, EncounterRuns.gameOf(spec),
        entry.onOneNode() ? Cluster.get(getContext().getSystem()).selfMember().address() : null);
    ActorRef<RunCoordinator.Command> front = getContext().spawn(EncounterRunFront.create(runId, spec, agents,
        runDirectory(runId), selfUrl, populationMeters(runId), meters, entry.onOneNode()), "coordinator-" + runId);
    handles.put(runId, new RunHandle(runId, spec.name(), false, front, entry.onOneNode(), true));
    return front;
  }

  private Path runDirectory(String runId) {
    return dataDir.resolve("runs").resolve(runId);
  }

  /** A local actor that passes this node's registry batches (and call lines) to the run's coordinator. */
  private ActorRef<NormRegistry.RecordBatch> forwarder(String runId,
                                                       Supplier<ActorRef<RunCoordinator.Command>> coordinator,
                                                       NodeInference inference) {
    return getContext().spawn(RunForwarder.create(coordinator, inference == null ? null : inference.llm(),
        inference == null ? null : inference.log(), selfAddress.uniqueAddress().toString()), "records-" + runId)
        .narrow();
  }

  private Behavior<Command> onMemberRemoved(MemberRemoved removed) {
    reshare();
    String address = removed.event().member().address().toString();
    if (removed.event().member().address().equals(Cluster.get(getContext().getSystem()).selfMember().address())) {
      return this; // this node is leaving: its runs go with it
    }
    for (RunHandle handle : handles.values()) {
      if (handle.durable()) {
        handle.coordinator().tell(new RunCoordinator.NodeLost(address));
        continue;
      }
      String reason = "node " + address + " left the cluster, and this non-durable study's agents or "
          + "coordinator were there; run it with durability: durable to survive a lost node";
      if (handle.onOneNode() && handle.coordinator().path().address().hasLocalScope()) {
        continue; // wholly here: the node that left held none of it
      }
      if (handle.coordinator().path().address().hasLocalScope()) {
        handle.coordinator().tell(new RunCoordinator.Fail(reason));
      } else if (handle.coordinator().path().address().toString().equals(address)) {
        handle.lose(reason);
      }
    }
    return this;
  }
}
