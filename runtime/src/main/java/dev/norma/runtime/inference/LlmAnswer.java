package dev.norma.runtime.inference;

/**
 * A model's answer to one {@link LlmRequest}, with what the endpoint reported about it.
 *
 * @param text              the answer text
 * @param endpoint          the endpoint's name (from the spec)
 * @param model             the model id the endpoint reported
 * @param systemFingerprint the endpoint's {@code system_fingerprint}, or null
 * @param promptTokens      prompt tokens (a batched request's usage is shared out by prompt length)
 * @param completionTokens  answer tokens (likewise)
 * @param cachedTokens      prompt tokens the endpoint served from its prefix cache, if it says
 * @param latencyNanos      the successful request's duration
 * @param tries             requests sent for it (1 without transport retries)
 * @param replayed          taken from a recorded run's journal, not from an endpoint
 * @param sharedRequest     carried by a batched request together with an earlier call of the
 *                          batch, which counts the request
 */
public record LlmAnswer(String text, String endpoint, String model, String systemFingerprint, long promptTokens,
                        long completionTokens, long cachedTokens, long latencyNanos, int tries, boolean replayed,
                        boolean sharedRequest) {

  /** An answer that came in a request of its own. */
  public LlmAnswer(String text, String endpoint, String model, String systemFingerprint, long promptTokens,
                   long completionTokens, long cachedTokens, long latencyNanos, int tries, boolean replayed) {
    this(text, endpoint, model, systemFingerprint, promptTokens, completionTokens, cachedTokens, latencyNanos, tries,
        replayed, false);
  }
}
