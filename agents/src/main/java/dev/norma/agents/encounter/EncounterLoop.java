package dev.norma.agents.encounter;

import dev.norma.agents.Mind;
import java.util.List;

/**
 * A study of an {@link EncounterGame} as a plain single-threaded loop: the reference every actor
 * run of the game must equal, encounter for encounter and row for row.
 *
 * <p>What the measures are told, in this order (the engine tells them the same): every agent's
 * observation at the start, by id; then for each encounter, in index order, each participant's
 * observation before and after it (in the encounter's order) and the outcome; after a population
 * round's last encounter, the population step if the game takes one (every agent's observation
 * before and after, by id), then the round's end.
 *
 * @param <M> the game's mind type
 */
public final class EncounterLoop<M extends Mind> {

  /** Sees what a study produces, in order. */
  public interface Listener {
    void encounter(long index, int[] members, double[] outcome);

    void round(long round, double[] row);

    /** What was said in encounter {@code index}, before its {@link #encounter}; only when something was. */
    default void transcript(long index, int[] members, List<Utterance> lines) {
    }
  }

  /**
   * Answers the turns of a study played through a language model ({@link Conversations}): the
   * choice of {@code agent} at {@code turn} of encounter {@code index}, an index into the turn's
   * options or {@link Turn#NO_CHOICE}. A test's model is a game's {@link
   * dev.norma.agents.llm.FakeAnswers} read by the turn's parser, or a recorded run's answers.
   */
  @FunctionalInterface
  public interface Model {
    int choose(int agent, long index, Turn turn);

    /**
     * The answer of {@code agent} to a {@linkplain Turn#summary() summary} turn; by default the
     * stand-in summariser's ({@link dev.norma.agents.llm.ContextSummary#FAKE}).
     */
    default String summarise(int agent, long index, Turn turn) {
      return dev.norma.agents.llm.ContextSummary.FAKE.answer(turn.prompt().text(), bound -> 0);
    }

    /**
     * The text of {@code agent} for a {@linkplain Turn#freeText() free-text} turn, stripped; empty
     * when it gave none. A model for a game of choices need not say anything.
     */
    default String say(int agent, long index, Turn turn) {
      throw new UnsupportedOperationException("this model answers choices only, not turn " + turn.role());
    }
  }

  /** The summary's stop reason when {@code stop.maxRounds} ends a study. */
  public static final String MAX_ROUNDS = "max-rounds";

  private final EncounterGame<M> game;
  private final M[] minds;
  private final EncounterSchedule schedule;
  private final EncounterMeasures measures;
  private final Class<?> mindClass;
  private final int[] seats;
  private final M[] wholeGroup;
  private final double[][] before;
  private long index;

  public EncounterLoop(EncounterGame<M> game, int populationSize) {
    this.game = game;
    Mind[] made = new Mind[populationSize];
    for (int id = 0; id < populationSize; id++) {
      made[id] = game.newMind(id);
    }
    // Arrays of the minds' own class: a game's play(ConventionMind[], ...) casts what it is given.
    Class<?> mindClass = MindArrays.commonClass(made);
    this.minds = MindArrays.newArray(mindClass, populationSize);
    System.arraycopy(made, 0, minds, 0, populationSize);
    this.schedule = game.newSchedule();
    this.measures = game.newMeasures();
    int n = game.participants();
    this.mindClass = mindClass;
    this.seats = new int[n];
    this.wholeGroup = MindArrays.newArray(mindClass, n);
    this.before = new double[n][];
    for (int id = 0; id < populationSize; id++) {
      measures.observed(id, null, game.observe(minds[id]));
    }
  }

  /** Plays the next encounter by the game's rule; returns its outcome. */
  public double[] playNext(Listener listener) {
    return playNext(listener, null);
  }

  /**
   * Plays the next encounter, through the game's conversations when {@code model} is given, by its
   * rule otherwise; returns its outcome.
   */
  public double[] playNext(Listener listener, Model model) {
    int present = schedule.nextPresent(seats);
    // An encounter some agents have left is smaller (a room with empty seats); most are whole.
    int[] members = present == seats.length ? seats : java.util.Arrays.copyOf(seats, present);
    M[] group = present == seats.length ? wholeGroup : MindArrays.newArray(mindClass, present);
    for (int i = 0; i < members.length; i++) {
      group[i] = minds[members[i]];
      before[i] = game.observe(group[i]);
    }
    EncounterGame.Played played = model == null ? game.playWithTranscript(group, index)
        : converse(model, group, members);
    double[] outcome = played.outcome();
    for (int i = 0; i < members.length; i++) {
      measures.observed(members[i], before[i], game.observe(group[i]));
    }
    measures.encounter(index, members, outcome);
    if (listener != null) {
      if (!played.transcript().isEmpty()) {
        listener.transcript(index, members, played.transcript());
      }
      listener.encounter(index, members, outcome);
    }
    index++;
    return outcome;
  }

  private EncounterGame.Played converse(Model model, M[] group, int[] members) {
    Conversations<M> conversations = game.conversations();
    if (conversations == null) {
      throw new IllegalStateException("the game has no language-model policy");
    }
    Exchange exchange = conversations.open(group, index);
    for (Turn turn = exchange.next(); turn != null; turn = exchange.next()) {
      int agent = members[turn.participant()];
      switch (turn.kind()) {
        case SUMMARY -> exchange.summarised(model.summarise(agent, index, turn));
        case FREE_TEXT -> {
          // As the engine does: a text the turn cannot use, after every re-ask, is no text.
          String text = model.say(agent, index, turn).strip();
          exchange.said(turn.usable(text) ? text : "");
        }
        case CHOICE -> exchange.choose(model.choose(agent, index, turn));
      }
    }
    return new EncounterGame.Played(exchange.outcome(), exchange.transcript());
  }

  /**
   * Plays population rounds by the game's rule until the measures stop the study or
   * {@code maxRounds} rounds are played.
   *
   * @param listener sees every encounter and round (may be null)
   * @return why it stopped: the measures' reason, or {@link #MAX_ROUNDS}
   */
  public String run(long maxRounds, Listener listener) {
    return run(maxRounds, listener, null);
  }

  /**
   * Plays population rounds, through the game's conversations with {@code model} answering every
   * turn (by rule when it is null), until the measures stop the study or {@code maxRounds} rounds
   * are played.
   */
  public String run(long maxRounds, Listener listener, Model model) {
    long perRound = game.encountersPerRound();
    for (long round = index / perRound; round < maxRounds; round++) {
      while (index < (round + 1) * perRound) {
        playNext(listener, model);
      }
      double[] row = endRound(round);
      if (listener != null) {
        listener.round(round, row);
      }
      String reason = measures.stopAfter(round, row);
      if (reason != null) {
        return reason;
      }
    }
    return MAX_ROUNDS;
  }

  /** Ends round {@code round}: its population step, if the game takes one, then its row. */
  private double[] endRound(long round) {
    if (game.populationStepAfter(round)) {
      double[][] all = new double[minds.length][];
      for (int id = 0; id < minds.length; id++) {
        all[id] = game.observe(minds[id]);
      }
      game.populationStep(minds, round);
      for (int id = 0; id < minds.length; id++) {
        measures.observed(id, all[id], game.observe(minds[id]));
      }
    }
    return measures.endRound(round);
  }

  /** Encounters played so far. */
  public long encounters() {
    return index;
  }

  public M mind(int id) {
    return minds[id];
  }

  public EncounterMeasures measures() {
    return measures;
  }
}
