package dev.norma.runtime.study;

import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.journal.AgentSnapshot;
import dev.norma.protocols.journal.CoordinatorEvent;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.journal.RecordColumns;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.wire.CborSerializable;
import dev.norma.runtime.inference.ClusterInference;
import dev.norma.runtime.inference.RunInference;
import dev.norma.runtime.results.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Owns one run, on one machine or as a cluster singleton: every run has exactly one. It puts the
 * registries' batches back in index order, records each stretch in order in its journal before it
 * counts, returns credit to the matchmaker, applies the stop rules and budgets, and ends the run.
 * Durability is the choice of journal: a database for a durable study, the
 * {@link TransientJournal} (which keeps nothing) otherwise. The bookkeeping is a {@link RunLedger},
 * its state without actors; the run directory is a {@link RunProjection} of its events.
 *
 * <p>Events: {@link Recorded} (consecutive interactions, columnar), {@link Ended} and, on a
 * cluster with language-model agents, {@link CallsRecorded}. Replaying them rebuilds the ledger,
 * and the run directory from its first line once the journal has been read whole, so a
 * coordinator recovered after a crash, on this machine ({@code norma run --resume}) or on another
 * node (singleton failover), holds exactly what was recorded before, no interaction twice.
 *
 * <p>Recovery of lost work. After recovery the matchmaker starts again at the first unrecorded
 * index and admits the window from there; agents take each interaction once and answer the rest
 * from what they keep. While a durable or cluster run is up, if no interaction is recorded for
 * {@code norma.recovery.stall-timeout}, the coordinator asks the matchmaker to re-drive the
 * interactions in flight it has not seen (a node holding their agents or records may have died).
 *
 * <p>A durable run of rule-based agents on a seeded schedule is journaled here alone: its agents
 * write nothing, and the ledger keeps every agent's state as the recorded interactions leave it
 * ({@link AgentLedger}). Instead of re-driving, the coordinator then restarts the agents — after
 * recovery, a lost node or a stall — giving each its state from the ledger
 * ({@link AgentEntity.Restore}) and starting the matchmaker again at the first unrecorded index
 * once every agent has taken it. An agent handed off to another node sends its state here for its
 * next incarnation ({@link AgentHandedOver}).
 *
 * <p>Protocol: {@link RecordsArrived} from the nodes' registries, {@link GetStatus},
 * {@link Cancel}, {@link Interrupt} (local Ctrl-C: stop without ending the run, so a durable one
 * can be resumed). Lifecycle: a local run's coordinator stops when the run ends and its in-flight
 * interactions drained, completing the run's future; a cluster run's coordinator stays to answer
 * status. A durable coordinator that fails is rebuilt with backoff and recovers from the journal;
 * the agents and registries it was given outlive it ({@link RunAgents} hands them over again).
 */
