package dev.norma.testkit.fakellm;

import java.util.Map;

/**
 * A snapshot of what the fake server measured about itself.
 *
 * @param requests             HTTP requests answered, by "endpoint status" (e.g. "chat 200")
 * @param faults               faults injected, by fault
 * @param sequences            sequences (one per prompt and choice) completed
 * @param running              sequences in the batch now
 * @param queued               sequences waiting for a place in the batch now
 * @param steps                steps run
 * @param busySeconds          time spent in steps
 * @param utilisation          busy time over time since start
 * @param batchSequencesSum    sequences over all steps (mean batch = sum / steps)
 * @param maxBatchSequences    the largest batch seen
 * @param promptTokens         prompt tokens received
 * @param prefillTokens        prompt tokens prefilled (received minus prefix-cache hits)
 * @param prefixCacheHitTokens prompt tokens found in the prefix cache
 * @param completionTokens     tokens generated
 * @param queueWaitSeconds     time sequences spent waiting for the batch, summed
 */
public record FakeLlmStats(Map<String, Long> requests, Map<Fault, Long> faults, long sequences, int running,
                           int queued, long steps, double busySeconds, double utilisation, long batchSequencesSum,
                           int maxBatchSequences, long promptTokens, long prefillTokens, long prefixCacheHitTokens,
                           long completionTokens, double queueWaitSeconds) {

  public double meanBatchSequences() {
    return steps == 0 ? 0 : (double) batchSequencesSum / steps;
  }

  public long requests(String endpoint, int status) {
    return requests.getOrDefault(endpoint + " " + status, 0L);
  }

  public long faults(Fault fault) {
    return faults.getOrDefault(fault, 0L);
  }
}
