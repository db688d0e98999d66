package dev.norma.runtime.inference;

import java.util.function.LongSupplier;

/**
 * A token bucket for a per-minute rate limit: it holds at most a minute's allowance and refills
 * continuously. A request larger than the whole allowance goes ahead when the bucket is full, so it
 * cannot wait forever. Thread-safe.
 */
final class TokenBucket {
  private double capacity;
  private double perNano;
  private final LongSupplier clock;
  private double available;
  private long refilledAt;

  /** @param perMinute the allowance per minute */
  TokenBucket(long perMinute, LongSupplier nanoClock) {
    this.capacity = perMinute;
    this.perNano = perMinute / 60e9;
    this.clock = nanoClock;
    this.available = perMinute;
    this.refilledAt = nanoClock.getAsLong();
  }

  private void refill() {
    long now = clock.getAsLong();
    available = Math.min(capacity, available + (now - refilledAt) * perNano);
    refilledAt = now;
  }

  /** A new allowance per minute from now on (a cluster node's share when members join or leave). */
  synchronized void setPerMinute(long perMinute) {
    refill();
    capacity = perMinute;
    perNano = perMinute / 60e9;
    available = Math.min(available, capacity);
  }

  /** Nanoseconds until {@code amount} is available (0: now). */
  synchronized long waitNanos(double amount) {
    refill();
    double needed = Math.min(amount, capacity);
    return available >= needed ? 0 : (long) Math.ceil((needed - available) / perNano);
  }

  /** Takes {@code amount} (the bucket may go below zero: the debt is paid by waiting). */
  synchronized void take(double amount) {
    refill();
    available -= amount;
  }

  /** Corrects an earlier estimate once the true amount is known (positive: more was used). */
  synchronized void adjust(double extra) {
    refill();
    available = Math.min(capacity, available - extra);
  }
}
