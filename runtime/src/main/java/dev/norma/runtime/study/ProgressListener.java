package dev.norma.runtime.study;

import dev.norma.agents.measure.RoundRow;
import dev.norma.protocols.run.Summary;

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
   * @param inference        the language-model calls, or null without an llm policy
   * @param latest           the latest finished round of a naming game (shares by rank, entropy,
   *                         distinct names, the committed name's share), or null
   */
  record Snapshot(long round, long maxRounds, long interactions, double successRate, String topName,
                  double topShare, double perSecond, InferenceProgress inference, RoundRow latest) {
    public Snapshot(long round, long maxRounds, long interactions, double successRate, String topName,
                    double topShare, double perSecond) {
      this(round, maxRounds, interactions, successRate, topName, topShare, perSecond, null, null);
    }

    /** This snapshot with the inference gateway's figures. */
    public Snapshot withInference(InferenceProgress figures) {
      return new Snapshot(round, maxRounds, interactions, successRate, topName, topShare, perSecond, figures, latest);
    }

    /** This snapshot with the latest finished round's row. */
    public Snapshot withLatest(RoundRow row) {
      return new Snapshot(round, maxRounds, interactions, successRate, topName, topShare, perSecond, inference, row);
    }
  }

  /**
   * The inference gateway since the previous snapshot.
   *
   * @param requestsPerSecond HTTP requests per second
   * @param tokensPerSecond   prompt and answer tokens per second
   * @param inFlight          requests outstanding now
   * @param queued            calls waiting for an endpoint now
   * @param calls             answers so far (endpoints and replay)
   * @param endpoints         per endpoint: in flight, limit, retries and errors so far
   */
  record InferenceProgress(double requestsPerSecond, double tokensPerSecond, int inFlight, int queued, long calls,
                           java.util.List<EndpointProgress> endpoints) {
  }

  /** One endpoint in a progress report. */
  record EndpointProgress(String name, int inFlight, int limit, long retries, long errors) {
  }

  default void update(Snapshot snapshot) {
  }

  default void finished(Summary summary) {
  }

  ProgressListener NONE = new ProgressListener() {
  };
}
