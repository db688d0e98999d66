package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.spec.EndpointSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a call journal holds, summed line by line: the figures of a run's {@code summary.json}
 * and the spending its budgets are checked against. Kept by the {@link CallJournal} as it writes
 * (and as it takes over the lines of a resumed run), so the figures cover every session of the
 * run and equal what the journal holds, by construction.
 *
 * <p>From the {@code "type": "call"} lines: an {@code ok} or {@code invalid} line is an answer
 * ({@code calls}, its tokens and their cost; {@code replayedCalls} when {@code replayed}); a
 * {@code retry} line a failed request sent again, an {@code error} line a call failed for good,
 * each also a failed request ({@code errors}). Every answer or failed try not replayed is a
 * request, except the lines marked {@code sharedRequest}: the other calls of one batched request.
 * {@code reissuedCalls} counts lines marked {@code reissued} that settled a decision (an answer not
 * replayed, or an error). Lines written before a field existed lack it and count as it says.
 *
 * <p>Not thread-safe: the journal calls it under its own lock.
 */
public final class CallTotals {
  private final Map<String, double[]> prices = new HashMap<>();
  private long calls;
  private long replayedCalls;
  private long requests;
  private long promptTokens;
  private long completionTokens;
  private long retries;
  private long errors;
  private long failedCalls;
  private long invalidAnswers;
  private long reissuedCalls;
  /** Tokens times prices per million, summed: the cost in millionths of a currency unit. */
  private double costMicroUnits;

  /** @param endpoints the spec's endpoints, whose prices cost the answers they gave (by name) */
  public CallTotals(List<EndpointSpec> endpoints) {
    for (EndpointSpec endpoint : endpoints) {
      prices.put(endpoint.name(), new double[] {
          endpoint.promptPrice() == null ? 0 : endpoint.promptPrice(),
          endpoint.completionPrice() == null ? 0 : endpoint.completionPrice()});
    }
  }

  /** Counts one journal line. */
  public void add(JsonNode line) {
    if (!"call".equals(line.path("type").asText())) {
      return;
    }
    String outcome = line.path("outcome").asText();
    boolean replayed = line.path("replayed").asBoolean(false);
    boolean ownRequest = !line.path("sharedRequest").asBoolean(false);
    boolean answer = "ok".equals(outcome) || "invalid".equals(outcome);
    boolean failedTry = "retry".equals(outcome) || "error".equals(outcome);
    if ("invalid".equals(outcome)) {
      invalidAnswers++;
    }
    if (answer && replayed) {
      replayedCalls++;
    } else if (answer) {
      calls++;
      long prompt = line.path("promptTokens").asLong();
      long completion = line.path("completionTokens").asLong();
      promptTokens += prompt;
      completionTokens += completion;
      double[] price = prices.get(line.path("endpoint").asText());
      if (price != null) {
        costMicroUnits += prompt * price[0] + completion * price[1];
      }
    }
    if ("retry".equals(outcome)) {
      retries++;
    } else if ("error".equals(outcome)) {
      failedCalls++;
    }
    if (failedTry && ownRequest) {
      errors++;
    }
    if ((answer && !replayed || failedTry) && ownRequest) {
      requests++;
    }
    if (line.path("reissued").asBoolean(false) && (answer && !replayed || "error".equals(outcome))) {
      reissuedCalls++;
    }
  }

  /** The totals so far, in a cluster node's report's shape (nothing in flight or queued). */
  public InferenceUsage usage() {
    return new InferenceUsage(calls, replayedCalls, requests, promptTokens, completionTokens, retries, errors,
        failedCalls, invalidAnswers, reissuedCalls, costMicroUnits / 1e6, 0, 0, 0);
  }
}
