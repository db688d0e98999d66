package dev.norma.runtime.inference;

import dev.norma.protocols.run.InferenceSummary;

/**
 * What a run's coordinator asks of its language-model machinery: on one machine the run's own
 * gateway ({@link LlmStudy}); on a cluster, the figures every node's gateway reports
 * ({@link ClusterInference}).
 */
public interface RunInference {
  /** Calls that fail for good before any is answered, after which the endpoints are taken as unreachable. */
  int UNREACHABLE_AFTER = 8;

  /** Whether a budget of the spec is reached (calls answered by endpoints, tokens, estimated cost). */
  boolean budgetExhausted();

  /**
   * Why the run cannot go on — no endpoint answered any of its first calls, each tried
   * {@code max-retries + 1} times (a wrong URL, a server that is down), or every request has
   * failed for {@code norma.inference.unreachable-after} (a server that died mid-run) — or null.
   * Asked on every batch and every progress tick, so a run whose calls all hang in retries stops too.
   */
  String unreachable();

  /**
   * How many interactions the matchmaker should keep in flight so the endpoints stay busy without
   * a backlog (see {@link InferenceGateway#admissionWindow()}).
   */
  int admissionWindow();

  /** Decisions asked for again after a failure or a resume: each a new model call. */
  long reissuedCalls();

  /** Rates since the previous call and the calls in flight now; called from the progress timer only. */
  dev.norma.runtime.study.ProgressListener.InferenceProgress progress();

  /** The figures for {@code summary.json}. */
  InferenceSummary summary();

  /** The run's results are final: calls still in flight are not part of them. */
  void close();

  /** The reason for {@link #unreachable()} from these counts, or null. */
  static String unreachable(long calls, long replayedCalls, long failedCalls, long errors) {
    return calls == 0 && replayedCalls == 0 && failedCalls >= UNREACHABLE_AFTER
        ? "no endpoint answered any of the first " + failedCalls + " calls (" + errors
            + " failed requests); see calls.jsonl.gz for the errors"
        : null;
  }
}
