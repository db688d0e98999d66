package dev.norma.runtime.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run is live. The first asks the run to stop and keep what
 * it finished (rows, summary saying {@code interrupted}); a second, or a first that has not
 * finished within {@link #GRACE}, ends the process at once with exit code 130. Ending at once is
 * safe: a durable run's journal survives a kill, and the run resumes from it.
 *
 * <p>Signal handlers rather than a shutdown hook: once the JVM shuts down, a second Ctrl-C does
 * nothing, and the hooks of other libraries (a database closing itself) run beside the run's own
 * orderly stop and fail the writes still in flight.
 */
final class Interrupts implements AutoCloseable {
  /** How long an orderly stop may take before the process ends anyway. */
  static final Duration GRACE = Duration.ofMillis(4500);

  private final AtomicInteger received = new AtomicInteger();
  /** Run before a hard stop once the results are written (lets go of the run directory); or null. */
  private volatile Runnable saved;
  private final SignalHandler previousInt;
  private final SignalHandler previousTerm;

  /**
   * @param stop asks the run to stop; false when there is nothing running yet to stop in order
   *             (the process then ends at once)
   */
  private Interrupts(BooleanSupplier stop, PrintWriter err, String resumeHint) {
    SignalHandler handler = signal -> {
      if (received.incrementAndGet() > 1) {
        err.println();
        err.println("norma: stopped at once" + resumeHint);
        err.flush();
        Runtime.getRuntime().halt(NormaCli.EXIT_INTERRUPTED);
      }
      err.println();
      err.println("norma: stopping; what is finished is kept (Ctrl-C again to stop at once)");
      err.flush();
      if (!stop.getAsBoolean()) {
        err.println("norma: stopped before the run started" + resumeHint);
        err.flush();
        Runtime.getRuntime().halt(NormaCli.EXIT_INTERRUPTED);
      }
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(GRACE.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        Runnable release = saved;
        if (release != null) {
          release.run();
          Runtime.getRuntime().halt(NormaCli.EXIT_INTERRUPTED);
        }
        err.println("norma: the run did not stop within " + GRACE.toMillis() / 1000.0 + " s; stopped at once"
            + resumeHint);
        err.flush();
        Runtime.getRuntime().halt(NormaCli.EXIT_INTERRUPTED);
      }, "norma-interrupt-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    };
    this.previousInt = Signal.handle(new Signal("INT"), handler);
    this.previousTerm = Signal.handle(new Signal("TERM"), handler);
  }

  /** Handles Ctrl-C and SIGTERM until closed; {@code resumeHint} ends the lines printed on a hard stop. */
  static Interrupts install(BooleanSupplier stop, PrintWriter err, String resumeHint) {
    return new Interrupts(stop, err, resumeHint);
  }

  /**
   * The run's results are written: what is left (closing the actors and the journal) may be cut
   * short by a hard stop, which then runs {@code release} first and needs no words.
   */
  void saved(Runnable release) {
    saved = release;
  }

  /** Whether a stop was asked for. */
  boolean received() {
    return received.get() > 0;
  }

  @Override
  public void close() {
    Signal.handle(new Signal("INT"), previousInt);
    Signal.handle(new Signal("TERM"), previousTerm);
  }
}
