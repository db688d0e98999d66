package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent core without an actor system: turns taken in sequence order, early turns set aside
 * and taken up in turn, a turn seen again answered from what is kept and never applied twice.
 */
class AgentCoreTest {
  private final StudyPlan plan = plan();

  private static StudyPlan plan() {
    try {
      return new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final AgentCore.Rules rules = new AgentCore.Rules() {
    @Override
    public Game<Mind> game() {
      return plan.game();
    }

    @Override
    public LlmDeliberation deliberation() {
      return null;
    }
  };

  /**
   * A shell that writes down what the core asks of it. In memory it applies at once; otherwise it
   * applies only when {@link #applyWritten} is called, as a durable shell does once its event is written.
   */
  private static final class RecordingShell implements AgentCore.Shell {
    final List<String> facts = new ArrayList<>();
    final List<AgentEntity.Propose> proposals = new ArrayList<>();
    final List<InteractionRecord> records = new ArrayList<>();
    final List<AgentEntity.Answer> answers = new ArrayList<>();
    final boolean appliesAtOnce;
    AgentCore core;
    private Runnable written;

    RecordingShell(boolean appliesAtOnce) {
      this.appliesAtOnce = appliesAtOnce;
    }

    @Override
    public void propose(AgentEntity.Play play, int word) {
      facts.add("propose " + play.index());
      proposals.add(new AgentEntity.Propose(play.index(), core.mind().id(), word, play.partnerSequence(), null,
          play.settledBelow()));
    }

    @Override
    public void deliberate(Mind mind, long index, LlmRequest.Role role) {
      facts.add("deliberate " + index);
    }

    @Override
    public boolean answerSettled(AgentEntity.Propose propose, Integer decidedWord) {
      facts.add("answer " + propose.index());
      Runnable apply = () -> answers.add(core.applyAnswered(propose.index(), propose.sequence(), propose.word(),
          propose.settledBelow(), decidedWord));
      return settle(apply);
    }

    @Override
    public boolean playSettled(AgentEntity.Play play, int ownWord, AgentEntity.Answer answer) {
      facts.add("conclude " + play.index());
      Runnable apply = () -> records.add(core.applyPlayed(play.index(), play.partner(), play.sequence(), ownWord,
          answer.word(), answer.success(), answer.committed(), answer.inventory(), answer.soleWord(),
          play.settledBelow()));
      return settle(apply);
    }

    private boolean settle(Runnable apply) {
      if (appliesAtOnce) {
        apply.run();
        return true;
      }
      assertThat(written).as("one write at a time").isNull();
      written = apply;
      return false;
    }

    /** The pending event is written: apply it, then take up what was set aside meanwhile. */
    void applyWritten() {
      Runnable apply = written;
      written = null;
      apply.run();
      core.takeUp(this);
    }

    @Override
    public void reportAgain(InteractionRecord record) {
      facts.add("report again " + record.index());
      records.add(record);
    }

    @Override
    public void answerAgain(AgentEntity.Propose propose, AgentEntity.Answer answer) {
      facts.add("answer again " + propose.index());
      answers.add(answer);
    }
  }

  private RecordingShell shellFor(int agentId, boolean appliesAtOnce, boolean keeps) {
    RecordingShell shell = new RecordingShell(appliesAtOnce);
    shell.core = new AgentCore(rules, plan.newMind(agentId), keeps);
    return shell;
  }

  /** Plays one interaction between two cores through their shells, as their actors would. */
  private static InteractionRecord playBetween(RecordingShell initiator, RecordingShell responder, long index) {
    initiator.core.onPlay(new AgentEntity.Play(index, responder.core.mind().id(), initiator.core.nextSequence(),
        responder.core.nextSequence()), initiator);
    responder.core.onPropose(initiator.proposals.get(initiator.proposals.size() - 1), responder);
    initiator.core.onAnswer(responder.answers.get(responder.answers.size() - 1), initiator);
    return initiator.records.get(initiator.records.size() - 1);
  }

  @Test
  void twoCoresPlayTheInteractionsThePlainLoopPlays() {
    RecordingShell a = shellFor(3, true, false);
    RecordingShell b = shellFor(7, true, false);
    Mind plainA = plan.newMind(3);
    Mind plainB = plan.newMind(7);
    for (long index = 0; index < 20; index++) {
      boolean aInitiates = index % 3 != 1;
      InteractionRecord record = aInitiates ? playBetween(a, b, index) : playBetween(b, a, index);
      InteractionRecord expected = aInitiates ? PlainLoop.play(plan.game(), plainA, plainB, index)
          : PlainLoop.play(plan.game(), plainB, plainA, index);
      assertThat(record).isEqualTo(expected);
    }
    assertThat(a.core.nextSequence()).isEqualTo(20);
    assertThat(a.core.mind().save()).isEqualTo(plainA.save());
    assertThat(b.core.mind().save()).isEqualTo(plainB.save());
  }

  @Test
  void aTurnThatComesEarlyIsSetAsideAndTakenUpInTurn() {
    RecordingShell agent = shellFor(4, true, false);
    agent.core.onPropose(new AgentEntity.Propose(5, 8, 1, 1, null), agent);
    agent.core.onPropose(new AgentEntity.Propose(6, 9, 2, 2, null), agent);
    assertThat(agent.facts).isEmpty();

    agent.core.onPlay(new AgentEntity.Play(2, 1, 0, 0), agent);
    assertThat(agent.facts).containsExactly("propose 2");
    agent.core.onAnswer(new AgentEntity.Answer(2, 0, false, false, 0, -1), agent);
    assertThat(agent.facts).containsExactly("propose 2", "conclude 2", "answer 5", "answer 6");
    assertThat(agent.core.nextSequence()).isEqualTo(3);
    assertThat(agent.core.hasSetAside()).isFalse();
  }

  @Test
  void whileWaitingForAnAnswerEveryOtherTurnWaits() {
    RecordingShell agent = shellFor(5, true, false);
    agent.core.onPlay(new AgentEntity.Play(0, 1, 0, 0), agent);
    agent.core.onPropose(new AgentEntity.Propose(1, 2, 0, 1, null), agent);
    agent.core.onPlay(new AgentEntity.Play(3, 2, 2, 0), agent);
    assertThat(agent.facts).containsExactly("propose 0");

    assertThat(agent.core.onAnswer(new AgentEntity.Answer(9, 0, false, false, 0, -1), agent))
        .as("an answer for an interaction it is not waiting for").isFalse();
    agent.core.onAnswer(new AgentEntity.Answer(0, 0, false, false, 0, -1), agent);
    // The proposal (sequence 1) is answered, then the play (sequence 2) starts and waits again.
    assertThat(agent.facts).containsExactly("propose 0", "conclude 0", "answer 1", "propose 3");
  }

  @Test
  void aShellThatWritesFirstTakesUpOneTurnPerWrite() {
    RecordingShell agent = shellFor(6, false, true);
    agent.core.onPropose(new AgentEntity.Propose(1, 2, 0, 1, null), agent);
    agent.core.onPropose(new AgentEntity.Propose(2, 3, 0, 2, null), agent);
    agent.core.onPropose(new AgentEntity.Propose(0, 1, 0, 0, null), agent);
    assertThat(agent.facts).containsExactly("answer 0");
    assertThat(agent.core.nextSequence()).as("nothing applied before the write").isZero();

    agent.applyWritten();
    assertThat(agent.facts).containsExactly("answer 0", "answer 1");
    agent.applyWritten();
    agent.applyWritten();
    assertThat(agent.facts).containsExactly("answer 0", "answer 1", "answer 2");
    assertThat(agent.core.nextSequence()).isEqualTo(3);
    assertThat(agent.core.hasSetAside()).isFalse();
  }

  @Test
  void aPlaySeenAgainReportsTheSameRecordWithoutPlayingTwice() {
    RecordingShell agent = shellFor(3, true, true);
    agent.core.onPlay(new AgentEntity.Play(0, 7, 0, 0, 0), agent);
    agent.core.onAnswer(new AgentEntity.Answer(0, 1, true, false, 0, -1), agent);
    InteractionRecord first = agent.records.get(0);
    var mindAfter = agent.core.mind().save();

    agent.core.onPlay(new AgentEntity.Play(0, 7, 0, 0, 0), agent);
    assertThat(agent.facts).containsExactly("propose 0", "conclude 0", "report again 0");
    assertThat(agent.records).containsExactly(first, first);
    assertThat(agent.core.mind().save()).isEqualTo(mindAfter);
    assertThat(agent.core.nextSequence()).isEqualTo(1);
  }

  @Test
  void aProposalSeenAgainGetsTheSameAnswerWithoutAnsweringTwice() {
    RecordingShell agent = shellFor(4, true, true);
    agent.core.onPropose(new AgentEntity.Propose(2, 9, 1, 0, null), agent);
    var mindAfter = agent.core.mind().save();
    agent.core.onPropose(new AgentEntity.Propose(2, 9, 1, 0, null), agent);
    assertThat(agent.facts).containsExactly("answer 2", "answer again 2");
    assertThat(agent.answers.get(1)).isEqualTo(agent.answers.get(0));
    assertThat(agent.core.mind().save()).isEqualTo(mindAfter);
  }

  @Test
  void aPlayReDrivenWhileWaitingProposesTheSameWordAgain() {
    RecordingShell agent = shellFor(5, true, true);
    agent.core.onPlay(new AgentEntity.Play(4, 1, 0, 0), agent);
    agent.core.onPlay(new AgentEntity.Play(4, 2, 0, 3), agent); // the partner moved
    assertThat(agent.facts).containsExactly("propose 4", "propose 4");
    assertThat(agent.proposals.get(1).word()).isEqualTo(agent.proposals.get(0).word());
    assertThat(agent.proposals.get(1).sequence()).isEqualTo(3);
  }

  @Test
  void aTurnSetAsideTwiceIsTakenUpOnceWhenKeptAndTwiceWhenNot() {
    RecordingShell keeping = shellFor(6, true, true);
    RecordingShell inMemory = shellFor(6, true, false);
    for (RecordingShell agent : List.of(keeping, inMemory)) {
      agent.core.onPlay(new AgentEntity.Play(0, 1, 0, 0), agent);
      agent.core.onPropose(new AgentEntity.Propose(1, 2, 0, 1, null), agent);
      agent.core.onPropose(new AgentEntity.Propose(1, 2, 0, 1, null), agent);
      agent.core.onAnswer(new AgentEntity.Answer(0, 0, false, false, 0, -1), agent);
    }
    assertThat(keeping.facts).containsExactly("propose 0", "conclude 0", "answer 1");
    assertThat(keeping.core.hasSetAside()).isFalse();
    // In memory nothing is re-driven; a copy is kept as it came (never taken up: its turn is past).
    assertThat(inMemory.facts).containsExactly("propose 0", "conclude 0", "answer 1");
    assertThat(inMemory.core.hasSetAside()).isTrue();
  }

  @Test
  void aReplayedPlayDrawsTheRecordedWordOrRefusesTheJournal() {
    RecordingShell live = shellFor(3, true, true);
    live.core.onPlay(new AgentEntity.Play(0, 7, 0, 0), live);
    live.core.onAnswer(new AgentEntity.Answer(0, 1, true, false, 0, -1), live);
    int word = live.proposals.get(0).word();

    AgentCore replayed = new AgentCore(rules, plan.newMind(3), true);
    InteractionRecord record = replayed.applyPlayed(0, 7, 0, word, 1, true, false, 0, -1, 0);
    assertThat(record).isEqualTo(live.records.get(0));
    assertThat(replayed.mind().save()).isEqualTo(live.core.mind().save());

    AgentCore mismatched = new AgentCore(rules, plan.newMind(3), true);
    assertThatThrownBy(() -> mismatched.applyPlayed(0, 7, 0, word + 1, 1, true, false, 0, -1, 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not match");
  }

  @Test
  void keptInteractionsBelowTheSettledIndexAreForgotten() {
    RecordingShell agent = shellFor(4, true, true);
    for (int index = 0; index < 5; index++) {
      agent.core.onPropose(new AgentEntity.Propose(index, 9, 1, index, null, index < 4 ? 0 : 3), agent);
    }
    assertThat(agent.core.keptCount()).isEqualTo(2);
    agent.core.onPropose(new AgentEntity.Propose(1, 9, 1, 1, null), agent);
    assertThat(agent.facts).as("forgotten: not answered again").hasSize(5);
  }
}
