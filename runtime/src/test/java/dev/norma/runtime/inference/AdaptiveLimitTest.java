package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
  @Test
  void overloadCutsTheLimitAndAnswersRaiseItAgain() {
    AdaptiveLimit limit = new AdaptiveLimit(16, 1, 64);
    assertThat(limit.getLimit()).isEqualTo(16);
    limit.onSample(0, 1_000_000, 16, true);
    assertThat(limit.getLimit()).isEqualTo(12);
    limit.onSample(0, 1_000_000, 12, true);
    assertThat(limit.getLimit()).isEqualTo(9);
    for (int i = 0; i < 2000; i++) {
      limit.onSample(0, 1_000_000, limit.getLimit(), false);
    }
    assertThat(limit.getLimit()).isGreaterThan(9).isLessThanOrEqualTo(64);
  }

  @Test
  void aLowerShareCutsTheLimitAtOnceAndAHigherOneLetsItClimb() {
    AdaptiveLimit limit = new AdaptiveLimit(16, 1, 32, 64);
    limit.setMax(8); // a node joined: this node's share halves
    assertThat(limit.getLimit()).isEqualTo(8);
    for (int i = 0; i < 2000; i++) {
      limit.onSample(0, 1_000_000, limit.getLimit(), false);
    }
    assertThat(limit.getLimit()).isEqualTo(8);
    limit.setMax(64); // the others left: the whole limit is this node's
    for (int i = 0; i < 5000; i++) {
      limit.onSample(0, 1_000_000, limit.getLimit(), false);
    }
    assertThat(limit.getLimit()).isGreaterThan(32).isLessThanOrEqualTo(64);
  }

  @Test
  void underConcurrentSamplesTheLimiterNeverLosesItsSlots() throws Exception {
    AdaptiveLimit limit = new AdaptiveLimit(8, 1, 64);
    SimpleLimiter<Void> limiter = SimpleLimiter.newBuilder().limit(limit).build();
    int threads = 8;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          Optional<Limiter.Listener> slot = limiter.acquire(null);
          if (slot.isPresent()) {
            if (ThreadLocalRandom.current().nextInt(10) == 0) {
              slot.get().onDropped();
            } else {
              slot.get().onSuccess();
            }
          }
        }
        done.countDown();
      }).start();
    }
    done.await();
    // Everything is released: as many slots as the limit must be free.
    List<Limiter.Listener> held = new ArrayList<>();
    for (Optional<Limiter.Listener> slot = limiter.acquire(null); slot.isPresent(); slot = limiter.acquire(null)) {
      held.add(slot.get());
    }
    assertThat(held).hasSize(limit.getLimit());
    held.forEach(Limiter.Listener::onIgnore);
  }
}
