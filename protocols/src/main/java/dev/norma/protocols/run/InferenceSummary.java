package dev.norma.protocols.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What a run's language-model agents cost, as written into {@code summary.json} (for runs with
 * the {@code llm} policy only).
 *
 * @param calls            answers received from endpoints
 * @param replayedCalls    answers reused from a recorded run's journal ({@code --replay})
 * @param requests         HTTP requests sent, retries included (a batched request holds several calls)
 * @param promptTokens     prompt tokens, as the endpoints reported them
 * @param completionTokens answer tokens, likewise
 * @param retries          calls sent again after a failed request
 * @param errors           failed requests
 * @param failedCalls      calls that failed for good (their interactions are invalid)
 * @param invalidAnswers   answers that named no single option (asked again, or the interaction
 *                         is invalid)
 * @param estimatedCost    tokens times the endpoints' prices per million tokens
 * @param templatesSha256  SHA-256 over the four prompt templates (see docs/llm-prompts.md)
 * @param templates        each template file's SHA-256
 */
@JsonPropertyOrder(alphabetic = false)
public record InferenceSummary(long calls, long replayedCalls, long requests, long promptTokens,
                               long completionTokens, long retries, long errors, long failedCalls,
                               long invalidAnswers, double estimatedCost, String templatesSha256,
                               Map<String, String> templates) {

  /**
   * Whether this holds nothing: how an absent summary reads back from JSON, where its fields are
   * unwrapped into the enclosing object.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return calls == 0 && replayedCalls == 0 && requests == 0 && promptTokens == 0 && completionTokens == 0
        && retries == 0 && errors == 0 && failedCalls == 0 && invalidAnswers == 0 && estimatedCost == 0
        && templatesSha256 == null && templates == null;
  }
}
