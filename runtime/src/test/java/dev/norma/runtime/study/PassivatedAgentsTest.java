package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Mind;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store of passivated agents gives a fresh agent exactly the state it was passivated with:
 * mind, random stream, commitment and turn count, so it goes on as if it had never stopped.
 */
class PassivatedAgentsTest {
  private final StudyPlan plan = plan();
  private final StudyContext rules = new StudyContext("test", plan, null, null);

  private static StudyPlan plan() {
    try {
      return new StudyPlan(SpecLoader.parse("population: {size: 10}",
          List.of("game.memory=5", "committed.count=2", "committed.introduce=atRound 1")), 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private AgentCore fresh(int id) {
    return new AgentCore(rules, plan.newMind(id), false);
  }

  /** Plays {@code turns} interactions as the responder, from index {@code first} on. */
  private static void answer(AgentCore core, long first, int turns) {
    for (int i = 0; i < turns; i++) {
      core.applyAnswered(first + i, core.nextSequence(), (int) ((first + i) % 3), 0, null);
    }
  }

  @Test
  void anAgentTakesBackWhatItWasPassivatedWith() {
    PassivatedAgents store = new PassivatedAgents(10);
    for (int id = 0; id < 10; id++) {
      AgentCore live = fresh(id);
      answer(live, 0, 7 + id);
      store.keep(live);
      AgentCore back = fresh(id);
      assertThat(store.restore(back)).isTrue();
      assertThat(back.nextSequence()).isEqualTo(live.nextSequence());
      assertSame(back.mind().save(), live.mind().save());
      // Both go on alike: the same draws, the same commitment (agents are committed from index 10).
      answer(live, 100, 6);
      answer(back, 100, 6);
      assertSame(back.mind().save(), live.mind().save());
      assertThat(back.mind().committedAt(100)).isEqualTo(live.mind().committedAt(100));
    }
    assertThat(store.count()).isEqualTo(10);
  }

  @Test
  void anAgentNeverPassivatedStartsFresh() {
    PassivatedAgents store = new PassivatedAgents(10);
    store.keep(advanced(3));
    AgentCore other = fresh(4);
    assertThat(store.restore(other)).isFalse();
    assertSame(other.mind().save(), plan.newMind(4).save());
    assertThat(other.nextSequence()).isZero();
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void aLaterPassivationReplacesTheEarlierState() {
    PassivatedAgents store = new PassivatedAgents(10);
    AgentCore live = advanced(5);
    store.keep(live);
    answer(live, 50, 4);
    store.keep(live);
    AgentCore back = fresh(5);
    store.restore(back);
    assertThat(back.nextSequence()).isEqualTo(13);
    assertSame(back.mind().save(), live.mind().save());
  }

  private AgentCore advanced(int id) {
    AgentCore core = fresh(id);
    answer(core, 0, 9);
    return core;
  }

  private static void assertSame(MindState actual, MindState expected) {
    assertThat(actual.randomState()).isEqualTo(expected.randomState());
    assertThat(actual.committedFromIndex()).isEqualTo(expected.committedFromIndex());
    assertThat(actual.contents()).containsExactly(expected.contents());
  }

  @Test
  void aRandomStreamWithEveryBitSetSurvivesThePacking() {
    PassivatedAgents store = new PassivatedAgents(1);
    AgentCore live = fresh(0);
    Mind mind = live.mind();
    mind.restore(new MindState(-1L, Long.MAX_VALUE, mind.save().contents()));
    store.keep(live);
    AgentCore back = fresh(0);
    store.restore(back);
    assertThat(back.mind().save().randomState()).isEqualTo(-1L);
    assertThat(back.mind().nextLong()).isEqualTo(live.mind().nextLong());
  }
}
