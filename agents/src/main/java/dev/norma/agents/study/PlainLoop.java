package dev.norma.agents.study;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.protocols.record.InteractionRecord;
import java.util.function.Consumer;

/**
 * The study as a plain single-threaded loop: the reference that the actor runtime must equal,
 * interaction for interaction, and the speed ceiling it is compared with. Also the fastest way to
 * run many small replicas in tests.
 */
public final class PlainLoop {
  private final StudyPlan plan;
  private final Mind[] minds;
  private final PairSchedule schedule;
  private final PopulationObserver observer;

  public PlainLoop(StudyPlan plan) {
    if (!plan.deterministic()) {
      throw new IllegalArgumentException("the plain loop needs a deterministic schedule, not "
          + plan.spec().schedule().kind());
    }
    this.plan = plan;
    this.minds = new Mind[plan.populationSize()];
    for (int i = 0; i < minds.length; i++) {
      minds[i] = plan.newMind(i);
    }
    this.schedule = plan.newSchedule();
    this.observer = new PopulationObserver(plan);
  }

  /** Plays one interaction with the given index; the caller keeps indices consecutive. */
  public static InteractionRecord play(Game<Mind> game, Mind initiator, Mind responder, long index) {
    boolean initiatorCommitted = initiator.committedAt(index);
    boolean responderCommitted = responder.committedAt(index);
    int initiatorWord = game.produce(initiator, index);
    Game.Reply reply = game.respond(responder, initiatorWord, index);
    game.conclude(initiator, initiatorWord, reply, index);
    return initiator.concludedRecord(index, initiatorCommitted, initiatorWord, responder.id(), reply.word(),
        reply.success(), true, responderCommitted, responder.inventorySize(), responder.soleWord());
  }

  /**
   * Runs until the stop rules say so.
   *
   * @param onInteraction sees every interaction in order (may be null)
   * @param onRound       sees every finished population round (may be null)
   */
  public PopulationObserver run(Consumer<InteractionRecord> onInteraction, Consumer<RoundRow> onRound) {
    Game<Mind> game = plan.game();
    long index = observer.recorded();
    while (observer.stopReason() == null) {
      long pair = schedule.next();
      InteractionRecord record = play(game, minds[PairSchedule.initiator(pair)],
          minds[PairSchedule.responder(pair)], index++);
      if (onInteraction != null) {
        onInteraction.accept(record);
      }
      RoundRow row = observer.accept(record);
      if (row != null && onRound != null) {
        onRound.accept(row);
      }
    }
    return observer;
  }

  public PopulationObserver observer() {
    return observer;
  }

  public Mind mind(int id) {
    return minds[id];
  }
}
