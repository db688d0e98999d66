package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import java.util.List;

/**
 * An encounter game played as an engine that lends minds by state plays it: before every
 * encounter each participant's mind is replaced by a fresh {@link EncounterGame#newMind} restored
 * from the real one's {@link Mind#save()}, and afterwards the real one takes back the lent one's
 * saved state. An {@link EncounterLoop} of it equals the plain loop only if a mind's whole state
 * round-trips through {@code save()} and {@code restore()}.
 *
 * <p>The population step, if the game takes one, is played on the real minds as it is.
 *
 * <p>{@link #withoutState} lends fresh minds without restoring them: a deliberately broken engine
 * that a test comparing the two must catch.
 *
 * @param <M> the game's mind type
 */
public final class LentByState<M extends Mind> implements EncounterGame<M> {
  private final EncounterGame<M> game;
  private final boolean restores;

  private LentByState(EncounterGame<M> game, boolean restores) {
    this.game = game;
    this.restores = restores;
  }

  /** {@code game}, its minds lent by state. */
  public static <M extends Mind> LentByState<M> of(EncounterGame<M> game) {
    return new LentByState<>(game, true);
  }

  /** {@code game}, each encounter played by fresh minds that never saw the real ones' state. */
  public static <M extends Mind> LentByState<M> withoutState(EncounterGame<M> game) {
    return new LentByState<>(game, false);
  }

  @Override
  public double[] play(M[] group, long index) {
    M[] lent = group.clone();
    for (int i = 0; i < group.length; i++) {
      lent[i] = game.newMind(group[i].id());
      if (restores) {
        lent[i].restore(group[i].save());
      }
    }
    double[] outcome = game.play(lent, index);
    for (int i = 0; i < group.length; i++) {
      group[i].restore(lent[i].save());
    }
    return outcome;
  }

  @Override
  public int participants() {
    return game.participants();
  }

  @Override
  public M newMind(int agentId) {
    return game.newMind(agentId);
  }

  @Override
  public EncounterSchedule newSchedule() {
    return game.newSchedule();
  }

  @Override
  public long encountersPerRound() {
    return game.encountersPerRound();
  }

  @Override
  public List<String> outcomeColumns() {
    return game.outcomeColumns();
  }

  @Override
  public double[] observe(M mind) {
    return game.observe(mind);
  }

  @Override
  public boolean populationStepAfter(long round) {
    return game.populationStepAfter(round);
  }

  @Override
  public void populationStep(M[] population, long round) {
    game.populationStep(population, round);
  }

  @Override
  public EncounterMeasures newMeasures() {
    return game.newMeasures();
  }

  @Override
  public int committedCount() {
    return game.committedCount();
  }
}
