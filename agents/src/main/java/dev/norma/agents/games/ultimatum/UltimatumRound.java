package dev.norma.agents.games.ultimatum;

/**
 * What one population round of the ultimatum game shows. Offers and thresholds are fractions of
 * the sum.
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
}
