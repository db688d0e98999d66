package dev.norma.runtime.study;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.inference.LlmDeliberation;

/**
 * Every agent's state as the coordinator's journal leaves it: a durable run of rule-based agents
 * on a seeded schedule journals each interaction once, in the coordinator's stretches
 * ({@link dev.norma.protocols.journal.CoordinatorEvent.Recorded}), and the agents themselves write
 * nothing. A record holds both sides of its interaction (the words, the outcome, what each side
 * reported of itself), so applying the recorded interactions in index order to the agents' minds,
 * each side by the same steps its agent took ({@link AgentCore#applyAnswered},
 * {@link AgentCore#applyPlayed}, random draws included), rebuilds every agent as it was after the
 * last recorded interaction. Each rebuilt interaction must give back the record it came from, or
 * the journal does not belong to this study.
 *
 * <p>The coordinator keeps this ledger beside its {@link RunLedger}, so it holds it whether it
 * recorded the interactions itself or read them back. Whenever agents may hold something the
 * journal lacks, or lack something it holds — it recovered from the journal, a node was lost,
 * the run stalled — it gives every agent its state from here and starts the matchmaker again at
 * the first unrecorded interaction ({@link AgentEntity.Restore}). Agents are ahead of the journal
 * only by interactions not yet recorded, which the matchmaker admits again: the run goes on
 * exactly as the uninterrupted one.
 *
 * <p>Minds are made on first use: an agent that has not played yet is restored from the plan.
 */
final class AgentLedger implements AgentCore.Rules {
  private final StudyPlan plan;
  private final AgentCore[] agents;

  AgentLedger(StudyPlan plan) {
    this.plan = plan;
    this.agents = new AgentCore[plan.populationSize()];
  }

  /**
   * Whether a run's agents are journaled through the coordinator (the agents write nothing): a
   * durable run whose agents decide by rules, on a seeded schedule. Language-model agents write
   * their decisions themselves ({@link DurableAgentEntity}): a record's words are not enough to
   * take the same draws again, and their runs' pace is the endpoints', not the journal's.
   */
  static boolean journalsAtCoordinator(StudyPlan plan, boolean durable) {
    return durable && plan.deterministic() && !PolicySpec.LLM.equals(plan.spec().policy().kind());
  }

  @Override
  public Game<Mind> game() {
    return plan.game();
  }

  @Override
  public LlmDeliberation deliberation() {
    return null;
  }

  /**
   * Applies one recorded interaction to both its agents.
   *
   * @throws IllegalStateException when the agents, taking the recorded words, do not give back the
   *                               recorded interaction
   */
  void apply(InteractionRecord record) {
    AgentCore responder = agent(record.responder());
    AgentEntity.Answer answer = responder.applyAnswered(record.index(), responder.nextSequence(),
        record.initiatorWord(), 0, null);
    AgentCore initiator = agent(record.initiator());
    InteractionRecord again = initiator.applyPlayed(record.index(), record.responder(), initiator.nextSequence(),
        record.initiatorWord(), answer.word(), answer.success(), answer.committed(), answer.inventory(),
        answer.soleWord(), 0);
    if (!again.equals(record)) {
      throw new IllegalStateException("interaction " + record.index() + " in the journal is " + record
          + " but its agents, rebuilt from the journal, give " + again + ": the journal does not match this study");
    }
  }

  /** The agent's mind after the interactions applied so far; null when it has not played yet. */
  MindState mind(int agent) {
    AgentCore core = agents[agent];
    return core == null ? null : core.mind().save();
  }

  /** The agent's count of interactions applied so far: the sequence number of its next turn. */
  int nextSequence(int agent) {
    AgentCore core = agents[agent];
    return core == null ? 0 : core.nextSequence();
  }

  private AgentCore agent(int id) {
    AgentCore core = agents[id];
    if (core == null) {
      core = new AgentCore(this, plan.newMind(id), false);
      agents[id] = core;
    }
    return core;
  }
}
