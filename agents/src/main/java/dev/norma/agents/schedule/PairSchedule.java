package dev.norma.agents.schedule;

/**
 * A seeded sequence of pairs that does not depend on timing: the i-th call to {@link #next()}
 * gives interaction i's (initiator, responder), the same on every run of the same seed.
 */
public interface PairSchedule {
  /** The next pair, packed as {@code initiator << 32 | responder}. */
  long next();

  static int initiator(long pair) {
    return (int) (pair >>> 32);
  }

  static int responder(long pair) {
    return (int) pair;
  }

  static long pack(int initiator, int responder) {
    return ((long) initiator << 32) | (responder & 0xFFFFFFFFL);
  }
}
