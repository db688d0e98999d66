package dev.norma.runtime.inference;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An endpoint's concurrency limit, in prompts in flight: Netflix's gradient limit (it grows while
 * the answers' latency holds near its long-run average and shrinks when latency rises, as it does
 * once a batching server starts to queue) under a ceiling that overload signals cut: a 429 or 503
 * (or a timeout) multiplies the ceiling by 3/4, and each answered prompt raises it again by one
 * over the limit (about one per round of requests). Only answered prompts feed the gradient: a
 * refusal comes back fast and would look like good latency.
 */
final class AdaptiveLimit implements Limit {
  private final Limit latency;
  private final int min;
  private final int max;
  private final List<Consumer<Integer>> listeners = new CopyOnWriteArrayList<>();
  private double ceiling;
  private volatile int current;

  AdaptiveLimit(int initial, int min, int max) {
    this.min = min;
    this.max = max;
    this.latency = Gradient2Limit.newBuilder()
        .initialLimit(initial)
        .minLimit(min)
        .maxConcurrency(max)
        .build();
    this.ceiling = max;
    this.current = Math.max(min, Math.min(initial, max));
  }

  @Override
  public int getLimit() {
    return current;
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
    listeners.add(consumer);
  }

  /**
   * Listeners are told inside the lock, in order: the limiter adjusts its semaphore by the
   * difference from the limit it last heard, and two changes told at once would corrupt it.
   */
  @Override
  public synchronized void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    if (didDrop) {
      ceiling = Math.max(min, Math.min(ceiling, current) * 0.75);
    } else {
      latency.onSample(startTime, rtt, inflight, false);
      ceiling = Math.min(max, ceiling + 1.0 / Math.max(1, current));
    }
    int next = (int) Math.max(min, Math.min(latency.getLimit(), ceiling));
    if (next != current) {
      current = next;
      for (Consumer<Integer> listener : listeners) {
        listener.accept(next);
      }
    }
  }
}
