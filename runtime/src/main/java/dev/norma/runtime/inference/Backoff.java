package dev.norma.runtime.inference;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff: the n-th retry waits between half and all of
 * {@code min(cap, base · 2^n)}, drawn uniformly, and never less than a server's
 * {@code Retry-After}. The jitter spreads the retries of many calls that failed together.
 *
 * @param base the first retry's ceiling
 * @param cap  the longest ceiling
 */
record Backoff(Duration base, Duration cap) {

  Duration delay(int retry, Duration retryAfter) {
    double ceiling = Math.min(cap.toNanos(), base.toNanos() * Math.pow(2, Math.min(retry, 30)));
    long jittered = (long) (ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2);
    long floor = retryAfter == null ? 0 : retryAfter.toNanos();
    return Duration.ofNanos(Math.max(jittered, floor));
  }

  /** A {@code Retry-After} header in seconds (HTTP dates are not used by inference servers), or null. */
  static Duration parseRetryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(header.strip());
      return seconds >= 0 && seconds < 3600 ? Duration.ofNanos((long) (seconds * 1e9)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
