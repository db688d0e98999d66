package dev.norma.runtime.study;

import dev.norma.agents.measure.InteractionRecord;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.results.Summary;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * Owns one run: sets up the run's agents (a sharded entity type scoped by run id), its norm
 * registry and matchmaker; puts the registries' batches back in index order; feeds them to the
 * {@link PopulationObserver} and the run directory; returns credit to the matchmaker; applies the
 * stop rules; writes the summary.
 *
 * <p>Protocol: {@link NormRegistry.RecordBatch} (adapted), {@link Interrupt}, and a progress
 * timer. With language-model agents ({@link LlmStudy}) it also keeps the matchmaker's window
 * following the inference gateway's capacity, stops the run when a budget is reached, and adds the
 * calls, tokens and cost to progress and summary. Lifecycle: spawned per run; stops itself when the run ends and completes the run's
 * future with the {@link Summary} (or exceptionally if results cannot be written). It does file
 * I/O, so it runs on the blocking dispatcher.
 */
public final class ExperimentCoordinator extends AbstractBehavior<ExperimentCoordinator.Command> {

  public sealed interface Command permits BatchArrived, Interrupt, ReportProgress, MatchmakerHalted,
      DrainTimedOut {
  }

  private record MatchmakerHalted(Matchmaker.Halted halted) implements Command {
  }

  private enum DrainTimedOut implements Command {
    INSTANCE
  }

  private record BatchArrived(NormRegistry.RecordBatch batch) implements Command {
  }

  /** Stop now and keep what was done (Ctrl-C). */
  public enum Interrupt implements Command {
    INSTANCE
  }

  private enum ReportProgress implements Command {
    INSTANCE
  }

  public static Behavior<Command> create(String runId, StudyPlan plan, ExperimentSpec resolvedSpec,
                                         RunDirectory output, RunSettings settings,
                                         ProgressListener progress, CompletableFuture<Summary> done) {
    return create(runId, plan, resolvedSpec, output, settings, progress, done, null);
  }

