package dev.norma.agents.measure;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The first time a named name's share reaches a threshold s: fed one share per round (population
 * round or interaction index: the unit is the caller's), it keeps the first round whose share is
 * at least s. The time to consensus of the naming game (Baronchelli et al. 2006) and the time to
 * tip of a committed minority (Xie et al. 2011) are such first-passage times.
 */
public final class FirstPassage {
  private final String name;
  private final double threshold;
  private boolean reached;
  private long firstRound;
  private long lastRound = Long.MIN_VALUE;

  /**
   * @param name      the name followed
   * @param threshold s, in (0, 1]
   */
  public FirstPassage(String name, double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold: expected a share in (0, 1], got " + threshold);
    }
    this.name = name;
    this.threshold = threshold;
  }

  /** Feeds the round's shares by name (a name absent has share 0); true once the threshold is reached. */
  public boolean observe(long round, Map<String, Double> shares) {
    return observe(round, shares.getOrDefault(name, 0.0));
  }

  /** Feeds the followed name's share in {@code round}; rounds must increase. True once reached. */
  public boolean observe(long round, double share) {
    if (round <= lastRound) {
      throw new IllegalArgumentException("round: expected rounds in increasing order, got " + round
          + " after " + lastRound);
    }
    lastRound = round;
    if (!reached && share >= threshold) {
      reached = true;
      firstRound = round;
    }
    return reached();
  }

  public boolean reached() {
    return reached;
  }

  /** The first round whose share was at least the threshold, empty if none yet. */
  public OptionalLong firstRound() {
    return reached() ? OptionalLong.of(firstRound) : OptionalLong.empty();
  }

  public String name() {
    return name;
  }

  public double threshold() {
    return threshold;
  }
}
