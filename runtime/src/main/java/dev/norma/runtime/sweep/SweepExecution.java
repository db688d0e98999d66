package dev.norma.runtime.sweep;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs the many runs of a sweep in this JVM, at most {@code slots} at once. Each slot keeps one
 * {@link StudyRunner} (one actor system, one one-node cluster) for run after run: starting a node
 * costs about a second, a small run a fraction of that, and runs on one runner are independent
 * (each has its own run id, coordinator, sharded agents and directory; {@code ActorRunEqualsPlainLoopTest}
 * runs many studies on one runner against the plain loop). A runner whose run failed is closed and
 * the slot starts a fresh one, so that nothing a failure left behind reaches the next run. So is a
 * runner that has hosted {@link #RECYCLE_AFTER_AGENTS} agents: an in-memory run leaves its agents to
 * its runner (they end with it), about 1.4 KB each.
 *
 * <p>Lifecycle: {@link #runAll} may be called again and again (batches of a statistical stop);
 * {@link #stop} (Ctrl-C) lets no further run start and interrupts those under way; {@link #close}
 * closes the runners.
 */
public final class SweepExecution implements SweepExecutor {
  /** Agents a runner hosts over its runs before it is closed for a fresh one (about 70 MB of them). */
  public static final long RECYCLE_AFTER_AGENTS = 50_000;

  private final int slots;
  /** Agents each runner has hosted so far. */
  private final java.util.Map<StudyRunner, Long> hosted = new ConcurrentHashMap<>();
  private final Supplier<StudyRunner> newRunner;
  private final StudyOptions options;
  private final ExecutorService threads;
  private final ConcurrentLinkedQueue<StudyRunner> idle = new ConcurrentLinkedQueue<>();
  private final Set<StudyRunner> busy = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /**
   * @param slots     how many runs go at once
   * @param newRunner makes a runner for a slot (a one-node cluster on a free port)
   */
  public SweepExecution(int slots, Supplier<StudyRunner> newRunner, StudyOptions options) {
    this.slots = slots;
    this.newRunner = newRunner;
    this.options = options;
    this.threads = SweepExecutor.slotThreads(slots, "norma-sweep");
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public void runAll(List<Job> jobs, Listener listener) throws InterruptedException {
    SweepExecutor.runEach(threads, jobs, job -> runOne(job, listener));
  }

  private void runOne(Job job, Listener listener) {
    if (stopped) {
      return;
    }
    long start = System.nanoTime();
    StudyRunner runner = null;
    boolean healthy = false;
    try {
      runner = idle.poll();
      if (runner == null) {
        runner = newRunner.get();
      }
      busy.add(runner);
      if (stopped) {
        listener.interrupted(job);
        healthy = true;
        return;
      }
      ProgressListener progress = listener.started(job);
      clear(job.dir());
      Files.createDirectories(job.dir().getParent());
      var encounters = EncounterRuns.gameOf(job.spec());
      Summary summary = encounters != null
          ? runner.runEncounters(job.spec(), encounters, job.dir(), progress, options)
          : runner.run(job.spec(), job.dir(), progress, options);
      if (summary.status() == RunOutcome.INTERRUPTED) {
        listener.interrupted(job);
        healthy = true;
      } else {
        listener.finished(job, summary);
        healthy = summary.status() != RunOutcome.FAILED;
      }
      healthy &= hosted.merge(runner, (long) job.spec().population().size(), Long::sum) < RECYCLE_AFTER_AGENTS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.interrupted(job);
    } catch (Exception | LinkageError e) {
      listener.failed(job, e, (System.nanoTime() - start) / 1e9);
    } finally {
      if (runner != null) {
        busy.remove(runner);
        if (healthy && !stopped) {
          idle.add(runner);
        } else {
          // Its node stops in the background: the next run, on a fresh runner, need not wait for it.
          hosted.remove(runner);
          runner.closeNow();
        }
      }
    }
  }

  /** Lets no further run start and interrupts the runs under way, which keep what they did. */
  @Override
  public boolean stop() {
    stopped = true;
    busy.forEach(StudyRunner::interrupt);
    return true;
  }

  @Override
  public boolean stopped() {
    return stopped;
  }

  /** Removes a run directory left half-written by an earlier session, so the run starts afresh. */
  public static void clear(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    StudyRunner runner;
    while ((runner = idle.poll()) != null) {
      runner.close();
    }
  }
}
