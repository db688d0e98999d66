package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.SpecLoader;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A durable agent takes each interaction once: a turn seen again is answered from what it keeps,
 * and after a journal failure it comes back as it was, drawing the same word for the same turn.
 */
class DurableAgentEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      PersistenceTestKitPlugin.getInstance().config()
          .withFallback(org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local\nnorma.agents.snapshot-every = 4"))
          .withFallback(ConfigFactory.load()));
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit snapshots =
      org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit.create(testKit.system());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clearJournal() {
    journal.clearAll();
    snapshots.clearAll();
  }

  private final TestProbe<ShardingEnvelope<AgentEntity.Command>> region = testKit.createTestProbe();
  private final TestProbe<NormRegistry.Command> registry = testKit.createTestProbe();
  private final TestProbe<AgentEntity.Command> partner = testKit.createTestProbe();
  private static int runs;

  private StudyContext study;

  private ActorRef<AgentEntity.Command> spawnAgent(int id) throws Exception {
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    study = new StudyContext("test" + (runs++), plan, region.getRef(), registry.getRef());
    return testKit.spawn(DurableAgentEntity.create(id, study, PersistenceTestKitPlugin.PluginId()));
  }

  private AgentEntity.Propose proposal() {
    return (AgentEntity.Propose) region.receiveMessage().message();
  }

  @Test
  void aPlaySeenAgainReportsTheSameRecordWithoutPlayingTwice() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(3);
    agent.tell(new AgentEntity.Play(0, 7, 0, 0));
    AgentEntity.Propose propose = proposal();
    propose.replyTo().tell(new AgentEntity.Answer(0, propose.word(), true, false, 0, -1));
    var first = ((NormRegistry.InteractionFinished) registry.receiveMessage()).record();

    agent.tell(new AgentEntity.Play(0, 7, 0, 0));
    var again = ((NormRegistry.InteractionFinished) registry.receiveMessage()).record();
    assertThat(again).isEqualTo(first);
    region.expectNoMessage();
    assertThat(journal.persistedInStorage(DurableAgentEntity.persistenceId("test" + (runs - 1), 3).id()))
        .hasSize(1);
  }

  /** Plays interactions 0..count-1 as initiator (partner 9), answering each with {@code partnerWord}. */
  private void play(ActorRef<AgentEntity.Command> agent, long from, long count, int partnerWord) {
    for (long index = from; index < from + count; index++) {
      agent.tell(new AgentEntity.Play(index, 9, (int) index, (int) index));
      AgentEntity.Propose propose = proposal();
      propose.replyTo().tell(new AgentEntity.Answer(index, partnerWord, false, false, 0, -1));
      registry.receiveMessage();
    }
  }

  @Test
  void anAgentRecoveredFromItsSnapshotGoesOnAsIfItHadNeverStopped() throws Exception {
    ActorRef<AgentEntity.Command> steady = spawnAgent(6);
    play(steady, 0, 5, 2);
    ActorRef<AgentEntity.Command> stopped = spawnAgent(6);
    StudyContext stoppedStudy = study;
    play(stopped, 0, 5, 2);
    String id = DurableAgentEntity.persistenceId(stoppedStudy.runId(), 6).id();
    assertThat(snapshots.persistedInStorage(id)).as("a snapshot after 4 events").isNotEmpty();

    stopped.tell(AgentEntity.Retire.INSTANCE);
    testKit.createTestProbe().expectTerminated(stopped);
    ActorRef<AgentEntity.Command> recovered = testKit.spawn(
        DurableAgentEntity.create(6, stoppedStudy, PersistenceTestKitPlugin.PluginId()));

    // An interaction from before the snapshot is still answered for, not played again.
    recovered.tell(new AgentEntity.Play(3, 9, 3, 3));
    assertThat(((NormRegistry.InteractionFinished) registry.receiveMessage()).record().index()).isEqualTo(3);
    // And the next draw is the one the agent that never stopped makes.
    steady.tell(new AgentEntity.Play(5, 9, 5, 5));
    recovered.tell(new AgentEntity.Play(5, 9, 5, 5));
    assertThat(proposal().word()).isEqualTo(proposal().word());
  }

  @Test
  void aProposalSeenAgainGetsTheSameAnswer() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(4);
    agent.tell(new AgentEntity.Propose(2, 9, 1, 0, partner.getRef()));
    AgentEntity.Answer answer = (AgentEntity.Answer) partner.receiveMessage();
    TestProbe<AgentEntity.Command> moved = testKit.createTestProbe();
    agent.tell(new AgentEntity.Propose(2, 9, 1, 0, moved.getRef()));
    assertThat(moved.receiveMessage()).isEqualTo(answer);
  }

  @Test
  void afterAJournalFailureTheAgentComesBackAsItWasAndDrawsTheSameWord() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(5);
    // Interaction 0 goes through; its successor's event fails to be written.
    agent.tell(new AgentEntity.Play(0, 1, 0, 0));
    AgentEntity.Propose first = proposal();
    first.replyTo().tell(new AgentEntity.Answer(0, first.word(), false, false, 0, -1));
    registry.receiveMessage();
    agent.tell(new AgentEntity.Play(1, 2, 1, 0));
    AgentEntity.Propose second = proposal();
    journal.failNextPersisted();
    second.replyTo().tell(new AgentEntity.Answer(1, 3, false, false, 0, -1));
    registry.expectNoMessage();

    // The failure stops the agent; sharding builds it again on the re-driven turn. It draws the
    // same word: its mind was rebuilt from the journal, not kept from before the failure.
    TestProbe<AgentEntity.Command> watcher = testKit.createTestProbe();
    watcher.expectTerminated(agent);
    ActorRef<AgentEntity.Command> rebuilt = testKit.spawn(DurableAgentEntity.create(5, study,
        PersistenceTestKitPlugin.PluginId()));
    rebuilt.tell(new AgentEntity.Play(1, 2, 1, 0));
    AgentEntity.Propose redriven = proposal();
    assertThat(redriven.word()).isEqualTo(second.word());
    redriven.replyTo().tell(new AgentEntity.Answer(1, 3, false, false, 0, -1));
    assertThat(((NormRegistry.InteractionFinished) registry.receiveMessage()).record().index()).isEqualTo(1);
  }
}