public final class RunCoordinator
    extends EventSourcedBehavior<RunCoordinator.Command, CoordinatorEvent, RunLedger> {

  public interface Command {
  }

  /** A batch of finished interactions from one node's registry. */
  public record RecordsArrived(NormRegistry.RecordBatch batch)
      implements Command, dev.norma.protocols.wire.CompactSerializable {
  }

  public record GetStatus(ActorRef<RunStatus> replyTo) implements Command, CborSerializable {
  }

  /** End the run now, for good; the reply is the status after the cancellation is recorded. */
  public record Cancel(ActorRef<RunStatus> replyTo) implements Command, CborSerializable {
  }

  /** Stop now (Ctrl-C) without ending the run: a durable run can be resumed later. */
  public enum Interrupt implements Command {
    INSTANCE
  }

  /**
   * Call lines a cluster node's language-model agents wrote (see
   * {@link dev.norma.runtime.inference.ShippedCallLog}), sent before the records they led to.
   * Chunks of one node are numbered from 1; the coordinator takes them in order, journals each
   * once, and acknowledges the highest it holds. The node sends unacknowledged chunks again, so a
   * chunk lost on the way (a coordinator moving or rebuilt) arrives later.
   *
   * @param node    the node's unique address
   * @param seq     the chunk's number
   * @param replyTo where the acknowledgement goes
   */
  public record CallsArrived(String node, long seq, List<String> lines, ActorRef<CallsAcked> replyTo)
      implements Command, CborSerializable {
  }

  /** Every chunk of call lines up to {@code seq} from the node is journaled. */
  public record CallsAcked(long seq) implements CborSerializable {
  }

  /**
   * A cluster node's latest inference figures for the run; {@code node} is its unique address.
   * Once the run is over the coordinator replies {@link RunOver}, and the node closes its gateway.
   */
  public record UsageReported(String node, InferenceUsage usage, ActorRef<RunOver> replyTo)
      implements Command, CborSerializable {
  }

  /** The run ended with {@code status}: a node's part of it may let go of its resources. */
  public record RunOver(String status) implements CborSerializable {
  }

  /** End the run as failed (a non-durable run that lost a node), with the reason. */
  public record Fail(String reason) implements Command, CborSerializable {
  }

  /**
   * A node left the cluster: what was in flight there is gone, so re-drive now rather than after
   * the stall timeout (messages for its shards wait in the regions until they have a new home).
   */
  public record NodeLost(String address) implements Command, CborSerializable {
  }

  private record Conclude(RunOutcome status, String stopReason) implements Command {
  }

  /** An agent took the state of restart {@code generation} ({@link AgentEntity.Restore}). */
  public record AgentRestored(long generation, int agent) implements Command, CborSerializable {
  }

  /**
   * An agent journaled through this coordinator stopped while the run goes on (its shard moves
   * to another node) with this state, for its next incarnation.
   */
  public record AgentHandedOver(int agent, MindState mind, int nextSequence, List<AgentSnapshot.Kept> kept)
      implements Command, CborSerializable {
  }

  /** No endpoint answers: the run stops as failed (see {@link #onUnreachable}). */
  private record EndpointsUnreachable(String reason) implements Command {
  }

  private enum ReportProgress implements Command {
    INSTANCE
  }

  /**
   * A local run's agent could not read its journal back or write to it (never sent between
   * nodes: a cluster's database is shared and may come back, and its coordinator keeps trying).
   */
  public record AgentJournalFailed(String reason) implements Command {
  }

  private enum CheckProgress implements Command {
    INSTANCE
  }

  private enum DrainTimedOut implements Command {
    INSTANCE
  }

  private enum Recovered implements Command {
    INSTANCE
  }

  private record MatchmakerHalted(Matchmaker.Halted halted) implements Command {
  }

  /** How a run's agents and registry are started where the coordinator runs. */
  @FunctionalInterface
  public interface RunAgents {
    /**
     * Starts (or, after a restart of the coordinator, finds) the run's agents on this node and
     * returns their shard region. Called by every incarnation of the coordinator; the registry
     * must send to the latest {@code batches}.
     *
     * @param context the coordinator's context, to spawn a local registry in
     * @param batches where a registry spawned here sends its batches
     */
    ActorRef<ShardingEnvelope<AgentEntity.Command>> start(ActorContext<Command> context,
                                                           ActorRef<NormRegistry.RecordBatch> batches);

    /**
     * After {@link #start}: the run's live agents on this node, for the matchmaker to tell an
     * initiator here directly; null (the default) to send every play through sharding.
     */
    default AgentsOnNode here() {
      return null;
    }
  }

  /**
   * Everything a coordinator needs.
   *
   * @param output          the run directory, written again from the journal on every start
   * @param progress        sees progress (local runs); {@link ProgressListener#NONE} otherwise
   * @param done            completed with the summary when a local run ends; null on a cluster
   * @param journalPluginId the journal, or null for the configured default
   * @param resultsNode     this node's address, reported in the status
   * @param llm             the run's language-model machinery: on one machine its gateway and call
   *                        journal ({@link dev.norma.runtime.inference.LlmStudy}); on a cluster the
   *                        nodes' reports ({@link ClusterInference}), whose call lines the coordinator
   *                        journals; null when the policy decides in place
   */
  public record Setup(String runId, StudyPlan plan, ExperimentSpec spec, Path output, RunSettings settings,
                      ProgressListener progress, CompletableFuture<Summary> done, RunAgents agents,
                      String journalPluginId, boolean durable, String resultsNode, RunInference llm) {
    public Setup(String runId, StudyPlan plan, ExperimentSpec spec, Path output, RunSettings settings,
                 ProgressListener progress, CompletableFuture<Summary> done, RunAgents agents,
                 String journalPluginId, boolean durable, String resultsNode) {
      this(runId, plan, spec, output, settings, progress, done, agents, journalPluginId, durable, resultsNode, null);
    }
  }

  public static PersistenceId persistenceId(String runId) {
    return PersistenceId.of("coordinator", runId);
  }

  /**
   * A coordinator. A durable one that fails (the journal, say) stops, and a {@link Rebuilder} builds a new one
   * after a pause, which recovers from the journal: a new behavior, so the mutable state starts
   * empty again (Pekko's own restart would replay onto the state it had). A non-durable one just
   * stops: without a journal it would start the run over.
   */
  public static Behavior<Command> create(Setup setup) {
    return setup.durable() ? Rebuilder.create(setup) : coordinator(setup, null);
  }

  private static Behavior<Command> coordinator(Setup setup, ActorRef<Rebuilder.Notice> rebuilder) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new RunCoordinator(context, timers, setup, rebuilder)));
  }

  /**
   * The journal of a local run cannot be read back or written: the run stops with this, its
   * directory left as it was.
   */
  public static final class JournalUnusable extends RuntimeException {
    JournalUnusable(String message) {
      super(message);
    }
  }

  /**
   * Runs the coordinator as its child, passes it every message, and builds a new one when it
   * stops before its run is over (on a cluster, it is never over: it answers status).
   *
   * <p>A rebuild helps when what failed was passing (a database restarting, a write that lost
   * its connection); it cannot mend a journal that is damaged or a disk that refuses writes.
   * So rebuilds back off (1 s, doubling up to {@link #MAX_BACKOFF}), and a local run gives up
   * after {@link #LOCAL_ATTEMPTS} coordinators in a row that failed without recording anything:
   * it ends with {@link JournalUnusable} naming the last failure, its run directory untouched
   * (the rebuilt files replace the old ones only once the journal has been read back whole). A
   * cluster's coordinator keeps trying: the database is shared and may come back.
   */
  private static final class Rebuilder {
    /** What a coordinator tells its rebuilder. */
    sealed interface Notice extends Command {
    }

    /** Recovered from the journal, up to (not including) {@code nextIndex}. */
    record Recovered(long nextIndex) implements Notice {
    }

    /** Recorded interactions up to {@code nextIndex}. */
    record Progressed(long nextIndex) implements Notice {
    }

    /** The journal failed it: {@code reason} says how. */
    record JournalFailed(String reason) implements Notice {
    }

    private record ChildStopped() implements Command {
    }

    private enum Rebuild implements Command {
      INSTANCE
    }

    static final int LOCAL_ATTEMPTS = 4;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    static Behavior<Command> create(Setup setup) {
      return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
        int[] incarnation = {0};
        int[] failuresInARow = {0};
        // The current coordinator's recovered index and the index it reached since (-1: not yet).
        long[] recoveredAt = {-1};
        long[] reached = {-1};
        String[] lastFailure = {"the coordinator stopped"};
        @SuppressWarnings("unchecked")
        ActorRef<Command>[] child = new ActorRef[1];
        ActorRef<Notice> self = context.getSelf().narrow();
        Runnable spawn = () -> {
          recoveredAt[0] = -1;
          reached[0] = -1;
          child[0] = context.spawn(coordinator(setup, self), "run-" + (++incarnation[0]));
          context.watchWith(child[0], new ChildStopped());
        };
        spawn.run();
        return Behaviors.receive(Command.class)
            .onMessage(Recovered.class, recovered -> {
              recoveredAt[0] = recovered.nextIndex();
              reached[0] = recovered.nextIndex();
              return Behaviors.same();
            })
            .onMessage(Progressed.class, progressed -> {
              reached[0] = Math.max(reached[0], progressed.nextIndex());
              return Behaviors.same();
            })
            .onMessage(JournalFailed.class, failed -> {
              lastFailure[0] = failed.reason();
              return Behaviors.same();
            })
            .onMessage(ChildStopped.class, stopped -> {
              if (setup.done() != null && setup.done().isDone()) {
                return Behaviors.stopped();
              }
              child[0] = null;
              boolean progressed = recoveredAt[0] >= 0 && reached[0] > recoveredAt[0];
              failuresInARow[0] = progressed ? 1 : failuresInARow[0] + 1;
              if (setup.done() != null && failuresInARow[0] >= LOCAL_ATTEMPTS) {
                setup.done().completeExceptionally(new JournalUnusable("the journal of run " + setup.runId()
                    + " cannot be used (" + failuresInARow[0] + " tries): " + lastFailure[0]));
                return Behaviors.stopped();
              }
              Duration backoff = Duration.ofSeconds(1L << Math.min(5, failuresInARow[0] - 1));
              backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
              context.getLog().warn("run {}: {}; rebuilding the coordinator from the journal in {} s",
                  setup.runId(), lastFailure[0], backoff.toSeconds());
              timers.startSingleTimer(Rebuild.INSTANCE, backoff);
              return Behaviors.same();
            })
            .onMessageEquals(Rebuild.INSTANCE, () -> {
              spawn.run();
              return Behaviors.same();
            })
            .onAnyMessage(message -> {
              if (child[0] != null) {
                child[0].tell(message);
              }
              return Behaviors.same();
            })
            .build();
      }));
    }
  }

  /** The first line of a failure and of its root cause: enough to tell what went wrong. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    return root == failure ? message : firstLine(failure.getMessage()) + ": " + message;
  }

  private static String firstLine(String text) {
    return String.valueOf(text).lines().findFirst().orElse("");
  }

  private final ActorContext<Command> context;
  /** The rebuilder of a durable coordinator, told of recovery, progress and journal failures; or null. */
  private final ActorRef<Rebuilder.Notice> rebuilder;
  private final TimerScheduler<Command> timers;
  private final Setup setup;
  private final StudyPlan plan;
  private final ActorRef<ShardingEnvelope<AgentEntity.Command>> agents;
  private final int window;
  private final RunProjection projection;
  /** The run's summary once it ended (or this session stopped); null before. */
  private Summary summary;
  /** What made this coordinator fail, for a run without a rebuilder to report; or null. */
  private RuntimeException failure;
  private ActorRef<Matchmaker.Command> matchmaker;
  /** The run's active time: the journal's before this coordinator started, then this session's. */
  private final ActiveTime activeTime = new ActiveTime(System::nanoTime);
  private long lastCheckedIndex = -1;
  /** The latest journal failure an agent reported since the run last recorded anything; or null. */
  private String agentJournalFailure;
  private int stallsWithJournalFailures;
  private static final int STALLS_BEFORE_GIVING_UP = 3;
  /** Re-drives in a row that recorded nothing, in a rule-based run in memory on a cluster. */
  private int stallsInMemory;
  /** Records received after the end, for draining. */
  private long receivedAfterEnd;
  /** Records received out of order and still held when the run ended. */
  private long heldAtEnd;
  private long admitted = -1;
  private boolean stopped;
  private boolean agentsRetired;
  /** Whether a cluster coordinator has let go of its matchmaker and announced the end to every node. */
  private boolean partsReleased;
  /** The matchmaker's window now: language-model studies follow the endpoints' capacity. */
  private int admissionWindow;
  /** Whether the run's agents are journaled through this coordinator's records ({@link AgentLedger}). */
  private final boolean throughCoordinator;
  /** The latest restart of such a run's agents (0: none yet); acknowledgements of others are old. */
  private long generation;
  /** Agents that took the latest restart's state; null when no restart is under way. */
  private BitSet restored;
  private int restoredCount;
  private int restoredAtLastCheck = -1;
  /** Whether this coordinator started the run's agents (so it retires them at the end). */
  private boolean agentsStarted;
  private int matchmakers;

  private RunCoordinator(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup,
                               ActorRef<Rebuilder.Notice> rebuilder) {
    super(persistenceId(setup.runId()));
    this.rebuilder = rebuilder;
    this.context = context;
    this.timers = timers;
    this.setup = setup;
    this.plan = setup.plan();
    this.window = RunLedger.window(plan);
    this.throughCoordinator = AgentLedger.journalsAtCoordinator(plan, setup.durable());
    try {
      RunDirectory output = RunDirectory.rewrite(setup.output(), setup.spec(), plan.game(), plan.populationSize());
      output.logInterventions(plan.interventions().applied());
      this.projection = new RunProjection(output, setup.llm() instanceof ClusterInference);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the run directory " + setup.output(), e);
    }
    ActorRef<NormRegistry.RecordBatch> batches =
        context.messageAdapter(NormRegistry.RecordBatch.class, RecordsArrived::new);
    this.agents = setup.agents().start(context, batches);
  }

  /** Nothing is snapshotted; without a snapshot store a recovery costs one query, not two. */
  @Override
  public String snapshotPluginId() {
    return "pekko.persistence.no-snapshot-store";
  }

  @Override
  public String journalPluginId() {
    return setup.journalPluginId() == null ? "" : setup.journalPluginId();
  }

  @Override
  public RunLedger emptyState() {
    return new RunLedger(plan, throughCoordinator);
  }

  @Override
  public EventHandler<RunLedger, CoordinatorEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RunLedger::apply);
  }

  /**
   * Hands what the stored events changed to the run directory; a change that ended the run makes
   * its summary.
   */
  private void project(RunLedger state) {
    try {
      Summary ended = projection.write(state.takeChanges(), event -> summarize(state, event));
      if (ended != null) {
        summary = ended;
      }
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private Summary summarize(RunLedger state, CoordinatorEvent.Ended event) {
    if (event.inference() != null && setup.llm() instanceof ClusterInference cluster) {
      cluster.restore(event.inference());
    }
    return withInference(RunSummaries.summarize(setup.spec(), plan, state.observer(), RunOutcome.of(event.status()),
        event.stopReason(), event.elapsedNanos() / 1e9, reissuedCalls()));
  }

  private long reissuedCalls() {
    return setup.llm() == null ? 0 : setup.llm().reissuedCalls();
  }

  /**
   * With language-model agents: closes their gateway and call journal (the results are final;
   * calls still in flight are not part of them) and adds what they cost.
   */
  private Summary withInference(Summary summary) {
    RunInference llm = setup.llm();
    if (llm == null) {
      return summary;
    }
    llm.close();
    return summary.withInference(llm.summary());
  }

  @Override
  public SignalHandler<RunLedger> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // The journal has been read back whole: the run directory is rebuilt from it, and the
          // rebuilt files may replace the old ones.
          project(state);
          projection.journalRead();
          context.getSelf().tell(Recovered.INSTANCE);
        })
        .onSignal(org.apache.pekko.persistence.typed.RecoveryFailed.class, (state, failed) ->
            notifyRebuilder(new Rebuilder.JournalFailed("cannot read the journal back: " + describe(failed.getFailure()))))
        .onSignal(org.apache.pekko.persistence.typed.JournalPersistFailed.class, (state, failed) ->
            notifyRebuilder(new Rebuilder.JournalFailed("cannot write to the journal: " + describe(failed.getFailure()))))
        .onSignal(PostStop.instance(), state -> {
          if (rebuilder == null && setup.done() != null && !setup.done().isDone()) {
            // Nothing builds a run without a journal again: it ends here, with what failed it.
            projection.closeFailed();
            setup.done().completeExceptionally(failure != null ? failure
                : new IllegalStateException("the run's coordinator stopped"));
          } else {
            projection.close();
          }
        })
        .build();
  }

  @Override
  public CommandHandler<Command, CoordinatorEvent, RunLedger> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Recovered.class, (state, message) -> onRecovered(state))
        .onCommand(RecordsArrived.class, this::onRecords)
        .onCommand(CallsArrived.class, this::onCalls)
        .onCommand(AgentRestored.class, this::onAgentRestored)
        .onCommand(AgentHandedOver.class, (state, handedOver) -> {
          if (state.ended() == null && throughCoordinator) {
            agents.tell(new ShardingEnvelope<>(Integer.toString(handedOver.agent()), new AgentEntity.Restore(
                generation, handedOver.mind(), handedOver.nextSequence(), handedOver.kept(), context.getSelf())));
          }
          return Effect().none();
        })
        .onCommand(UsageReported.class, (state, reported) -> {
          if (state.ended() != null) {
            reported.replyTo().tell(new RunOver(state.ended().status()));
          } else if (setup.llm() instanceof ClusterInference cluster) {
            cluster.report(reported.node(), reported.usage());
          }
          return Effect().none();
        })
        .onCommand(Conclude.class, (state, conclude) -> conclude(state, conclude.status(), conclude.stopReason()))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Fail.class, (state, fail) -> {
          if (state.ended() == null) {
            context.getLog().error("run {} failed: {}", setup.runId(), fail.reason());
          }
          return conclude(state, RunOutcome.FAILED, fail.reason());
        })
        .onCommand(Interrupt.class, (state, interrupt) -> onInterrupt(state))
        .onCommand(EndpointsUnreachable.class, (state, unreachable) -> onUnreachable(state, unreachable.reason()))
        .onCommand(GetStatus.class, (state, get) -> {
          get.replyTo().tell(status(state, null));
          return Effect().none();
        })
        .onCommand(ReportProgress.class, (state, report) -> {
          String unreachable = state.ended() == null && setup.llm() != null ? setup.llm().unreachable() : null;
          if (unreachable != null) {
            // Checked on the timer too: when every call hangs in retries, no batch comes to check it.
            return onUnreachable(state, unreachable);
          }
          ProgressListener.Snapshot snapshot = snapshot(state);
          setup.progress().update(setup.llm() == null || state.ended() != null ? snapshot
              : snapshot.withInference(setup.llm().progress()));
          return Effect().none();
        })
        .onCommand(CheckProgress.class, (state, check) -> onCheckProgress(state))
        .onCommand(AgentJournalFailed.class, (state, failed) -> {
          agentJournalFailure = failed.reason();
          return Effect().none();
        })
        .onCommand(NodeLost.class, (state, lost) -> {
          if (state.ended() == null && (matchmaker != null || restored != null)) {
            redrive(state, "node " + lost.address() + " left");
          }
          return Effect().none();
        })
        .onCommand(MatchmakerHalted.class, (state, halted) -> {
          admitted = halted.halted().admitted();
          return drainedYet(state);
        })
        .onCommand(DrainTimedOut.class, (state, timeout) -> complete(state))
        .build();
  }

  private void notifyRebuilder(Rebuilder.Notice notice) {
    if (rebuilder != null) {
      rebuilder.tell(notice);
    }
  }

  private Effect<CoordinatorEvent, RunLedger> onRecovered(RunLedger state) {
    notifyRebuilder(new Rebuilder.Recovered(state.nextIndex()));
    activeTime.startSession(state.elapsedNanos());
    if (state.ended() != null) {
      // Ended before: the journal has rebuilt the run directory; nothing to run.
      activeTime.end(state.elapsedNanos());
      return complete(state);
    }
    if (state.observer().stopReason() != null) {
      // Its last stretch met a stop rule, but the session stopped (Ctrl-C, a kill) before it wrote
      // the end: a matchmaker would admit nothing more, so the run ends here.
      return conclude(state, RunOutcome.COMPLETED, state.observer().stopReason());
    }
    if (setup.llm() != null && setup.llm().budgetExhausted()) {
      // Spent before it was resumed: not a call more.
      return conclude(state, RunOutcome.BUDGET_EXHAUSTED, "budget-exhausted");
    }
    admissionWindow = setup.llm() == null ? window : Math.min(window, setup.llm().admissionWindow());
    if (throughCoordinator) {
      if (state.nextIndex() > 0) {
        context.getLog().info("run {}: restarting every agent from the journal at interaction {}",
            setup.runId(), state.nextIndex());
      }
      restart(state);
    } else {
      Effect<CoordinatorEvent, RunLedger> failed = startMatchmaker(state);
      if (failed != null) {
        return failed;
      }
    }
    timers.startTimerWithFixedDelay(ReportProgress.INSTANCE, setup.settings().progressInterval());
    if (setup.durable() || setup.done() == null) {
      // Only a run whose agents or records can be lost (with a node, or a process that died) needs
      // re-driving; on one machine without a journal nothing is lost, and a slow endpoint is no stall.
      timers.startTimerWithFixedDelay(CheckProgress.INSTANCE, setup.settings().stallTimeout());
    }
    return Effect().none();
  }

  /**
   * Starts the matchmaker at the first unrecorded interaction.
   *
   * @return null, or the run's end when it cannot start there
   */
  private Effect<CoordinatorEvent, RunLedger> startMatchmaker(RunLedger state) {
    // It admits from the first unrecorded interaction and is credited for each as it comes back.
    state.forgetHeld();
    try {
      matchmaker = context.spawn(Matchmaker.create(plan, agents, setup.agents().here(), state.nextIndex(), window,
          admissionWindow), "matchmaker-" + (++matchmakers));
    } catch (RuntimeException e) {
      return conclude(state, RunOutcome.FAILED, e.getMessage());
    }
    agentsStarted = true;
    context.watchWith(matchmaker, new Fail("the matchmaker stopped unexpectedly"));
    return null;
  }

  /**
   * Agents journaled through this coordinator may be ahead of the journal (interactions not yet
   * recorded) or behind it (an agent lost with a node, a new process): every agent is given its
   * state as the journal leaves it, and once every one has taken it the matchmaker starts again
   * at the first unrecorded interaction. Until then no interaction is admitted, and what comes
   * back of the ones before is dropped (the matchmaker admits them again). Agents apply turns
   * that were under way before their restore as the restarted run would: on a seeded schedule
   * with rule-based agents each interaction has one outcome.
   */
  private void restart(RunLedger state) {
    if (matchmaker != null) {
      context.unwatch(matchmaker);
      context.stop(matchmaker);
      matchmaker = null;
    }
    agentsStarted = true;
    generation = Math.max(generation + 1, System.currentTimeMillis());
    restored = new BitSet(plan.populationSize());
    restoredCount = 0;
    restoredAtLastCheck = -1;
    AgentLedger ledger = state.agents();
    ActorRef<Command> self = context.getSelf();
    for (int agent = 0; agent < plan.populationSize(); agent++) {
      agents.tell(new ShardingEnvelope<>(Integer.toString(agent),
          new AgentEntity.Restore(generation, ledger.mind(agent), ledger.nextSequence(agent), List.of(), self)));
    }
  }

  private Effect<CoordinatorEvent, RunLedger> onAgentRestored(RunLedger state, AgentRestored ack) {
    if (restored == null || ack.generation() != generation || restored.get(ack.agent())) {
      return Effect().none();
    }
    restored.set(ack.agent());
    if (++restoredCount < plan.populationSize()) {
      return Effect().none();
    }
    restored = null;
    if (state.ended() != null) {
      return Effect().none();
    }
    Effect<CoordinatorEvent, RunLedger> failed = startMatchmaker(state);
    return failed != null ? failed : Effect().none();
  }

  private Effect<CoordinatorEvent, RunLedger> onRecords(RunLedger state, RecordsArrived message) {
    List<InteractionRecord> records = message.batch().records();
    if (state.ended() != null || matchmaker == null) {
      receivedAfterEnd += records.size();
      return drainedYet(state);
    }
    RunLedger.Taken taken = state.take(records);
    List<InteractionRecord> inOrder = taken.inOrder();
    // Credit returns as interactions finish, in any order, and before the stretch is stored: the
    // matchmaker admits the next interactions while the journal writes, at most a reach past the
    // stretch. Safe for exactness: every record that comes back fits in the reach, and those that
    // come back meanwhile wait until the stretch is applied; a coordinator that fails before the
    // write recovers to where the journal is and re-drives. What agents may forget (Settled)
    // moves only once the journal holds the stretch.
    if (!taken.arrived().isEmpty()) {
      matchmaker.tell(new Matchmaker.Credit(taken.arrived().size(), state.freed(taken.arrived()),
          state.nextIndex() + inOrder.size()));
    }
    if (inOrder.isEmpty()) {
      return Effect().none();
    }
    CoordinatorEvent.Recorded recorded =
        new CoordinatorEvent.Recorded(state.nextIndex(), RecordColumns.of(inOrder), elapsedNanos(state));
    return Effect().persist(recorded)
        .thenRun(updated -> {
          matchmaker.tell(new Matchmaker.Settled(updated.nextIndex()));
          project(updated);
          notifyRebuilder(new Rebuilder.Progressed(updated.nextIndex()));
          if (updated.observer().stopReason() != null) {
            context.getSelf().tell(new Conclude(RunOutcome.COMPLETED, updated.observer().stopReason()));
          } else {
            checkInference();
          }
        });
  }

  /** Journals a node's next chunk of call lines once; a chunk out of order waits to be sent again. */
  private Effect<CoordinatorEvent, RunLedger> onCalls(RunLedger state, CallsArrived arrived) {
    long last = state.callsFrom(arrived.node());
    if (!(setup.llm() instanceof ClusterInference) || arrived.seq() > last + 1) {
      return Effect().none();
    }
    if (arrived.seq() <= last) {
      arrived.replyTo().tell(new CallsAcked(last));
      return Effect().none();
    }
    return Effect().persist(new CoordinatorEvent.CallsRecorded(arrived.node(), arrived.seq(), arrived.lines()))
        .thenRun(updated -> {
          project(updated);
          arrived.replyTo().tell(new CallsAcked(arrived.seq()));
        });
  }

  /** With language-model agents: ends the run when a budget is reached or no endpoint answers. */
  private void checkInference() {
    RunInference llm = setup.llm();
    if (llm == null) {
      return;
    }
    if (llm.budgetExhausted()) {
      context.getSelf().tell(new Conclude(RunOutcome.BUDGET_EXHAUSTED, "budget-exhausted"));
    } else if (llm.unreachable() != null) {
      context.getSelf().tell(new EndpointsUnreachable(llm.unreachable()));
    } else {
      int next = Math.min(window, llm.admissionWindow());
      if (next != admissionWindow && matchmaker != null) {
        admissionWindow = next;
        matchmaker.tell(new Matchmaker.Resize(next));
      }
    }
  }

  private long elapsedNanos(RunLedger state) {
    return activeTime.elapsedNanos();
  }

  private Effect<CoordinatorEvent, RunLedger> onCheckProgress(RunLedger state) {
    if (state.ended() == null && restored != null) {
      if (restoredCount == restoredAtLastCheck) {
        context.getLog().info("run {}: {} of {} agents did not take their state in {}; giving it again",
            setup.runId(), plan.populationSize() - restoredCount, plan.populationSize(),
            setup.settings().stallTimeout());
        restart(state);
      } else {
        restoredAtLastCheck = restoredCount;
      }
      return Effect().none();
    }
    if (state.ended() != null || matchmaker == null) {
      return Effect().none();
    }
    if (state.nextIndex() != lastCheckedIndex) {
      stallsWithJournalFailures = 0;
      agentJournalFailure = null;
      stallsInMemory = 0;
    } else if (agentJournalFailure != null && ++stallsWithJournalFailures >= STALLS_BEFORE_GIVING_UP
        && setup.done() != null) {
      // Re-driving cannot mend a journal that cannot be read: say so and stop, results as they are.
      setup.done().completeExceptionally(new JournalUnusable("nothing recorded for "
          + stallsWithJournalFailures * setup.settings().stallTimeout().toSeconds() + " s; " + agentJournalFailure));
      return Effect().stop();
    }
    if (state.nextIndex() == lastCheckedIndex && !setup.durable() && setup.done() == null && setup.llm() == null
        && setup.settings().stallTimeout().multipliedBy(++stallsInMemory)
            .compareTo(setup.settings().inMemoryGiveUp()) >= 0) {
      // (A lost play or proposal is played again by the re-drives; an answer lost between nodes is
      // not: its responder, in memory, keeps nothing to answer again for.)
      return onUnreachable(state, "nothing recorded for "
          + setup.settings().stallTimeout().multipliedBy(stallsInMemory).toMillis() / 1000.0 + " s although the"
          + " interactions in flight from " + state.nextIndex() + " on were played again " + (stallsInMemory - 1)
          + " times: messages between the nodes were lost (each node's log says how many and why), and agents"
          + " that live only in memory cannot answer again (durability: durable can)");
    }
    if (state.nextIndex() == lastCheckedIndex) {
      redrive(state, "no interaction recorded for " + setup.settings().stallTimeout());
    }
    lastCheckedIndex = state.nextIndex();
    return Effect().none();
  }

  /** What may have been lost ({@code why}) is played again from the first unrecorded interaction. */
  private void redrive(RunLedger state, String why) {
    if (throughCoordinator) {
      // An agent may be new and waiting for its state: re-driving alone would not reach it.
      context.getLog().info("run {}: {}; restarting every agent from the journal at interaction {}",
          setup.runId(), why, state.nextIndex());
      restart(state);
    } else {
      context.getLog().info("run {}: {}; re-driving the interactions in flight from {}", setup.runId(), why,
          state.nextIndex());
      matchmaker.tell(new Matchmaker.Redrive(state.nextIndex(), state.held()));
    }
  }

  private Effect<CoordinatorEvent, RunLedger> onCancel(RunLedger state, Cancel cancel) {
    if (state.ended() != null) {
      cancel.replyTo().tell(status(state, null));
      return Effect().none();
    }
    return conclude(state, RunOutcome.CANCELLED, "cancelled")
        .thenRun(updated -> cancel.replyTo().tell(status(updated, null)));
  }

  private EffectBuilder<CoordinatorEvent, RunLedger> conclude(RunLedger state, RunOutcome status, String stopReason) {
    if (state.ended() != null) {
      return Effect().none();
    }
    InferenceUsage inference = setup.llm() instanceof ClusterInference cluster ? cluster.total() : null;
    return Effect().persist(new CoordinatorEvent.Ended(status.wireName(), stopReason, elapsedNanos(state), inference))
        .thenRun(updated -> {
          activeTime.end(updated.elapsedNanos());
          project(updated);
          heldAtEnd = updated.held().length;
          timers.cancel(ReportProgress.INSTANCE);
          timers.cancel(CheckProgress.INSTANCE);
          setup.progress().update(snapshot(updated));
          setup.progress().finished(summary);
          if (matchmaker != null) {
            context.unwatch(matchmaker);
            matchmaker.tell(new Matchmaker.Halt(context.messageAdapter(Matchmaker.Halted.class,
                MatchmakerHalted::new)));
            timers.startSingleTimer(DrainTimedOut.INSTANCE, DRAIN_TIMEOUT);
          } else {
            context.getSelf().tell(DrainTimedOut.INSTANCE);
          }
        });
  }

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /**
   * No endpoint answers. A local durable run stops as an interruption does, its journal left as it
   * is, so that {@code norma run --resume} continues it once the endpoint is back; its summary says
   * {@code failed} and why. A local run without a journal fails with the reason (the PostStop
   * signal completes its future). A cluster run ends as failed (its coordinator stays to say why).
   */
  private Effect<CoordinatorEvent, RunLedger> onUnreachable(RunLedger state, String reason) {
    if (state.ended() != null) {
      return Effect().none();
    }
    context.getLog().error("run {} failed: {}", setup.runId(), reason);
    if (setup.done() == null) {
      return conclude(state, RunOutcome.FAILED, reason);
    }
    if (!setup.durable()) {
      // Nothing to resume: the run fails with the reason, its finished rows kept.
      failure = new IllegalStateException(reason);
      return Effect().stop();
    }
    return stopSession(state, RunOutcome.FAILED, reason);
  }

  /** Ctrl-C: keep the journal as it is (a durable run resumes from it) and say so in the summary. */
  private Effect<CoordinatorEvent, RunLedger> onInterrupt(RunLedger state) {
    return stopSession(state, RunOutcome.INTERRUPTED, "interrupted");
  }

  /** Ends this session without ending the run in the journal: a resume goes on from where it stopped. */
  private Effect<CoordinatorEvent, RunLedger> stopSession(RunLedger state, RunOutcome status, String stopReason) {
    if (state.ended() != null) {
      return complete(state);
    }
    Summary stopped = withInference(RunSummaries.summarize(setup.spec(), plan, state.observer(), status,
        stopReason, elapsedNanos(state) / 1e9, reissuedCalls()));
    projection.writeSummary(stopped);
    summary = stopped;
    setup.progress().update(snapshot(state));
    setup.progress().finished(stopped);
    if (setup.done() != null) {
      setup.done().complete(stopped);
    }
    return Effect().stop();
  }

  private Effect<CoordinatorEvent, RunLedger> drainedYet(RunLedger state) {
    if (state.ended() != null && admitted >= 0
        && receivedAfterEnd + heldAtEnd >= admitted - state.nextIndex()) {
      return complete(state);
    }
    return Effect().none();
  }

  /**
   * The run is over and its interactions drained: its agents are stopped on every node (their
   * memory is freed; a durable agent's state stays in the journal). A local coordinator hands
   * over the summary and stops; a cluster one stays to answer status.
   */
  private Effect<CoordinatorEvent, RunLedger> complete(RunLedger state) {
    timers.cancel(DrainTimedOut.INSTANCE);
    if (!agentsRetired && agentsStarted && (setup.durable() || setup.done() == null)) {
      // Only after this coordinator ran the run: a message to an agent that is not up starts it
      // (and a durable one recovers), which a run recovered already ended does not need. A local
      // run without a journal leaves its agents to the runner, which ends with the run.
      agentsRetired = true;
      for (int agent = 0; agent < plan.populationSize(); agent++) {
        agents.tell(new ShardingEnvelope<>(Integer.toString(agent), AgentEntity.Retire.INSTANCE));
      }
    }
    if (setup.done() == null) {
      if (!partsReleased) {
        // A cluster coordinator stays to answer status, with what it needs for that alone: the
        // matchmaker and every node's part of the run go.
        partsReleased = true;
        if (matchmaker != null) {
          context.unwatch(matchmaker);
          context.stop(matchmaker);
          matchmaker = null;
        }
        context.spawnAnonymous(RunOnNode.announceEnd(setup.runId()));
        projection.release();
      }
      return Effect().none();
    }
    if (!stopped) {
      stopped = true;
      setup.done().complete(summary);
    }
    return Effect().stop();
  }

  private ProgressListener.Snapshot snapshot(RunLedger state) {
    return state.snapshot(activeTime.perSecond(state.observer().recorded()));
  }

  private RunStatus status(RunLedger state, String message) {
    ProgressListener.Snapshot s = snapshot(state);
    String phase = state.ended() != null ? state.ended().status() : matchmaker == null ? "starting" : "running";
    return new RunStatus(setup.runId(), setup.spec().name(), phase, setup.durable(), s.interactions(),
        s.round(), s.maxRounds(), s.successRate(), s.topName(), s.topShare(), s.perSecond(),
        setup.resultsNode(), message, summary);
  }

  /** The dispatcher a coordinator runs on (it writes files). */
  public static org.apache.pekko.actor.typed.DispatcherSelector dispatcher() {
    return org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("norma.blocking-dispatcher");
  }
}
