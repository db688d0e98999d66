package dev.norma.runtime.testing;

import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;

/** Stops a run from inside its progress reports, as Ctrl-C would. */
public final class Interrupts {
  private Interrupts() {
  }

  /** A listener that interrupts {@code runner} once {@code round} population rounds are recorded. */
  public static ProgressListener atRound(StudyRunner runner, long round) {
    return new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        if (snapshot.round() >= round) {
          runner.interrupt();
        }
      }
    };
  }
}
