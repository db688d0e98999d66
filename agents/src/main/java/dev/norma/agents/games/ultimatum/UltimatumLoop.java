package dev.norma.agents.games.ultimatum;

import dev.norma.agents.games.ultimatum.UltimatumGame.Encounter;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.schedule.RoundsSchedule;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A population playing the ultimatum game, as a plain single-threaded loop: the reference an
 * actor runtime would have to equal, and the way the science tests run it.
 *
 * <p>Step order. Pairs come from a {@link RoundsSchedule} seeded by the run seed (a fresh random
 * matching of everyone, the first of each pair proposing); a population round is N consecutive
 * encounters, so each agent plays two encounters a round (with an odd N, one agent sits out each
 * matching), in a random role each. After every {@code revisionInterval}-th round all agents
 * revise at once ({@link UltimatumGame#revise(UltimatumMind[])}) against a snapshot of everyone's
 * strategy and payoff taken before the first of them revised, so the order of revision does not
 * matter. Every random draw an agent makes comes from its own stream, every pairing from the
 * schedule's: a seed gives one trajectory whatever runs the agents.
 */
public final class UltimatumLoop {
  private final UltimatumGame game;
  private final UltimatumMind[] minds;
  private final PairSchedule schedule;
  private final int[] offerCounts = new int[UltimatumGame.SUM + 1];
  private long round;

  public UltimatumLoop(UltimatumGame game, long runSeed) {
    this.game = game;
    int size = game.parameters().populationSize();
    this.minds = new UltimatumMind[size];
    for (int id = 0; id < size; id++) {
      minds[id] = game.newMind(id, runSeed);
    }
    this.schedule = new RoundsSchedule(size, runSeed);
  }

  /**
   * Plays {@code rounds} more population rounds.
   *
   * @param onRound sees every finished round (may be null)
   * @return the last round's row
   */
  public UltimatumRound run(long rounds, Consumer<UltimatumRound> onRound) {
    UltimatumRound last = null;
    for (long r = 0; r < rounds; r++) {
      last = playRound();
      if (onRound != null) {
        onRound.accept(last);
      }
    }
    return last;
  }

  private UltimatumRound playRound() {
    Arrays.fill(offerCounts, 0);
    long offerTotal = 0;
    int rejections = 0;
    for (int i = 0; i < minds.length; i++) {
      long pair = schedule.next();
      Encounter encounter = game.play(minds[PairSchedule.initiator(pair)], minds[PairSchedule.responder(pair)]);
      offerTotal += encounter.offer();
      offerCounts[encounter.offer()]++;
      if (!encounter.accepted()) {
        rejections++;
      }
    }
    round++;
    if (round % game.parameters().revisionInterval() == 0) {
      game.revise(minds);
    }
    int modal = 0;
    for (int offer = 1; offer <= UltimatumGame.SUM; offer++) {
      if (offerCounts[offer] > offerCounts[modal]) {
        modal = offer;
      }
    }
    long offers = 0;
    long thresholds = 0;
    for (UltimatumMind mind : minds) {
      offers += mind.offer();
      thresholds += mind.threshold();
    }
    double scale = (double) minds.length * UltimatumGame.SUM;
    return new UltimatumRound(round - 1, offers / scale, thresholds / scale, offerTotal / scale,
        rejections / (double) minds.length, modal / (double) UltimatumGame.SUM,
        offerCounts[modal] / (double) minds.length);
  }

  /** The agent with id {@code id}, for inspection. */
  public UltimatumMind mind(int id) {
    return minds[id];
  }

  public int populationSize() {
    return minds.length;
  }

  /** Population rounds played so far. */
  public long rounds() {
    return round;
  }
}
