package dev.norma.runtime.sweep;

import dev.norma.agents.sweep.SweepPoint;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where the runs of a sweep are made: in this JVM ({@link SweepExecution}) or on a cluster. Either
 * way each run ends as an ordinary run directory at its {@link Job#dir()}, and the listener hears
 * the same events, so the sweep directory is the same wherever its runs were made.
 *
 * <p>Lifecycle: {@link #runAll} may be called again and again (batches of a statistical stop);
 * {@link #stop} (Ctrl-C) lets no further run start and ends those under way, which are not
 * recorded; {@link #close} lets go of what the executor holds.
 */
public interface SweepExecutor extends AutoCloseable {
  /** One run of a sweep: the point, its replicate and seed, the spec it runs and its directory. */
  record Job(SweepPoint point, int replicate, long seed, ExperimentSpec spec, Path dir) {
  }

  /** Sees the runs start and end; called from the executor's threads, possibly at once. */
  interface Listener {
    /** The run has started; {@code progress} is to be given its snapshots. */
    ProgressListener started(Job job);

    /** The run ended and its directory holds its summary (its status may be {@code failed}). */
    void finished(Job job, Summary summary);

    /** The run ended in an exception, without a summary. */
    void failed(Job job, Throwable failure, double wallSeconds);

    /** The run was interrupted (Ctrl-C): it is not done, and a resume runs it again. */
    void interrupted(Job job);
  }

  /** How many runs go at once. */
  int slots();

  /** Runs {@code jobs}, {@link #slots} at a time, and returns once each has ended or was skipped by a stop. */
  void runAll(List<Job> jobs, Listener listener) throws InterruptedException;

  /**
   * Lets no further run start and ends the runs under way.
   *
   * @return true (a sweep has always something to stop in order)
   */
  boolean stop();

  /** Whether {@link #stop} was called. */
  boolean stopped();

  @Override
  void close();

  /** Daemon threads for {@code slots} runs at once, named {@code name-1}, {@code name-2}, .... */
  static ExecutorService slotThreads(int slots, String name) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(slots, task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Gives each job to {@code run} on {@code threads} and returns once each has ended. */
  static void runEach(ExecutorService threads, List<Job> jobs, Consumer<Job> run) throws InterruptedException {
    List<Future<?>> futures = new ArrayList<>();
    for (Job job : jobs) {
      futures.add(threads.submit(() -> run.accept(job)));
    }
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a sweep slot failed outside a run", e.getCause());
      }
    }
  }
}
