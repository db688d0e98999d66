package dev.norma.runtime.results;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads a library's classes ahead of their first real use, on a low-priority daemon thread of
 * their own, once per JVM: what a run makes at its end (Parquet tables, report.png) then takes
 * only the making. The work swallows its own failures; the real use reports them.
 */
final class WarmUp {
  private WarmUp() {
  }

  /** Starts {@code work} on a thread named {@code name} unless {@code started} says it was. */
  static void once(AtomicBoolean started, String name, Runnable work) {
    if (started.compareAndSet(false, true)) {
      Thread thread = new Thread(work, name);
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      thread.start();
    }
  }
}
