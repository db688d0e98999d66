package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import dev.norma.protocols.journal.MindState;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An encounter game played as an engine that lends minds by state plays it: before every
 * encounter and population step each mind it touches is replaced by a fresh
 * {@link EncounterGame#newMind} restored from the real one's {@link Mind#save()}, and afterwards
 * the real one takes back the lent one's saved state. An {@link EncounterLoop} of it equals the
 * plain loop only if a mind's whole state round-trips through {@code save()} and
 * {@code restore()}. Played through a language model ({@link #conversations()}), the minds are lent
 * when an encounter opens and taken back once its outcome is read.
 *
 * <p>{@link #withoutState} lends fresh minds without restoring them, and {@link #through} passes
 * the state through a change on the way: deliberately broken engines that a test comparing them
 * with the plain loop must catch.
 *
 * @param <M> the game's mind type
 */
public final class LentByState<M extends Mind> implements EncounterGame<M> {
  private final EncounterGame<M> game;
  private final boolean restores;
  private final UnaryOperator<MindState> carry;

  private LentByState(EncounterGame<M> game, boolean restores, UnaryOperator<MindState> carry) {
    this.game = game;
    this.restores = restores;
    this.carry = carry;
  }

  /** {@code game}, its minds lent by state. */
  public static <M extends Mind> LentByState<M> of(EncounterGame<M> game) {
    return through(game, UnaryOperator.identity());
  }

  /** {@code game}, its minds lent by state that {@code carry} changes on the way, both ways. */
  public static <M extends Mind> LentByState<M> through(EncounterGame<M> game, UnaryOperator<MindState> carry) {
    return new LentByState<>(game, true, carry);
  }

  /** {@code game}, each encounter played by fresh minds that never saw the real ones' state. */
  public static <M extends Mind> LentByState<M> withoutState(EncounterGame<M> game) {
    return new LentByState<>(game, false, UnaryOperator.identity());
  }

  @Override
  public double[] play(M[] group, long index) {
    M[] lent = lend(group);
    double[] outcome = game.play(lent, index);
    takeBack(lent, group);
    return outcome;
  }

  @Override
  public void populationStep(M[] population, long round) {
    M[] lent = lend(population);
    game.populationStep(lent, round);
    takeBack(lent, population);
  }

  @Override
  public Conversations<M> conversations() {
    Conversations<M> conversations = game.conversations();
    if (conversations == null) {
      return null;
    }
    return new Conversations<>() {
      @Override
      public Exchange open(M[] group, long index) {
        M[] lent = lend(group);
        Exchange exchange = conversations.open(lent, index);
        return new Exchange() {
          @Override
          public Turn next() {
            return exchange.next();
          }

          @Override
          public void choose(int option) {
            exchange.choose(option);
          }

          @Override
          public void summarised(String answer) {
            exchange.summarised(answer);
          }

          @Override
          public double[] outcome() {
            double[] outcome = exchange.outcome();
            takeBack(lent, group);
            return outcome;
          }
        };
      }

      @Override
      public String templatesSha256() {
        return conversations.templatesSha256();
      }

      @Override
      public java.util.Map<String, String> templateHashes() {
        return conversations.templateHashes();
      }
    };
  }

  private M[] lend(M[] minds) {
    M[] lent = minds.clone();
    for (int i = 0; i < minds.length; i++) {
      lent[i] = game.newMind(minds[i].id());
      if (restores) {
        lent[i].restore(carry.apply(minds[i].save()));
      }
    }
    return lent;
  }

  private void takeBack(M[] lent, M[] minds) {
    for (int i = 0; i < minds.length; i++) {
      minds[i].restore(carry.apply(lent[i].save()));
    }
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
  public EncounterMeasures newMeasures() {
    return game.newMeasures();
  }

  @Override
  public int committedCount() {
    return game.committedCount();
  }
}
