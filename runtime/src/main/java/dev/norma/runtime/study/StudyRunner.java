package dev.norma.runtime.study;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.results.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Runs one study on this machine: a one-node Pekko cluster (the same sharded code as on many
 * nodes), the run's actors, and the run directory. The embeddable entry point behind
 * {@code norma run}; tests call it directly.
 */
public final class StudyRunner implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final RunSettings settings;
  private volatile ActorRef<RunCoordinator.Command> coordinator;
  /** The journal of a durable runner, closed after the actors; null otherwise. */
  private final JournalDatabase database;

  /** Starts a one-node cluster on a free loopback port. */
  public StudyRunner() {
    this(ConfigFactory.load());
  }

  public StudyRunner(Config config) {
    this(config, null);
  }

  private StudyRunner(Config config, JournalDatabase database) {
    this.database = database;
    this.system = ActorSystem.create(Behaviors.empty(), "norma", oneNode(config));
    this.settings = RunSettings.fromConfig(system.settings().config());
    Cluster cluster = Cluster.get(system);
    CompletableFuture<Void> up = new CompletableFuture<>();
    org.apache.pekko.cluster.Cluster.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
        .registerOnMemberUp(() -> up.complete(null));
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    try {
      up.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException("the local cluster node did not come up", e);
    }
  }

  /**
   * {@code config} with the settings of a one-member cluster ({@code one-node.conf}) laid over it;
   * a setting given as a system property ({@code -Dpekko...}) keeps its value.
   */
  private static Config oneNode(Config config) {
    Config overlay = ConfigFactory.parseResources("one-node.conf");
    Config properties = ConfigFactory.systemProperties();
    for (String path : overlay.entrySet().stream().map(java.util.Map.Entry::getKey).toList()) {
      if (properties.hasPath(path)) {
        overlay = overlay.withoutPath(path);
      }
    }
    return overlay.withFallback(config);
  }

  /**
   * Runs a study to its end and returns its summary.
   *
   * @param spec     a validated spec whose seed is set
   * @param output   the run directory (absent or empty)
   * @param progress sees progress; may be {@link ProgressListener#NONE}
   */
  public Summary run(ExperimentSpec spec, Path output, ProgressListener progress)
      throws IOException, InterruptedException, ExecutionException {
    return run(spec, output, progress, StudyOptions.defaults());
  }

  /**
   * Runs a study to its end and returns its summary; language-model agents get a gateway to the
   * spec's endpoints (and the recorded answers of {@code options.replay()}).
   */
  public Summary run(ExperimentSpec spec, Path output, ProgressListener progress, StudyOptions options)
      throws IOException, InterruptedException, ExecutionException {
    if (spec.seed() == null) {
      throw new IllegalArgumentException("the spec's seed must be resolved before a run");
    }
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    RunDirectory.requireEmpty(output);
    Files.createDirectories(output);
    LlmStudy llm = null;
    if (PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      llm = LlmStudy.start(system, spec, plan, output, InferenceSettings.fromConfig(system.settings().config()),
          options.meters(), options.replay());
    }
    return coordinate(DurableRuns.newRunId(), spec, plan, output, progress, llm, false);
  }

  /** Runs the study's coordinator and its agents on this node until the run ends or stops. */
  private Summary coordinate(String runId, ExperimentSpec spec, StudyPlan plan, Path output,
                             ProgressListener progress, LlmStudy llm, boolean durable)
      throws InterruptedException, ExecutionException {
    CompletableFuture<Summary> done = new CompletableFuture<>();
    DurableRuns.LocalAgents agents = new DurableRuns.LocalAgents(system, runId, plan, settings,
        llm == null ? null : llm.deliberation(), durable);
    RunCoordinator.Setup setup = new RunCoordinator.Setup(runId, plan, spec, output, settings,
        progress, done, agents, durable ? null : TransientJournal.PLUGIN_ID, durable,
        Cluster.get(system).selfMember().address().toString(), llm);
    coordinator = system.systemActorOf(RunCoordinator.create(setup),
        "coordinator-" + runId, RunCoordinator.dispatcher());
    try {
      return done.get();
    } finally {
      coordinator = null;
      agents.close();
      if (llm != null) {
        llm.close();
      }
    }
  }

  /**
   * A runner for durable studies whose journal is an H2 database in {@code runDirectory/journal}
   * (created when absent), so that the run directory holds everything needed to resume it, or
   * the server database named by {@code NORMA_DB_URL} ({@link DurableRuns#journalDatabase}).
   *
   * @throws DurableRuns.OtherDatabase when the environment names another database than the run's
   */
  public static StudyRunner durable(Path runDirectory) throws IOException {
    // The id first: a directory with a journal but no id could be neither resumed nor reused.
    DurableRuns.runId(runDirectory);
    return durable(DurableRuns.journalDatabase(runDirectory));
  }

  /** {@link #durable(Path)} with {@code settings} laid over the configuration (tests: a faster progress timer). */
  static StudyRunner durable(Path runDirectory, Config settings) throws IOException {
    DurableRuns.runId(runDirectory);
    return durable(DurableRuns.journalDatabase(runDirectory), settings);
  }

  /** A runner for durable studies whose journal is in {@code database}. */
  public static StudyRunner durable(JournalDatabase database) throws IOException {
    return durable(database, ConfigFactory.empty());
  }

  private static StudyRunner durable(JournalDatabase database, Config settings) throws IOException {
    String repaired = database.finishRecovery();
    if (repaired != null) {
      org.slf4j.LoggerFactory.getLogger(StudyRunner.class).warn(repaired);
    }
    try {
      database.ensureSchema();
    } catch (java.sql.SQLException e) {
      throw new JournalDatabase.Unavailable("cannot prepare the journal database " + database + ": " + e.getMessage(), e);
    }
    return new StudyRunner(settings.withFallback(database.config()).withFallback(ConfigFactory.load()), database);
  }

  /**
   * Runs a durable study to its end, or resumes it: every finished interaction is in the journal
   * before it counts, and the run directory is rebuilt from the journal when the run resumes.
   * The run's id is kept in {@code output/journal/run-id}; a directory that has one is resumed.
   * Needs a runner made by {@link #durable}.
   */
  public Summary runDurable(ExperimentSpec spec, Path output, ProgressListener progress)
      throws IOException, InterruptedException, ExecutionException {
    return runDurable(spec, output, progress, StudyOptions.defaults());
  }

  /**
   * Runs or resumes a durable study; language-model agents get a gateway to the spec's endpoints,
   * as in {@link #run(ExperimentSpec, Path, ProgressListener, StudyOptions)}. A resumed run keeps
   * its call journal, whose recorded answers serve the decisions asked again (with those of
   * {@code options.replay()}). Its journal's figures so far count in the summary and the budgets.
   *
   * @throws dev.norma.runtime.inference.CallJournalReader.DamagedJournalException when the run's
   *         call journal is damaged beyond what {@code options.journalReading()} accepts
   */
  public Summary runDurable(ExperimentSpec spec, Path output, ProgressListener progress, StudyOptions options)
      throws IOException, InterruptedException, ExecutionException {
    if (spec.seed() == null) {
      throw new IllegalArgumentException("the spec's seed must be resolved before a run");
    }
    // Going on from an earlier session: one that got as far as writing its call journal (the run's
    // id is written before anything else, so it alone does not tell a new run from a resumed one).
    boolean resuming = Files.exists(output.resolve(dev.norma.runtime.inference.CallJournal.FILE))
        || Files.exists(output.resolve(dev.norma.runtime.inference.CallJournal.FILE + ".previous"));
    String runId = DurableRuns.runId(output);
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    LlmStudy llm = null;
    if (PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      llm = LlmStudy.start(system, spec, plan, output, InferenceSettings.fromConfig(system.settings().config()),
          options.meters(), options.replay(), resuming, options.journalReading());
    }
    return coordinate(runId, spec, plan, output, progress, llm, true);
  }

  /**
   * Runs a study of an encounter game ({@link dev.norma.runtime.encounter.EncounterRuns}), {@code game}
   * as made from {@code spec}, to its end and returns its summary.
   */
  public Summary runEncounters(ExperimentSpec spec, EncounterGame<? extends Mind> game, Path output,
                               ProgressListener progress) throws IOException, InterruptedException, ExecutionException {
    return runEncounters(spec, game, output, progress, StudyOptions.defaults());
  }

  /**
   * Runs a study of an encounter game as {@link #runEncounters(ExperimentSpec, EncounterGame, Path,
   * ProgressListener)}; language-model agents get a gateway to the spec's endpoints and the
   * recorded answers of {@code options.replay()}. On a runner made by {@link #durable} a durable
   * study journals every settled encounter and is resumed when {@code output} holds one begun before.
   */
  public Summary runEncounters(ExperimentSpec spec, EncounterGame<? extends Mind> game, Path output,
                               ProgressListener progress, StudyOptions options)
      throws IOException, InterruptedException, ExecutionException {
    dev.norma.runtime.encounter.EncounterRuns.Running running =
        dev.norma.runtime.encounter.EncounterRuns.start(system, spec, game, output, progress, options,
            database != null && spec.durable());
    interrupter = running.interrupt();
    try {
      return running.done().get();
    } finally {
      interrupter = null;
    }
  }

  /** Interrupts the encounter game under way, or null. */
  private volatile Runnable interrupter;

  /**
   * Asks the running study to stop now, keeping what it did; its summary says "interrupted".
   *
   * @return whether a study was running to be asked (false: none has started yet)
   */
  public boolean interrupt() {
    Runnable encounters = interrupter;
    if (encounters != null) {
      encounters.run();
      return true;
    }
    ActorRef<RunCoordinator.Command> current = coordinator;
    if (current != null) {
      current.tell(RunCoordinator.Interrupt.INSTANCE);
    }
    return current != null;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * Stops the actors, then closes the journal (an embedded one keeps what it holds in memory only
   * until it is closed). Bounded: a system that does not stop in time is left to the process's
   * exit, and the journal, crash-safe, is closed under it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(TERMINATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      // Shutting down anyway; the journal holds what was finished.
    }
    if (database != null) {
      database.shutdown();
    }
  }

  private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);
  private volatile boolean closed;

  /**
   * Closes the journal now and lets the actors stop in the background: for a run that was
   * interrupted and has written its results, whose process is about to exit. An orderly stop of
   * the cluster node and thousands of agents takes seconds that a user who pressed Ctrl-C should
   * not wait for; the journal, closed first, holds everything the results show, and a write still
   * in flight is one the resumed run makes again.
   */
  public void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    if (database != null) {
      database.shutdown();
    }
    system.terminate();
  }
}
