package dev.norma.protocols.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * A run's {@code summary.json}. Fields about a committed minority are absent without one; other
 * fields that do not apply (no convergence) are null.
 *
 * @param status                 {@code completed}, {@code interrupted}, {@code budget-exhausted},
 *                               {@code cancelled} or {@code failed}
 * @param stopReason             converged, flipped, flip-window-ended, max-rounds, interrupted or
 *                               budget-exhausted
 * @param convergenceInteraction 0-based index at which convergence first held, or null
 * @param convergenceRound       the population round of that interaction, or null
 * @param finalShares            each name's share of the last round's non-committed production
 * @param flipRound              population round at which the flip was seen, or null
 * @param inference              language-model calls, tokens and cost (llm policy only), written
 *                               as top-level fields
 * @param reissuedCalls          decisions asked of a policy again after a failure or a resume
 *                               (language-model calls re-sent); 0 for rule-based policies
 * @param measures               an encounter game's own measures in its last recorded round, by
 *                               {@code rounds.csv} column; absent for the naming games
 * @param parameters             the study's key parameters (absent in summaries written before
 *                               they were recorded)
 */
@JsonPropertyOrder(alphabetic = false)
public record Summary(
    int format,
    RunOutcome status,
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
    double interactionsPerSecond,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> measures,
    @JsonUnwrapped InferenceSummary inference,
    @JsonInclude(JsonInclude.Include.NON_NULL) RunParameters parameters) {
  public static final int FORMAT = 1;

  public Summary {
    // Unwrapped fields read back as an empty object when there were none: keep "none" as null.
    inference = inference == null || inference.isEmpty() ? null : inference;
    measures = measures == null ? Map.of() : measures;
  }

  /** A summary of a run without language-model agents. */
  public Summary(int format, RunOutcome status, String name, long seed, String game, String policy, String schedule,
                 int populationSize, int committedCount, long interactions, long populationRounds,
                 long invalidInteractions, long reissuedCalls, boolean converged, Long convergenceInteraction,
                 Long convergenceRound, String winner, Map<String, Double> finalShares, Boolean flipped,
                 Long flipRound, String stopReason, double wallSeconds, double interactionsPerSecond) {
    this(format, status, name, seed, game, policy, schedule, populationSize, committedCount, interactions,
        populationRounds, invalidInteractions, reissuedCalls, converged, convergenceInteraction, convergenceRound, winner,
        finalShares, flipped, flipRound, stopReason, wallSeconds, interactionsPerSecond, null, null, null);
  }

  /** This summary with the run's inference figures. */
  public Summary withInference(InferenceSummary figures) {
    return new Summary(format, status, name, seed, game, policy, schedule, populationSize, committedCount,
        interactions, populationRounds, invalidInteractions, reissuedCalls, converged, convergenceInteraction,
        convergenceRound, winner, finalShares, flipped, flipRound, stopReason, wallSeconds, interactionsPerSecond,
        measures, figures, parameters);
  }

  /** This summary with the study's key parameters. */
  public Summary withParameters(RunParameters recorded) {
    return new Summary(format, status, name, seed, game, policy, schedule, populationSize, committedCount,
        interactions, populationRounds, invalidInteractions, reissuedCalls, converged, convergenceInteraction,
        convergenceRound, winner, finalShares, flipped, flipRound, stopReason, wallSeconds, interactionsPerSecond,
        measures, inference, recorded);
  }
}
