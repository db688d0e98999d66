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
 */
final class UltimatumMeasures implements EncounterMeasures {
  private final int populationSize;
  /** Sums of p and of q over the population, in grid steps. */
  private long offerSum;
  private long thresholdSum;
  /** The round's offers made, by offer in grid steps. */
  private final int[] offerCounts = new int[UltimatumGame.SUM + 1];
  private long offersMade;
  private int encounters;
  private int rejections;

  UltimatumMeasures(int populationSize) {
    this.populationSize = populationSize;
  }

  @Override
  public List<String> columns() {
    return UltimatumRound.COLUMNS;
  }

  @Override
  public void observed(int agent, double[] before, double[] after) {
    if (before != null) {
      offerSum -= (long) before[UltimatumEncounters.OFFER];
      thresholdSum -= (long) before[UltimatumEncounters.THRESHOLD];
    }
    offerSum += (long) after[UltimatumEncounters.OFFER];
    thresholdSum += (long) after[UltimatumEncounters.THRESHOLD];
  }

  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    int offer = (int) Math.round(outcome[0] * UltimatumGame.SUM);
    offerCounts[offer]++;
    offersMade += offer;
    encounters++;
    if (outcome[1] == 0) {
      rejections++;
    }
  }

  /** The means over the population and over the round's encounters; the modal offer is the lowest on ties. */
  @Override
  public double[] endRound(long round) {
    int modal = 0;
    for (int offer = 1; offer <= UltimatumGame.SUM; offer++) {
      if (offerCounts[offer] > offerCounts[modal]) {
        modal = offer;
      }
    }
    double scale = (double) populationSize * UltimatumGame.SUM;
    double[] row = {offerSum / scale, thresholdSum / scale, offersMade / (encounters * (double) UltimatumGame.SUM),
        rejections / (double) encounters, modal / (double) UltimatumGame.SUM, offerCounts[modal] / (double) encounters};
    Arrays.fill(offerCounts, 0);
    offersMade = 0;
    encounters = 0;
    rejections = 0;
    return row;
  }
}
