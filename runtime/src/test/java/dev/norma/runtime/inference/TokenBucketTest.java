package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void aBucketHoldsAMinutesAllowanceAndRefillsContinuously() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(60, now::get); // one a second
    assertThat(bucket.waitNanos(60)).isZero();
    bucket.take(60);
    assertThat(bucket.waitNanos(1)).isEqualTo(Duration.ofSeconds(1).toNanos());
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(bucket.waitNanos(2)).isZero();
    // A request larger than the allowance goes when the bucket is full, not never.
    assertThat(bucket.waitNanos(1000)).isEqualTo(Duration.ofSeconds(58).toNanos());
    bucket.adjust(10);
    assertThat(bucket.waitNanos(1)).isEqualTo(Duration.ofSeconds(9).toNanos());
  }

  @Test
  void aNewAllowanceTakesEffectAtOnce() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(120, now::get); // two a second
    bucket.setPerMinute(60); // one a second: the bucket holds at most a minute's worth
    assertThat(bucket.waitNanos(60)).isZero();
    bucket.take(60);
    assertThat(bucket.waitNanos(1)).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void backoffGrowsWithJitterAndHonoursRetryAfter() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delay(0, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.delay(3, null)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
      assertThat(backoff.delay(10, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(backoff.delay(0, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }
    assertThat(Backoff.parseRetryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Backoff.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
  }

  @Test
  void aBatchedRequestsUsageIsSharedOutInProportionAndAddsUp() {
    assertThat(EndpointClient.shares(100, new long[] {1, 1, 2})).containsExactly(25, 25, 50);
    assertThat(EndpointClient.shares(10, new long[] {1, 1, 1})).containsExactly(3, 3, 4);
  }
}
