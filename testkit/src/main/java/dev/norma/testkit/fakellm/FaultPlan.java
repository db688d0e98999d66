package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which fault, if any, hits a request. The decision depends only on the seed, the request's
 * arrival number and the time since start, not on which thread handles it, so a run with the
 * same seed and the same number of requests injects the same faults (in a window, up to timing).
 * Scheduled rules ({@code every:N}) are checked first, in {@link Fault} order; then one uniform
 * draw per request picks among the probabilistic rules active at that time, which are mutually
 * exclusive (their probabilities must sum to at most 1 at any time).
 */
public final class FaultPlan {
  /** Stream id of the fault draws, apart from the answer streams. */
  static final long FAULT_STREAM = -0x4641554C54L;

  private final long seed;
  private final EnumMap<Fault, FaultRule> rules;

  public FaultPlan(long seed, Map<Fault, FaultRule> rules) {
    this.seed = seed;
    this.rules = new EnumMap<>(Fault.class);
    for (Fault fault : Fault.values()) {
      this.rules.put(fault, rules.getOrDefault(fault, FaultRule.NEVER));
    }
    // The active probabilities change only where a window opens or closes: check there.
    List<Long> instants = new ArrayList<>(List.of(0L));
    for (FaultRule rule : this.rules.values()) {
      instants.add(rule.from().toNanos());
      if (rule.until() != null) {
        instants.add(rule.until().toNanos());
      }
    }
    for (long instant : instants) {
      double total = 0;
      for (FaultRule rule : this.rules.values()) {
        total += rule.activeAt(instant) ? rule.probability() : 0;
      }
      if (total > 1 + 1e-9) {
        throw new IllegalArgumentException("fault probabilities sum to " + total + ", more than 1, at "
            + instant / 1e9 + " s");
      }
    }
  }

  public static FaultPlan none() {
    return new FaultPlan(0, Map.of());
  }

  /**
   * @param requestNumber arrival number of the request, from 0
   * @return the fault to inject, or null
   */
  Fault decide(long requestNumber, long nanosSinceStart) {
    for (Fault fault : Fault.values()) {
      FaultRule rule = rules.get(fault);
      if (rule.every() > 0 && (requestNumber + 1) % rule.every() == 0 && rule.activeAt(nanosSinceStart)) {
        return fault;
      }
    }
    double u = (Streams.mix64(Streams.seedFor(seed, FAULT_STREAM) + requestNumber * 0x9E3779B97F4A7C15L) >>> 11)
        * 0x1.0p-53;
    double cumulative = 0;
    for (Fault fault : Fault.values()) {
      FaultRule rule = rules.get(fault);
      if (rule.probability() > 0 && rule.activeAt(nanosSinceStart)) {
        cumulative += rule.probability();
        if (u < cumulative) {
          return fault;
        }
      }
    }
    return null;
  }

  public FaultRule rule(Fault fault) {
    return rules.get(fault);
  }

  public boolean injectsAny() {
    return rules.values().stream().anyMatch(rule -> !rule.isNever());
  }
}
