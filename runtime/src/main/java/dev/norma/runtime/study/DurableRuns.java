package dev.norma.runtime.study;

import dev.norma.runtime.inference.LlmDeliberation;

import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/** What a durable run keeps beside its results, and how a local one starts its agents. */
public final class DurableRuns {
  /** The folder of a run directory that holds a local durable run's journal and id. */
  public static final String JOURNAL_DIR = "journal";
  private static final String RUN_ID_FILE = "run-id";

  private DurableRuns() {
  }

  /** A new random run id: 12 hex digits. */
  public static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Whether {@code runDirectory} belongs to a durable run that can be resumed. */
  public static boolean isDurable(Path runDirectory) {
    return Files.isRegularFile(runDirectory.resolve(JOURNAL_DIR).resolve(RUN_ID_FILE));
  }

  /**
   * Makes {@code runDirectory} a durable run's before anything else is written: its spec, then its
   * id. A process killed at any moment after this leaves a directory that {@code --resume} takes.
   */
  public static void prepare(Path runDirectory, ExperimentSpec resolvedSpec) throws IOException {
    if (isDurable(runDirectory)) {
      return;
    }
    Files.createDirectories(runDirectory);
    Path spec = runDirectory.resolve("spec.yaml");
    Path tmp = runDirectory.resolve("spec.yaml.tmp");
    Files.writeString(tmp, SpecLoader.toYaml(resolvedSpec));
    Files.move(tmp, spec, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    runId(runDirectory);
  }

  /** The run id kept in {@code runDirectory}, or a new one, which is then kept there. */
  public static String runId(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(JOURNAL_DIR).resolve(RUN_ID_FILE);
    if (Files.isRegularFile(file)) {
      return Files.readString(file).strip();
    }
    Files.createDirectories(file.getParent());
    String runId = newRunId();
    Path tmp = file.resolveSibling(RUN_ID_FILE + ".tmp");
    Files.writeString(tmp, runId + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return runId;
  }

  /**
   * One node runs everything: durable agents and a registry that outlive any restart of the
   * coordinator (the registry sends to whichever coordinator incarnation started last). Close it
   * when the run is over.
   */
  static final class LocalAgents implements JournaledCoordinator.RunAgents, AutoCloseable {
    private final ActorSystem<?> system;
    private final String runId;
    private final StudyPlan plan;
    private final RunSettings settings;
    private final AtomicReference<ActorRef<NormRegistry.RecordBatch>> coordinator = new AtomicReference<>();
    private StudyContext study;
    private ActorRef<NormRegistry.RecordBatch> forwarder;
    /** Stops the forwarder (local only, never sent across nodes). */
    private final LlmDeliberation deliberation;
    private static final NormRegistry.RecordBatch STOP = new NormRegistry.RecordBatch(java.util.List.of());

    LocalAgents(ActorSystem<?> system, String runId, StudyPlan plan, RunSettings settings) {
      this(system, runId, plan, settings, null);
    }

    /** @param deliberation how language-model agents decide, or null when the policy decides in place */
    LocalAgents(ActorSystem<?> system, String runId, StudyPlan plan, RunSettings settings,
                LlmDeliberation deliberation) {
      this.deliberation = deliberation;
      this.system = system;
      this.runId = runId;
      this.plan = plan;
      this.settings = settings;
    }

    @Override
    public synchronized ActorRef<ShardingEnvelope<AgentEntity.Command>> start(
        ActorContext<JournaledCoordinator.Command> context, ActorRef<NormRegistry.RecordBatch> batches) {
      coordinator.set(batches);
      if (study == null) {
        forwarder = system.systemActorOf(Behaviors.receive(NormRegistry.RecordBatch.class)
            .onMessage(NormRegistry.RecordBatch.class, batch -> {
              if (batch == STOP) {
                return Behaviors.stopped();
              }
              coordinator.get().tell(batch);
              return Behaviors.same();
            }).build(), "records-" + runId, Props.empty());
        int window = plan.deterministic() ? plan.spec().schedule().inFlight()
            : Math.max(1, Math.min(plan.spec().schedule().inFlight(), plan.populationSize() / 2));
        ActorRef<NormRegistry.Command> registry = system.systemActorOf(NormRegistry.create(forwarder,
            ExperimentCoordinator.batchSizeFor(window, settings), settings.registryFlushInterval()),
            "norm-registry-" + runId, Props.empty());
        StudyContext[] holder = new StudyContext[1];
        ActorRef<ShardingEnvelope<AgentEntity.Command>> agents = AgentEntity.initSharding(system, runId, settings,
            agentId -> DurableAgentEntity.create(agentId, holder[0]));
        holder[0] = new StudyContext(runId, plan, agents, registry, deliberation);
        study = holder[0];
      }
      return study.agents();
    }

    @Override
    public synchronized void close() {
      if (study != null) {
        study.registry().tell(NormRegistry.Stop.INSTANCE);
        forwarder.tell(STOP);
      }
    }
  }
}
