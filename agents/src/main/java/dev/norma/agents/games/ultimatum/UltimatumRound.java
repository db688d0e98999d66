package dev.norma.agents.games.ultimatum;

import java.util.List;

/**
 * What one population round of the ultimatum game shows: a row of {@code rounds.csv}. Offers and
 * thresholds are fractions of the sum.
 *
 * @param round          population round, from 0
 * @param meanOffer      mean p over the population at the end of the round (after any revision)
 * @param meanThreshold  mean q over the population at the end of the round
 * @param meanOfferMade  mean of the offers made in the round's encounters (with reputation, often
 *                       below the proposers' p)
 * @param rejectionRate  share of the round's encounters in which the offer was rejected
 * @param modalOffer     the most frequent offer made in the round (the lowest such, on ties)
 * @param modalShare     share of the round's offers that were exactly the modal offer
 */
public record UltimatumRound(long round, double meanOffer, double meanThreshold, double meanOfferMade,
                             double rejectionRate, double modalOffer, double modalShare) {

  /** The columns of {@code rounds.csv} after {@code round}: the components after {@code round}, in order. */
  public static final List<String> COLUMNS = List.of("meanOffer", "meanThreshold", "meanOfferMade", "rejectionRate",
      "modalOffer", "modalShare");

  /**
   * The columns of a study played through a language model ({@code policy.kind: llm}): no p and q
   * there, so no meanOffer or meanThreshold; the rest over the round's valid encounters, and
   * {@code invalidRate}, the share of its encounters whose proposer named no offer.
   */
  public static final List<String> LANGUAGE_MODEL_COLUMNS = List.of("meanOfferMade", "rejectionRate", "modalOffer",
      "modalShare", "invalidRate");

  /** Round {@code round} from a rule-based study's row, the values in the order of {@link #COLUMNS}. */
  public static UltimatumRound of(long round, double[] row) {
    if (row.length != COLUMNS.size()) {
      throw new IllegalArgumentException("a row of " + COLUMNS.size() + " columns " + COLUMNS + ", got " + row.length);
    }
    return new UltimatumRound(round, row[0], row[1], row[2], row[3], row[4], row[5]);
  }
}
