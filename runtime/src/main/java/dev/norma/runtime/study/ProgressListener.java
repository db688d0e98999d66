package dev.norma.runtime.study;

import dev.norma.runtime.results.Summary;

/**
 * Sees a run's progress. Called from the coordinator's thread: implementations must return
 * quickly and must not block.
 */
public interface ProgressListener {
  /**
   * A snapshot of the run.
   *
   * @param round            population rounds finished
   * @param maxRounds        the cap on population rounds
   * @param interactions     interactions recorded
   * @param successRate      success rate of the latest finished round
   * @param topName          most produced name in the latest finished round
   * @param topShare         its share
   * @param perSecond        interactions per second since the start
   */
  record Snapshot(long round, long maxRounds, long interactions, double successRate, String topName,
                  double topShare, double perSecond) {
  }

  default void update(Snapshot snapshot) {
  }

  default void finished(Summary summary) {
  }

  ProgressListener NONE = new ProgressListener() {
  };
}
