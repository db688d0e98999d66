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
  private int max;
  private final List<Consumer<Integer>> listeners = new CopyOnWriteArrayList<>();
  private double ceiling;
  private volatile int current;

  AdaptiveLimit(int initial, int min, int max) {
    this(initial, min, max, max);
  }

  /**
   * @param max      the ceiling now (a cluster node's share of the endpoint's limit)
   * @param absolute the most {@link #setMax} may raise it to (the endpoint's whole limit)
   */
  AdaptiveLimit(int initial, int min, int max, int absolute) {
    this.min = min;
    this.max = max;
    this.latency = Gradient2Limit.newBuilder()
        .initialLimit(initial)
        .minLimit(min)
        .maxConcurrency(Math.max(max, absolute))
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
   * Moves the ceiling (a cluster node's share of the endpoint's limit when members join or leave):
   * the limit drops under a lower one at once, and climbs toward a higher one as answers come.
   */
  synchronized void setMax(int newMax) {
    max = Math.max(min, newMax);
    ceiling = Math.min(ceiling, max);
    update((int) Math.max(min, Math.min(latency.getLimit(), ceiling)));
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
    update((int) Math.max(min, Math.min(latency.getLimit(), ceiling)));
  }

  private void update(int next) {
    if (next != current) {
      current = next;
      for (Consumer<Integer> listener : listeners) {
        listener.accept(next);
      }
    }
  }
}
