package dev.norma.agents.sweep;

import dev.norma.protocols.run.Summary;
import java.util.Map;

/**
 * One run of a sweep as a row of {@code runs.csv}: its place (point, replicate, seed) and its
 * summary's figures, or, for a run that ended in an exception, its error.
 *
 * @param status  the summary's status ({@code completed}, {@code failed}, ...)
 * @param summary the run's summary, or null when it failed before writing one
 * @param error   why a failed run failed, or null
 * @param wallSeconds the run's wall time (the summary's, or as measured around a run that threw)
 */
public record SweepRunRow(SweepPoint point, int replicate, long seed, String status, Summary summary, String error,
                          Double wallSeconds) {
  public static final String FAILED = "failed";

  /** A run that wrote its summary; a failed one says why in its stop reason. */
  public static SweepRunRow of(SweepPoint point, int replicate, long seed, Summary summary) {
    String status = summary.status().wireName();
    return new SweepRunRow(point, replicate, seed, status, summary,
        FAILED.equals(status) ? summary.stopReason() : null, summary.wallSeconds());
  }

  /** A run that ended in an exception, with no summary. */
  public static SweepRunRow failed(SweepPoint point, int replicate, long seed, String error, double wallSeconds) {
    return new SweepRunRow(point, replicate, seed, FAILED, null, error, wallSeconds);
  }

  public String run() {
    return point.runName(replicate);
  }

  public boolean failed() {
    return FAILED.equals(status);
  }

  /**
   * The value of a summary figure by its {@code runs.csv} column name ({@code flipped},
   * {@code convergenceRound}, {@code measure.meanOffer}...): a Boolean, a Number, or null when the
   * run has none (no summary, no committed minority, did not converge).
   */
  public Object figure(String name) {
    if (summary == null) {
      return null;
    }
    Summary s = summary;
    return switch (name) {
      case "interactions" -> s.interactions();
      case "populationRounds" -> s.populationRounds();
      case "converged" -> s.converged();
      case "convergenceInteraction" -> s.convergenceInteraction();
      case "convergenceRound" -> s.convergenceRound();
      case "winner" -> s.winner();
      case "flipped" -> s.flipped();
      case "flipRound" -> s.flipRound();
      case "invalidInteractions" -> s.invalidInteractions();
      case "stopReason" -> s.stopReason();
      case "wallSeconds" -> s.wallSeconds();
      case "interactionsPerSecond" -> s.interactionsPerSecond();
      default -> name.startsWith(MEASURE) ? s.measures().get(name.substring(MEASURE.length())) : null;
    };
  }

  /** The prefix of an encounter game's measure among the figures. */
  public static final String MEASURE = "measure.";

  /** The run's encounter-game measures (none for the naming games, or without a summary). */
  public Map<String, Double> measures() {
    return summary == null ? Map.of() : summary.measures();
  }
}