  /** A run whose agents ask language models through {@code llm} (null: the policy decides in place). */
  public static Behavior<Command> create(String runId, StudyPlan plan, ExperimentSpec resolvedSpec,
                                         RunDirectory output, RunSettings settings,
                                         ProgressListener progress, CompletableFuture<Summary> done,
                                         LlmStudy llm) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ExperimentCoordinator(
        context, timers, runId, plan, resolvedSpec, output, settings, progress, done, llm)));
  }

  private final StudyPlan plan;
  private final ExperimentSpec spec;
  private final RunDirectory output;
  private final ProgressListener progress;
  private final CompletableFuture<Summary> done;
  private final PopulationObserver observer;
  private final ActorRef<Matchmaker.Command> matchmaker;
  private final InteractionRecord[] pending;
  /** Continuous schedule: agents freed by the interactions consumed in one batch. */
  private final int[] freed;
  private final boolean continuous;
  private final long startNanos = System.nanoTime();
  private final TimerScheduler<Command> timers;
  private long nextIndex;
  /** Records received, kept or not: the run drains until every admitted interaction is back. */
  private long received;
  private long admitted = -1;
  private Summary result;
  private final LlmStudy llm;
  private int admissionWindow;

  private ExperimentCoordinator(ActorContext<Command> context, TimerScheduler<Command> timers,
                                String runId, StudyPlan plan, ExperimentSpec spec, RunDirectory output,
                                RunSettings settings, ProgressListener progress,
                                CompletableFuture<Summary> done, LlmStudy llm) {
    super(context);
    this.llm = llm;
    this.timers = timers;
    this.plan = plan;
    this.spec = spec;
    this.output = output;
    this.progress = progress;
    this.done = done;
    this.observer = new PopulationObserver(plan);
    this.continuous = !plan.deterministic();
    // Continuous pairing keeps each agent in at most one interaction: at most N/2 at once.
    int window = continuous ? Math.max(1, Math.min(spec.schedule().inFlight(), plan.populationSize() / 2))
        : spec.schedule().inFlight();
    this.pending = new InteractionRecord[window];
    this.freed = continuous ? new int[2 * window] : EMPTY;

    ActorRef<NormRegistry.RecordBatch> batches =
        context.messageAdapter(NormRegistry.RecordBatch.class, BatchArrived::new);
    ActorRef<NormRegistry.Command> registry = context.spawn(
        NormRegistry.create(batches, batchSizeFor(window, settings), settings.registryFlushInterval()),
        "norm-registry");
    StudyContext[] study = new StudyContext[1];
    ActorRef<ShardingEnvelope<AgentEntity.Command>> agents = AgentEntity.initSharding(
        context.getSystem(), runId, settings, entityId -> AgentEntity.create(entityId, study[0]));
    study[0] = new StudyContext(runId, plan, agents, registry, llm == null ? null : llm.deliberation());
    this.admissionWindow = llm == null ? window : llm.admissionWindow();
    this.matchmaker = context.spawn(Matchmaker.create(plan, agents, 0, window, admissionWindow), "matchmaker");
    context.watch(matchmaker);
    timers.startTimerWithFixedDelay(ReportProgress.INSTANCE, settings.progressInterval());
  }

  /**
   * A registry batch must be a fraction of the in-flight window, or credit returns only on the
   * flush timer and a small window crawls.
   */
  static int batchSizeFor(int window, RunSettings settings) {
    return Math.max(1, Math.min(settings.registryBatchSize(), window / 4));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(BatchArrived.class, this::onBatch)
        .onMessageEquals(Interrupt.INSTANCE, () -> finish("interrupted", "interrupted"))
        .onMessageEquals(ReportProgress.INSTANCE, this::onReportProgress)
        .onSignal(org.apache.pekko.actor.typed.Terminated.class, signal -> fail(
            new IllegalStateException("the matchmaker stopped unexpectedly")))
        .build();
  }

  private Behavior<Command> onBatch(BatchArrived message) {
    received += message.batch().records().size();
    if (result != null) {
      return drainedYet();
    }
    int window = pending.length;
    for (InteractionRecord record : message.batch().records()) {
      long offset = record.index() - nextIndex;
      if (offset < 0 || offset >= window) {
        // Past the stop point, or a duplicate: not part of this run's record.
        continue;
      }
      pending[(int) (record.index() % window)] = record;
    }
    int finished = 0;
    int freedCount = 0;
    try {
      while (true) {
        int slot = (int) (nextIndex % window);
        InteractionRecord record = pending[slot];
        if (record == null || record.index() != nextIndex) {
          break;
        }
        pending[slot] = null;
        nextIndex++;
        finished++;
        if (continuous) {
          freed[freedCount++] = record.initiator();
          freed[freedCount++] = record.responder();
        }
        output.writeInteraction(record);
        RoundRow row = observer.accept(record);
        if (row != null) {
          output.writeRound(row);
          if (observer.stopReason() != null) {
            return finish("completed", observer.stopReason());
          }
        }
      }
    } catch (RuntimeException e) {
      return fail(e);
    }
    if (llm != null && llm.budgetExhausted()) {
      return finish("budget-exhausted", "budget-exhausted");
    }
    if (llm != null && llm.unreachable() != null) {
      return fail(new IllegalStateException(llm.unreachable()));
    }
    if (finished > 0) {
      followInferenceCapacity();
      matchmaker.tell(new Matchmaker.Credit(finished,
          continuous ? java.util.Arrays.copyOf(freed, freedCount) : EMPTY));
      // At most a window of interactions is consumed per batch, so freed never overflows.
    }
    return this;
  }

  /** Language-model studies: the matchmaker admits only as many interactions as the endpoints can take. */
  private void followInferenceCapacity() {
    if (llm != null) {
      int window = llm.admissionWindow();
      if (window != admissionWindow) {
        admissionWindow = window;
        matchmaker.tell(new Matchmaker.Resize(window));
      }
    }
  }

  private static final int[] EMPTY = new int[0];

  private Behavior<Command> onReportProgress() {
    if (llm != null && llm.unreachable() != null) {
      // Checked on the timer too: when every call hangs in retries, no batch comes to check it.
      return fail(new IllegalStateException(llm.unreachable()));
    }
    followInferenceCapacity();
    progress.update(snapshot());
    return this;
  }

  private ProgressListener.Snapshot snapshot() {
    RoundRow last = observer.lastRow();
    long rounds = observer.recorded() / plan.populationSize();
    ProgressListener.Snapshot snapshot = new ProgressListener.Snapshot(rounds,
        plan.maxInteractions() / plan.populationSize(),
        observer.recorded(), last == null ? 0 : last.successRate(), last == null ? "" : last.topName(),
        last == null ? 0 : last.topShare(), observer.recorded() / elapsedSeconds());
    return llm == null ? snapshot : snapshot.withInference(llm.progress());
  }

  private double elapsedSeconds() {
    return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  private Behavior<Command> finish(String status, String stopReason) {
    if (result != null) {
      return this;
    }
    getContext().unwatch(matchmaker);
    matchmaker.tell(new Matchmaker.Halt(getContext().messageAdapter(Matchmaker.Halted.class,
        MatchmakerHalted::new)));
    Summary summary = RunSummaries.summarize(spec, plan, observer, status, stopReason, elapsedSeconds(), 0);
    try {
      if (llm != null) {
        // The results are final: calls for interactions still in flight would cost and count for
        // nothing. Closing the gateway fails them, so those interactions drain at once.
        llm.close();
        summary = summary.withInference(llm.summary());
      }
      output.close();
      output.writeReport();
      output.writeSummary(summary);
    } catch (Exception e) {
      return fail(e);
    }
    progress.update(snapshot());
    progress.finished(summary);
    result = summary;
    // Results are final; let the interactions still in flight finish so that the agents are
    // quiet (and their states complete) before the run reports done.
    timers.cancel(ReportProgress.INSTANCE);
    timers.startSingleTimer(DrainTimedOut.INSTANCE, DRAIN_TIMEOUT);
    return newReceiveBuilder()
        .onMessage(BatchArrived.class, this::onBatch)
        .onMessage(MatchmakerHalted.class, halted -> {
          admitted = halted.halted().admitted();
          return drainedYet();
        })
        .onMessageEquals(DrainTimedOut.INSTANCE, () -> {
          getContext().getLog().warn("{} of {} admitted interactions came back before the drain timed out",
              received, admitted);
          return complete();
        })
        .onAnyMessage(ignored -> this)
        .build();
  }

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private Behavior<Command> drainedYet() {
    return admitted >= 0 && received >= admitted ? complete() : Behaviors.same();
  }

  private Behavior<Command> complete() {
    if (llm != null) {
      llm.close();
    }
    done.complete(result);
    return Behaviors.stopped();
  }

  private Behavior<Command> fail(Exception e) {
    getContext().getLog().error("run failed", e);
    if (llm != null) {
      llm.close();
    }
    try {
      output.close();
    } catch (Exception suppressed) {
      e.addSuppressed(suppressed);
    }
    done.completeExceptionally(e);
    return Behaviors.stopped();
  }

  /** The dispatcher the coordinator runs on (it writes files). */
  public static DispatcherSelector dispatcher() {
    return DispatcherSelector.fromConfig("norma.blocking-dispatcher");
  }
}
