package dev.norma.runtime.study;

import java.util.function.LongSupplier;

/**
 * A run's active time: what its earlier sessions recorded (a resumed run was down in between)
 * plus the current session's, frozen at what the end recorded once the run has ended — so a
 * rate over it ({@code norma status}'s {@code perSecond}) stays put after the end instead of
 * falling as the finished run sits there.
 *
 * <p>Not thread-safe: confined to the coordinator that owns it.
 */
final class ActiveTime {
  private final LongSupplier nanoClock;
  private long beforeSession;
  private long sessionStart;
  private long endedAt = -1;

  /** A run's time from now on, with nothing recorded before. */
  ActiveTime(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.sessionStart = nanoClock.getAsLong();
  }

  /** A session starts now, after {@code elapsedNanos} of earlier sessions. */
  void startSession(long elapsedNanos) {
    beforeSession = elapsedNanos;
    sessionStart = nanoClock.getAsLong();
  }

  /** The run ended after {@code elapsedNanos} of active time: the clock stops there. */
  void end(long elapsedNanos) {
    endedAt = elapsedNanos;
  }

  long elapsedNanos() {
    return endedAt >= 0 ? endedAt : beforeSession + (nanoClock.getAsLong() - sessionStart);
  }

  /** {@code interactions} per second of active time. */
  double perSecond(long interactions) {
    return interactions / Math.max(1e-9, elapsedNanos() / 1e9);
  }
}
