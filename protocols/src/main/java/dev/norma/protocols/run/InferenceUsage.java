package dev.norma.protocols.run;

import dev.norma.protocols.wire.CborSerializable;

/**
 * What one cluster node's gateway has done for a run so far, as it reports it to the run's
 * coordinator: counts since the node started its part, so the latest report replaces the ones
 * before.
 *
 * @param calls            answers received from endpoints
 * @param replayedCalls    answers taken from a call journal
 * @param requests         requests sent, retries included
 * @param promptTokens     prompt tokens the endpoints reported
 * @param completionTokens answer tokens the endpoints reported
 * @param retries          calls sent again after a failed request
 * @param errors           failed requests
 * @param failedCalls      calls that failed for good
 * @param invalidAnswers   answers that named no single option
 * @param reissuedCalls    decisions asked for again after a failure
 * @param estimatedCost    tokens times the endpoints' prices per million
 * @param inFlight         requests outstanding now
 * @param queued           calls waiting for an endpoint now
 * @param admissionWindow  interactions the node's gateway can keep busy now (0 in reports from
 *                         before it was sent)
 */
public record InferenceUsage(long calls, long replayedCalls, long requests, long promptTokens, long completionTokens,
                             long retries, long errors, long failedCalls, long invalidAnswers, long reissuedCalls,
                             double estimatedCost, int inFlight, int queued, int admissionWindow)
    implements CborSerializable {

  public static final InferenceUsage NONE = new InferenceUsage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public InferenceUsage plus(InferenceUsage o) {
    return new InferenceUsage(calls + o.calls, replayedCalls + o.replayedCalls, requests + o.requests,
        promptTokens + o.promptTokens, completionTokens + o.completionTokens, retries + o.retries,
        errors + o.errors, failedCalls + o.failedCalls, invalidAnswers + o.invalidAnswers,
        reissuedCalls + o.reissuedCalls, estimatedCost + o.estimatedCost, inFlight + o.inFlight,
        queued + o.queued, admissionWindow + o.admissionWindow);
  }
}
