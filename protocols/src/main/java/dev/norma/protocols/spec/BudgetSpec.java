package dev.norma.protocols.spec;

/**
 * Limits on what a run may spend on inference. A run that reaches one stops at once with status
 * {@code budget-exhausted}, everything finished so far written; calls already in flight finish,
 * so a limit may be passed by at most the calls in flight. Unset: no limit.
 *
 * @param maxCalls  inference requests (each prompt of a batched request counts as one call)
 * @param maxTokens prompt and answer tokens, as the endpoints report them
 * @param maxCost   estimated cost from the endpoints' {@code promptPrice} and
 *                  {@code completionPrice}
 */
public record BudgetSpec(Long maxCalls, Long maxTokens, Double maxCost) {

  public boolean limited() {
    return maxCalls != null || maxTokens != null || maxCost != null;
  }

  /** Whether this much spending reaches a limit. */
  public boolean reachedBy(long calls, long tokens, double cost) {
    return maxCalls != null && calls >= maxCalls
        || maxTokens != null && tokens >= maxTokens
        || maxCost != null && cost >= maxCost;
  }

  void validate(SpecErrors errors) {
    if (maxCalls != null && maxCalls < 1) {
      errors.add("maxCalls", "expected at least 1, got " + maxCalls);
    }
    if (maxTokens != null && maxTokens < 1) {
      errors.add("maxTokens", "expected at least 1, got " + maxTokens);
    }
    if (maxCost != null && (maxCost.isNaN() || maxCost <= 0 || maxCost.isInfinite())) {
      errors.add("maxCost", "expected a positive amount, got " + maxCost);
    }
  }
}
