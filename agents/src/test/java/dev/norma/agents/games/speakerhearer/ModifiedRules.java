package dev.norma.agents.games.speakerhearer;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import java.util.List;
import java.util.function.Consumer;

/**
 * A speaker–hearer game with one step of the rule changed, for negative controls: a science test
 * shows that it can tell the published rule from a plausible wrong one. Each step delegates to
 * the real game unless a subclass overrides it; {@link #run} plays it on a plan's own schedule
 * and minds and measures it with the plan's own observer.
 */
class ModifiedRules implements Game<InventoryMind> {
  protected final SpeakerHearerGame rules;

  ModifiedRules(StudyPlan plan) {
    this.rules = (SpeakerHearerGame) (Game<?>) plan.game();
  }

  @Override
  public InventoryMind newMind(int agentId, long runSeed) {
    return rules.newMind(agentId, runSeed);
  }

  @Override
  public int produce(InventoryMind initiator, long index) {
    return rules.produce(initiator, index);
  }

  @Override
  public Reply respond(InventoryMind responder, int initiatorWord, long index) {
    return rules.respond(responder, initiatorWord, index);
  }

  @Override
  public void conclude(InventoryMind initiator, int ownWord, Reply reply, long index) {
    rules.conclude(initiator, ownWord, reply, index);
  }

  @Override
  public void prepare(InventoryMind mind, int word) {
    rules.prepare(mind, word);
  }

  @Override
  public int payoff(boolean success) {
    return rules.payoff(success);
  }

  @Override
  public boolean simultaneous() {
    return false;
  }

  @Override
  public List<String> names() {
    return rules.names();
  }

  @Override
  public int wordBound(int populationSize) {
    return rules.wordBound(populationSize);
  }

  /** Plays this game where the plan's game would be played, as {@link PlainLoop#run} does. */
  @SuppressWarnings("unchecked")
  PopulationObserver run(StudyPlan plan, Consumer<InteractionRecord> onInteraction,
                         Consumer<RoundRow> onRound) {
    Game<Mind> game = (Game<Mind>) (Game<?>) this;
    Mind[] minds = new Mind[plan.populationSize()];
    for (int id = 0; id < minds.length; id++) {
      minds[id] = plan.newMind(id);
    }
    PairSchedule schedule = plan.newSchedule();
    PopulationObserver observer = new PopulationObserver(plan);
    long index = 0;
    while (observer.stopReason() == null) {
      long pair = schedule.next();
      InteractionRecord record = PlainLoop.play(game, minds[PairSchedule.initiator(pair)],
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
}
