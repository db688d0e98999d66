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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An agent applies its own interactions in sequence order, whatever order messages arrive in. */
class AgentEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<ShardingEnvelope<AgentEntity.Command>> region = testKit.createTestProbe();
  private final TestProbe<NormRegistry.Command> registry = testKit.createTestProbe();
  private final TestProbe<AgentEntity.Command> partner = testKit.createTestProbe();

  private ActorRef<AgentEntity.Command> spawnAgent(int id) throws Exception {
    return spawnAgent(id, null);
  }

  private ActorRef<AgentEntity.Command> spawnAgent(int id, PassivatedAgents passivated) throws Exception {
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    StudyContext study = new StudyContext("test", plan, region.getRef(), registry.getRef());
    return testKit.spawn(AgentEntity.create(id, study, passivated));
  }

  @Test
  void playsAndReportsTheInteraction() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(3);
    agent.tell(new AgentEntity.Play(0, 7, 0, 0));
    ShardingEnvelope<AgentEntity.Command> sent = region.receiveMessage();
    assertThat(sent.entityId()).isEqualTo("7");
    AgentEntity.Propose propose = (AgentEntity.Propose) sent.message();
    assertThat(propose.initiator()).isEqualTo(3);
    propose.replyTo().tell(new AgentEntity.Answer(0, propose.word(), true, false, 0, -1));
    NormRegistry.InteractionFinished finished = (NormRegistry.InteractionFinished) registry.receiveMessage();
    assertThat(finished.record().index()).isZero();
    assertThat(finished.record().success()).isTrue();
    assertThat(finished.record().responder()).isEqualTo(7);
  }

  @Test
  void proposesDirectlyToAPartnerLiveOnThisNodeAndRegistersItself() throws Exception {
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    AgentsOnNode here = new AgentsOnNode(10);
    here.register(7, partner.getRef());
    StudyContext study = new StudyContext("test", plan, region.getRef(), registry.getRef(), null, null, here);
    ActorRef<AgentEntity.Command> agent = testKit.spawn(AgentEntity.create(3, study, null));
    agent.tell(new AgentEntity.Play(0, 7, 0, 0));
    AgentEntity.Propose propose = (AgentEntity.Propose) partner.receiveMessage();
    assertThat(propose.initiator()).isEqualTo(3);
    region.expectNoMessage();
    assertThat(here.get(3)).as("registered at its first message").isEqualTo(agent);
    // A partner not live here (agent 8) is reached through sharding, after the first interaction.
    propose.replyTo().tell(new AgentEntity.Answer(0, propose.word(), true, false, 0, -1));
    agent.tell(new AgentEntity.Play(1, 8, 1, 0));
    assertThat(region.receiveMessage().entityId()).isEqualTo("8");
  }

  @Test
  void setsAsideAnEarlyTurnUntilItsSequenceComes() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(4);
    // Its second interaction (sequence 1) arrives before its first (sequence 0).
    agent.tell(new AgentEntity.Play(5, 8, 1, 0));
    region.expectNoMessage();
    agent.tell(new AgentEntity.Propose(2, 9, 0, 0, partner.getRef()));
    AgentEntity.Answer answer = (AgentEntity.Answer) partner.receiveMessage();
    assertThat(answer.index()).isEqualTo(2);
    // Now the set-aside play goes ahead.
    AgentEntity.Propose propose = (AgentEntity.Propose) region.receiveMessage().message();
    assertThat(propose.index()).isEqualTo(5);
  }

  @Test
  void waitsForItsPartnersAnswerBeforeTheNextTurn() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnAgent(5);
    agent.tell(new AgentEntity.Play(0, 1, 0, 0));
    AgentEntity.Propose propose = (AgentEntity.Propose) region.receiveMessage().message();
    agent.tell(new AgentEntity.Propose(1, 2, 0, 1, partner.getRef()));
    partner.expectNoMessage();
    propose.replyTo().tell(new AgentEntity.Answer(0, propose.word(), false, false, 0, -1));
    assertThat(((AgentEntity.Answer) partner.receiveMessage()).index()).isEqualTo(1);
  }

  @Test
  void passivatedWhileItWaitsForAnAnswerItStopsOnlyOnceTheAnswerCame() throws Exception {
    PassivatedAgents passivated = new PassivatedAgents(10);
    ActorRef<AgentEntity.Command> agent = spawnAgent(6, passivated);
    TestProbe<AgentEntity.Command> watcher = testKit.createTestProbe();
    agent.tell(new AgentEntity.Play(0, 1, 0, 0));
    AgentEntity.Propose propose = (AgentEntity.Propose) region.receiveMessage().message();
    agent.tell(AgentEntity.Retire.INSTANCE);
    // The answer comes straight to this incarnation: it must still be there to take it.
    propose.replyTo().tell(new AgentEntity.Answer(0, propose.word(), true, false, 0, -1));
    assertThat(((NormRegistry.InteractionFinished) registry.receiveMessage()).record().index()).isZero();
    watcher.expectTerminated(agent);
    assertThat(passivated.count()).isEqualTo(1);

    // Spawned again for its next turn, it goes on from where it stopped: sequence 1 is its turn.
    ActorRef<AgentEntity.Command> again = spawnAgent(6, passivated);
    again.tell(new AgentEntity.Propose(3, 2, 0, 1, partner.getRef()));
    assertThat(((AgentEntity.Answer) partner.receiveMessage()).index()).isEqualTo(3);
  }

  @Test
  void passivatedWithTurnsSetAsideItHandsThemBackToItsShard() throws Exception {
    PassivatedAgents passivated = new PassivatedAgents(10);
    ActorRef<AgentEntity.Command> agent = spawnAgent(7, passivated);
    TestProbe<AgentEntity.Command> watcher = testKit.createTestProbe();
    AgentEntity.Play early = new AgentEntity.Play(9, 2, 1, 0);
    agent.tell(early);
    agent.tell(AgentEntity.Retire.INSTANCE);
    ShardingEnvelope<AgentEntity.Command> back = region.receiveMessage();
    assertThat(back.entityId()).isEqualTo("7");
    assertThat(back.message()).isEqualTo(early);
    watcher.expectTerminated(agent);
    assertThat(passivated.count()).isEqualTo(1);
  }

  /** An agent of a durable rule-based run: journaled through its coordinator (here, a probe). */
  private ActorRef<AgentEntity.Command> spawnRestoredByCoordinator(int id, AgentsOnNode here) throws Exception {
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    StudyContext study = new StudyContext("test", plan, region.getRef(), registry.getRef(), null, null, here, true);
    return testKit.spawn(AgentEntity.create(id, study, null));
  }

  private final TestProbe<RunCoordinator.Command> coordinator = testKit.createTestProbe();

  @Test
  void journaledThroughTheCoordinatorItHoldsItsTurnsUntilItIsGivenItsState() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnRestoredByCoordinator(2, null);
    // A turn from before a restart: held, not taken with a mind the journal may not hold.
    agent.tell(new AgentEntity.Play(40, 5, 3, 0));
    region.expectNoMessage();

    // Its state after three interactions, as the coordinator's ledger rebuilds it.
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of()), 1);
    dev.norma.agents.Mind mind = plan.newMind(2);
    for (long index = 0; index < 3; index++) {
      int word = plan.game().produce(mind, index);
      plan.game().conclude(mind, word, new dev.norma.agents.game.Game.Reply(word, true), index);
    }
    agent.tell(new AgentEntity.Restore(7, mind.save(), 3, List.of(), coordinator.getRef()));
    assertThat(coordinator.receiveMessage()).isEqualTo(new RunCoordinator.AgentRestored(7, 2));
    // Then its held turn is its turn (sequence 3), and it plays from the restored mind.
    AgentEntity.Propose propose = (AgentEntity.Propose) region.receiveMessage().message();
    assertThat(propose.index()).isEqualTo(40);
    assertThat(propose.word()).isEqualTo(plan.game().produce(mind, 40));
  }

  @Test
  void aRestoreReplacesTheTurnInProgressAndAnOldAnswerIsIgnored() throws Exception {
    AgentsOnNode here = new AgentsOnNode(10);
    ActorRef<AgentEntity.Command> agent = spawnRestoredByCoordinator(3, here);
    agent.tell(new AgentEntity.Restore(1, null, 0, List.of(), coordinator.getRef()));
    coordinator.receiveMessage();
    agent.tell(new AgentEntity.Play(0, 7, 0, 0, 0));
    AgentEntity.Propose first = (AgentEntity.Propose) region.receiveMessage().message();
    // Restarted before the answer came: the same interaction is admitted again.
    agent.tell(new AgentEntity.Restore(2, null, 0, List.of(), coordinator.getRef()));
    assertThat(coordinator.receiveMessage()).isEqualTo(new RunCoordinator.AgentRestored(2, 3));
    first.replyTo().tell(new AgentEntity.Answer(0, first.word(), true, false, 1, first.word()));
    registry.expectNoMessage();
    agent.tell(new AgentEntity.Play(0, 7, 0, 0, 0));
    AgentEntity.Propose again = (AgentEntity.Propose) region.receiveMessage().message();
    assertThat(again.word()).as("the same draw from the same state").isEqualTo(first.word());
    again.replyTo().tell(new AgentEntity.Answer(0, again.word(), true, false, 1, again.word()));
    assertThat(((NormRegistry.InteractionFinished) registry.receiveMessage()).record().index()).isZero();
    // Played again (a re-driven turn it took): the record is reported again, not applied twice.
    agent.tell(new AgentEntity.Play(0, 7, 0, 0, 0));
    assertThat(((NormRegistry.InteractionFinished) registry.receiveMessage()).record().index()).isZero();
    region.expectNoMessage();

    // Handed off to another node: its state goes to the coordinator for its next incarnation,
    // and a partner here reaches that one through sharding.
    TestProbe<AgentEntity.Command> watcher = testKit.createTestProbe();
    agent.tell(AgentEntity.Retire.INSTANCE);
    RunCoordinator.AgentHandedOver handedOver = (RunCoordinator.AgentHandedOver) coordinator.receiveMessage();
    assertThat(handedOver.agent()).isEqualTo(3);
    assertThat(handedOver.nextSequence()).isEqualTo(1);
    assertThat(handedOver.kept()).hasSize(1);
    watcher.expectTerminated(agent);
    assertThat(here.get(3)).isNull();
  }

  @Test
  void stoppedByItsShardWhileItWaitsForAnAnswerItIsNoLongerToldDirectly() throws Exception {
    // A handoff stops an agent that has not stopped on its own after Pekko's timeout: partners on
    // this node must then reach its next incarnation through sharding, not the stopped one.
    AgentsOnNode here = new AgentsOnNode(10);
    ActorRef<AgentEntity.Command> agent = spawnRestoredByCoordinator(6, here);
    agent.tell(new AgentEntity.Restore(1, null, 0, List.of(), coordinator.getRef()));
    coordinator.receiveMessage();
    agent.tell(new AgentEntity.Play(0, 7, 0, 0, 0));
    region.receiveMessage();
    agent.tell(AgentEntity.Retire.INSTANCE);
    assertThat(here.get(6)).as("busy: it waits for the answer").isEqualTo(agent);
    testKit.stop(agent);
    assertThat(here.get(6)).isNull();
  }

  @Test
  void askedToStopWhileBusyAndThenRestartedItHandsOverTheStateItWasGivenAndStops() throws Exception {
    ActorRef<AgentEntity.Command> agent = spawnRestoredByCoordinator(4, null);
    agent.tell(new AgentEntity.Restore(1, null, 0, List.of(), coordinator.getRef()));
    coordinator.receiveMessage();
    agent.tell(new AgentEntity.Play(0, 7, 0, 0, 0));
    region.receiveMessage();
    // Its shard moves while it waits for the answer; then the run restarts before the answer.
    agent.tell(AgentEntity.Retire.INSTANCE);
    agent.tell(new AgentEntity.Restore(2, null, 0, List.of(), coordinator.getRef()));
    assertThat(coordinator.receiveMessage()).isEqualTo(new RunCoordinator.AgentRestored(2, 4));
    RunCoordinator.AgentHandedOver handedOver = (RunCoordinator.AgentHandedOver) coordinator.receiveMessage();
    assertThat(handedOver.nextSequence()).as("the state it was given, not the turn it had begun").isZero();
    testKit.createTestProbe().expectTerminated(agent);
  }
}
