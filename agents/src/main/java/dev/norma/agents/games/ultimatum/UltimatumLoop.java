package dev.norma.agents.games.ultimatum;

import dev.norma.agents.encounter.EncounterLoop;
import java.util.function.Consumer;

/**
 * A population playing the ultimatum game, round by round as {@link UltimatumRound} rows: the game
 * of {@code game.kind: ultimatum} ({@link UltimatumEncounters}, where the step order is told) in
 * {@link EncounterLoop}, the single-threaded reference of encounter games. The science tests run
 * it, so they measure exactly what a study of the game plays, and an actor run must equal it.
 */
public final class UltimatumLoop {
  private final EncounterLoop<UltimatumMind> loop;
  private final int populationSize;

  public UltimatumLoop(UltimatumGame game, long runSeed) {
    this.populationSize = game.parameters().populationSize();
    this.loop = new EncounterLoop<>(new UltimatumEncounters(game, runSeed), populationSize);
  }

  /**
   * Plays {@code rounds} more population rounds.
   *
   * @param onRound sees every finished round (may be null)
   * @return the last round's row
   */
  public UltimatumRound run(long rounds, Consumer<UltimatumRound> onRound) {
    Rows rows = new Rows(onRound);
    loop.run(rounds() + rounds, rows);
    return rows.last;
  }

  /** The agent with id {@code id}, for inspection. */
  public UltimatumMind mind(int id) {
    return loop.mind(id);
  }

  public int populationSize() {
    return populationSize;
  }

  /** Population rounds played so far. */
  public long rounds() {
    return loop.encounters() / populationSize;
  }

  /** Hands each round's row on as an {@link UltimatumRound}, and keeps the last. */
  private static final class Rows implements EncounterLoop.Listener {
    private final Consumer<UltimatumRound> onRound;
    private UltimatumRound last;

    Rows(Consumer<UltimatumRound> onRound) {
      this.onRound = onRound;
    }

    @Override
    public void encounter(long index, int[] members, double[] outcome) {
    }

    @Override
    public void round(long round, double[] row) {
      last = UltimatumRound.of(round, row);
      if (onRound != null) {
        onRound.accept(last);
      }
    }
  }
}
