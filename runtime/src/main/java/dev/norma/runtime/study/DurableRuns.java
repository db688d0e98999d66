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
  /** Names the server database a local durable run journals to; absent: the embedded H2 beside it. */
  public static final String DATABASE_FILE = "database";

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
   * The database a local durable run journals to: the one it recorded in
   * {@code journal/}{@value #DATABASE_FILE} when it started, else, for a new run, the one named by
   * {@code NORMA_DB_URL} ({@code _USER}, {@code _PASSWORD}), else an embedded H2 in
   * {@code journal/}. A new run records a server's URL and user (never the password) so that
   * {@code --resume} goes back to the database that holds its journal.
   *
   * @throws OtherDatabase when the environment names another database than the run's
   */
  public static JournalDatabase journalDatabase(Path runDirectory) throws IOException {
    return journalDatabase(runDirectory, System.getenv());
  }

  /** {@link #journalDatabase(Path)} with the environment given (tests). */
  static JournalDatabase journalDatabase(Path runDirectory, java.util.Map<String, String> environment)
      throws IOException {
    Path journal = runDirectory.resolve(JOURNAL_DIR);
    Path recordedFile = journal.resolve(DATABASE_FILE);
    String namedUrl = environment.getOrDefault("NORMA_DB_URL", "").strip();
    String user = environment.getOrDefault("NORMA_DB_USER", "");
    String password = environment.getOrDefault("NORMA_DB_PASSWORD", "");
    if (Files.isRegularFile(recordedFile)) {
      java.util.List<String> lines = Files.readAllLines(recordedFile);
      String url = lines.isEmpty() ? "" : lines.get(0).strip();
      if (!namedUrl.isEmpty() && !namedUrl.equals(url)) {
        throw new OtherDatabase("its journal is in " + url + " (" + recordedFile + ") but NORMA_DB_URL names "
            + namedUrl);
      }
      return new JournalDatabase(url, lines.size() > 1 && user.isEmpty() ? lines.get(1).strip() : user, password);
    }
    // No record: a new run, or one begun before runs recorded their database or on the embedded
    // one, whose journal is then the H2 file beside it (a new run has none yet).
    if (namedUrl.isEmpty()) {
      return JournalDatabase.h2(journal);
    }
    if (Files.exists(journal.resolve(JournalDatabase.H2_FILE))) {
      throw new OtherDatabase("its journal is the embedded one in " + journal + " but NORMA_DB_URL names " + namedUrl);
    }
    Files.createDirectories(journal);
    Path tmp = recordedFile.resolveSibling(DATABASE_FILE + ".tmp");
    Files.writeString(tmp, namedUrl + "\n" + user + "\n");
    Files.move(tmp, recordedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new JournalDatabase(namedUrl, user, password);
  }

  /** The environment names another journal database than the one a run recorded. */
  public static final class OtherDatabase extends IOException {
    OtherDatabase(String message) {
      super(message);
    }
  }

  /**
   * One node runs everything: the agents (durable, or in memory) and a registry that outlive any
   * restart of the coordinator (the registry sends to whichever coordinator incarnation started
   * last). Close it when the run is over.
   */
  static final class LocalAgents implements RunCoordinator.RunAgents, AutoCloseable {
    private final ActorSystem<?> system;
    private final String runId;
    private final StudyPlan plan;
    private final RunSettings settings;
    private final AtomicReference<ActorRef<NormRegistry.RecordBatch>> coordinator = new AtomicReference<>();
    /** The coordinator incarnation now running, told of agents' journal failures. */
    private final AtomicReference<ActorRef<RunCoordinator.Command>> current = new AtomicReference<>();
    private StudyContext study;
    private ActorRef<NormRegistry.RecordBatch> forwarder;
    /** Stops the forwarder (local only, never sent across nodes). */
    private final LlmDeliberation deliberation;
    private final boolean durable;
    private static final NormRegistry.RecordBatch STOP = new NormRegistry.RecordBatch(java.util.List.of());

    LocalAgents(ActorSystem<?> system, String runId, StudyPlan plan, RunSettings settings) {
      this(system, runId, plan, settings, null, true);
    }

    /**
     * @param deliberation how language-model agents decide, or null when the policy decides in place
     * @param durable      whether the agents journal what they did (else they keep it in memory)
     */
    LocalAgents(ActorSystem<?> system, String runId, StudyPlan plan, RunSettings settings,
                LlmDeliberation deliberation, boolean durable) {
      this.deliberation = deliberation;
      this.durable = durable;
      this.system = system;
      this.runId = runId;
      this.plan = plan;
      this.settings = settings;
    }

    @Override
    public synchronized ActorRef<ShardingEnvelope<AgentEntity.Command>> start(
        ActorContext<RunCoordinator.Command> context, ActorRef<NormRegistry.RecordBatch> batches) {
      coordinator.set(batches);
      current.set(context.getSelf());
      if (study == null) {
        forwarder = system.systemActorOf(Behaviors.receive(NormRegistry.RecordBatch.class)
            .onMessage(NormRegistry.RecordBatch.class, batch -> {
              if (batch == STOP) {
                return Behaviors.stopped();
              }
              coordinator.get().tell(batch);
              return Behaviors.same();
            }).build(), "records-" + runId, Props.empty());
        ActorRef<NormRegistry.Command> registry = system.systemActorOf(NormRegistry.create(forwarder,
            RunLedger.registryBatchSize(plan, settings), settings.registryFlushInterval()),
            "norm-registry-" + runId, Props.empty());
        StudyContext[] holder = new StudyContext[1];
        PassivatedAgents passivated = durable || !settings.passivates(plan.populationSize()) ? null
            : new PassivatedAgents(plan.populationSize());
        // Rule-based durable agents are in-memory entities the coordinator restores from its journal
    // (AgentLedger); only language-model agents and the continuous schedule journal themselves.
        boolean throughCoordinator = AgentLedger.journalsAtCoordinator(plan, durable);
        boolean selfJournaled = durable && !throughCoordinator;
        ActorRef<ShardingEnvelope<AgentEntity.Command>> agents = AgentEntity.initSharding(system, runId, settings,
            plan.populationSize(), passivated != null, throughCoordinator, agentId -> selfJournaled
                ? DurableAgentEntity.create(agentId, holder[0]) : AgentEntity.create(agentId, holder[0], passivated));
        holder[0] = new StudyContext(runId, plan, agents, registry, deliberation,
            reason -> current.get().tell(new RunCoordinator.AgentJournalFailed(reason)),
            selfJournaled || passivated != null ? null : new AgentsOnNode(plan.populationSize()), throughCoordinator);
        study = holder[0];
      }
      return study.agents();
    }

    @Override
    public synchronized AgentsOnNode here() {
      return study == null ? null : study.local();
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
