package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A run's active time, and the rate over it that {@code norma status} shows, stop at the end. */
class ActiveTimeTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final ActiveTime time = new ActiveTime(now::get);

  private void pass(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void theRateOfAnEndedRunStaysWhatItWasAtTheEnd() {
    time.startSession(TimeUnit.SECONDS.toNanos(10)); // a resumed run, up 10 s before
    pass(10);
    assertThat(time.perSecond(13_000)).isEqualTo(650.0);

    time.end(time.elapsedNanos());
    pass(50);
    assertThat(time.perSecond(13_000)).as("50 s after the end").isEqualTo(650.0);
    assertThat(time.elapsedNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(20));
  }

  @Test
  void whileTheRunLastsTheSessionsAddUp() {
    time.startSession(TimeUnit.SECONDS.toNanos(4));
    pass(6);
    assertThat(time.elapsedNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
    assertThat(time.perSecond(100)).isEqualTo(10.0);
  }
}
