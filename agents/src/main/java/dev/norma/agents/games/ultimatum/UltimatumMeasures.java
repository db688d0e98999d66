package dev.norma.agents.games.ultimatum;

import dev.norma.agents.encounter.EncounterMeasures;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link UltimatumRound} columns of a study of {@link UltimatumEncounters}, from what the
 * engine reports. The mean p and q at a round's end are running sums over the population, moved
 * by every observed change (a revision's included), so no step reads every mind; the offers made,
 * the rejections and the modal offer count the round's encounters. Sums are whole grid steps, so
 * the means are the same to the last bit whatever order the changes came in. Not thread-safe: one
 * caller.
 *
 * <p>Played through a language model, agents hold no p and q, so the row is
 * {@link UltimatumRound#LANGUAGE_MODEL_COLUMNS}: the offers and rejections of the round's valid
 * encounters (NaN in a round without any), and the share of invalid ones, whose proposer named no
 * offer (outcome {@code [NaN, NaN]}).
 */
final class UltimatumMeasures implements EncounterMeasures {
  private final int populationSize;
  /** Whether agents hold strategies (p, q), that is, play by rule. */
  private final boolean strategies;
  /** Sums of p and of q over the population, in grid steps. */
  private long offerSum;
  private long thresholdSum;
  /** The round's offers made, by offer in grid steps. */
  private final int[] offerCounts = new int[UltimatumGame.SUM + 1];
  private long offersMade;
  private int encounters;
  private int rejections;
  private int invalid;

  /** @param strategies whether agents play by rule, with a strategy (p, q) each */
  UltimatumMeasures(int populationSize, boolean strategies) {
    this.populationSize = populationSize;
    this.strategies = strategies;
  }

  @Override
  public List<String> columns() {
    return strategies ? UltimatumRound.COLUMNS : UltimatumRound.LANGUAGE_MODEL_COLUMNS;
  }

  @Override
  public void observed(int agent, double[] before, double[] after) {
    if (!strategies) {
      return;
    }
    if (before != null) {
      offerSum -= (long) before[UltimatumEncounters.OFFER];
      thresholdSum -= (long) before[UltimatumEncounters.THRESHOLD];
    }
    offerSum += (long) after[UltimatumEncounters.OFFER];
    thresholdSum += (long) after[UltimatumEncounters.THRESHOLD];
  }

  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    if (Double.isNaN(outcome[0])) {
      invalid++;
      return;
    }
    int offer = (int) Math.round(outcome[0] * UltimatumGame.SUM);
    offerCounts[offer]++;
    offersMade += offer;
    encounters++;
    if (outcome[1] == 0) {
      rejections++;
    }
  }

  /** The means over the population and over the round's valid encounters; the modal offer is the lowest on ties. */
  @Override
  public double[] endRound(long round) {
    int modal = 0;
    for (int offer = 1; offer <= UltimatumGame.SUM; offer++) {
      if (offerCounts[offer] > offerCounts[modal]) {
        modal = offer;
      }
    }
    double meanOfferMade = offersMade / (encounters * (double) UltimatumGame.SUM);
    double rejectionRate = rejections / (double) encounters;
    double modalShare = offerCounts[modal] / (double) encounters;
    double[] row;
    if (strategies) {
      double scale = (double) populationSize * UltimatumGame.SUM;
      row = new double[] {offerSum / scale, thresholdSum / scale, meanOfferMade, rejectionRate,
          modal / (double) UltimatumGame.SUM, modalShare};
    } else {
      double modalOffer = encounters == 0 ? Double.NaN : modal / (double) UltimatumGame.SUM;
      row = new double[] {meanOfferMade, rejectionRate, modalOffer, modalShare,
          invalid / (double) (encounters + invalid)};
    }
    Arrays.fill(offerCounts, 0);
    offersMade = 0;
    encounters = 0;
    rejections = 0;
    invalid = 0;
    return row;
  }
}
