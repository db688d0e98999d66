package dev.norma.runtime.inference;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The inference gateway's tunables, read once from {@code norma.inference} in config.
 *
 * @param queueSize       calls the gateway's queue holds before offers are refused (and retried)
 * @param maxRetries      transport retries of one call (429, 5xx, timeouts, broken answers)
 *                        before it fails and its interaction is invalid
 * @param backoffBase     the first retry's backoff ceiling
 * @param backoffCap      the longest backoff ceiling
 * @param breakerFailures consecutive failures that open an endpoint's circuit breaker
 * @param breakerReset    how long an open breaker stays open before a trial request
 * @param initialLimit    the adaptive concurrency limit's start (capped by maxInFlight)
 * @param batchLinger     with a batching endpoint, how long a call may wait for others to share
 *                        its request
 * @param secretsDir      where a credential is read from when no {@code NORMA_CREDENTIAL_<NAME>}
 *                        variable holds it (the file {@code NAME}; a mounted Kubernetes Secret),
 *                        or null for none
 * @param unreachableAfter how long requests may keep failing with none answered before the run
 *                        stops as failed: an endpoint that died mid-run is a failure, not a crawl
 *                        of retries
 */
public record InferenceSettings(int queueSize, int maxRetries, Duration backoffBase, Duration backoffCap,
                                int breakerFailures, Duration breakerReset, int initialLimit, Duration batchLinger,
                                Path secretsDir, Duration unreachableAfter) {
  /** The default time without an answer after which the endpoints count as unreachable. */
  public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(60);

  /** Settings without a secrets directory. */
  public InferenceSettings(int queueSize, int maxRetries, Duration backoffBase, Duration backoffCap,
                           int breakerFailures, Duration breakerReset, int initialLimit, Duration batchLinger) {
    this(queueSize, maxRetries, backoffBase, backoffCap, breakerFailures, breakerReset, initialLimit, batchLinger,
        null, UNREACHABLE_AFTER);
  }

  public static InferenceSettings fromConfig(Config config) {
    Config c = config.getConfig("norma.inference");
    return new InferenceSettings(c.getInt("queue-size"), c.getInt("max-retries"), c.getDuration("backoff-base"),
        c.getDuration("backoff-cap"), c.getInt("breaker-failures"), c.getDuration("breaker-reset"),
        c.getInt("initial-limit"), c.getDuration("batch-linger"),
        c.getString("secrets-dir").isBlank() ? null : Path.of(c.getString("secrets-dir")),
        c.getDuration("unreachable-after"));
  }
}
