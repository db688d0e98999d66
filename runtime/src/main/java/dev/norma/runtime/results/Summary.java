package dev.norma.runtime.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A run's {@code summary.json}. Fields about a committed minority are absent without one; other
 * fields that do not apply (no convergence) are null.
 *
 * @param status                 {@code completed}, {@code interrupted}, {@code cancelled} or
 *                               {@code failed}
 * @param stopReason             converged, flipped, flip-window-ended, max-rounds or interrupted
 * @param convergenceInteraction 0-based index at which convergence first held, or null
 * @param convergenceRound       the population round of that interaction, or null
 * @param finalShares            each name's share of the last round's non-committed production
 * @param flipRound              population round at which the flip was seen, or null
 * @param reissuedCalls          decisions asked of a policy again after a failure or a resume
 *                               (language-model calls re-sent); 0 for rule-based policies
 */
@JsonPropertyOrder(alphabetic = false)
public record Summary(
    int format,
    String status,
    String name,
    long seed,
    String game,
    String policy,
    String schedule,
    int populationSize,
    int committedCount,
    long interactions,
    long populationRounds,
    long invalidInteractions,
    long reissuedCalls,
    boolean converged,
    Long convergenceInteraction,
    Long convergenceRound,
    String winner,
    Map<String, Double> finalShares,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean flipped,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long flipRound,
    String stopReason,
    double wallSeconds,
    double interactionsPerSecond) {
  public static final int FORMAT = 1;
}
