package dev.norma.runtime.inference;

/**
 * A snapshot of what a gateway has done.
 *
 * @param calls            answers received from endpoints (a batched request holds several)
 * @param replayedCalls    answers taken from a recorded run's journal
 * @param requests         HTTP requests sent, retries included
 * @param promptTokens     prompt tokens the endpoints reported
 * @param completionTokens answer tokens the endpoints reported
 * @param retries          calls sent again after a failed request
 * @param errors           failed requests
 * @param failedCalls      calls that failed for good
 * @param estimatedCost    tokens times the endpoints' prices per million
 * @param inFlight         requests outstanding now
 * @param queued           calls waiting for an endpoint now
 * @param concurrencyLimit the endpoints' adaptive limits, summed, now
 */
public record GatewayUsage(long calls, long replayedCalls, long requests, long promptTokens, long completionTokens,
                           long retries, long errors, long failedCalls, double estimatedCost, int inFlight,
                           int queued, int concurrencyLimit) {
}
