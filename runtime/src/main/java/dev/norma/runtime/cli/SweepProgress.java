package dev.norma.runtime.cli;

import dev.norma.runtime.study.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar for a whole sweep on stderr: runs ended against runs planned (the plan grows
 * as a statistical stop adds replicates), runs under way, failed runs, interactions per second over
 * all runs, and the time left (the bar's own estimate). A plain line every few seconds when the
 * output is not a terminal. {@link #NONE} when {@code --quiet}.
 */
class SweepProgress implements AutoCloseable {
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  static final SweepProgress NONE = new SweepProgress();

  private final PrintWriter plain;
  private final ProgressBar bar;
  private final long start = System.nanoTime();
  private long lastPlain = start;
  private long planned;
  private long ended;
  private long failed;
  /** Interactions of the runs that ended. */
  private long interactionsEnded;
  /** Interactions so far of each run under way, by its directory name. */
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  private SweepProgress() {
    this.plain = null;
    this.bar = null;
  }

  SweepProgress(PrintWriter err, String name) {
    if (System.console() != null) {
      this.bar = new ProgressBarBuilder()
          .setTaskName(name)
          .setInitialMax(0)
          .setUnit(" runs", 1)
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setUpdateIntervalMillis(250)
          // Redrawn while no run ends (long runs; a cluster's): the time, rate and runs under way move.
          .continuousUpdate()
          .build();
      this.plain = null;
    } else {
      this.bar = null;
      this.plain = err;
    }
  }

  /** {@code more} runs are added to the plan. */
  synchronized void planned(long more) {
    planned += more;
    if (bar != null) {
      bar.maxHint(planned);
    }
    show();
  }

  /** A run has started: the listener to give it. */
  ProgressListener started(String run) {
    if (this == NONE) {
      return ProgressListener.NONE;
    }
    running.put(run, 0L);
    return new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        running.computeIfPresent(run, (name, before) -> snapshot.interactions());
        SweepProgress.this.update();
      }
    };
  }

  /** A run has ended with {@code interactions}; {@code failure} when it failed. */
  synchronized void ended(String run, long interactions, boolean failure) {
    running.remove(run);
    ended++;
    failed += failure ? 1 : 0;
    interactionsEnded += interactions;
    show();
  }

  /** A run was interrupted: it leaves the plan (a resume runs it). */
  synchronized void interrupted(String run) {
    running.remove(run);
    planned--;
    if (bar != null) {
      bar.maxHint(planned);
      show();
    }
  }

  private synchronized void update() {
    if (bar != null) {
      show();
    } else if (plain != null && System.nanoTime() - lastPlain >= PLAIN_EVERY_NANOS) {
      show();
    }
  }

  private void show() {
    if (this == NONE) {
      return;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long interactions = interactionsEnded + running.values().stream().mapToLong(Long::longValue).sum();
    String message = String.format(Locale.ROOT, "%d running · %d failed · %,.0f interactions/s", running.size(),
        failed, seconds > 0 ? interactions / seconds : 0.0);
    if (bar != null) {
      bar.stepTo(ended);
      bar.setExtraMessage(message);
    } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY_NANOS || ended == planned) {
      lastPlain = System.nanoTime();
      String eta = ended == 0 || ended >= planned ? "" : " · about "
          + format(Duration.ofSeconds(Math.round(seconds / ended * (planned - ended)))) + " left";
      plain.printf(Locale.ROOT, "sweep: %d of %d runs ended · %s%s%n", ended, planned, message, eta);
      plain.flush();
    }
  }

  private static String format(Duration d) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
