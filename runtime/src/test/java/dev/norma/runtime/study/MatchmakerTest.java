package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.SpecLoader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The matchmaker admits a window of interactions, more on credit, in the seeded order. */
class MatchmakerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<ShardingEnvelope<AgentEntity.Command>> agents = testKit.createTestProbe();

  private static StudyPlan plan(String... overrides) throws Exception {
    return new StudyPlan(SpecLoader.parse("population: {size: 10}", List.of(overrides)), 9);
  }

  private AgentEntity.Play nextPlay() {
    return (AgentEntity.Play) agents.receiveMessage().message();
  }

  @Test
  void admitsTheWindowThenOneMorePerCreditInScheduleOrder() throws Exception {
    StudyPlan plan = plan();
    PairSchedule expected = plan.newSchedule();
    int[] sequence = new int[10];
    ActorRef<Matchmaker.Command> matchmaker = testKit.spawn(Matchmaker.create(plan, agents.getRef(), 0, 3));
    for (int i = 0; i < 3; i++) {
      assertPlay(nextPlay(), i, expected.next(), sequence);
    }
    agents.expectNoMessage();
    matchmaker.tell(new Matchmaker.Credit(2, new int[0], 0));
    for (int i = 3; i < 5; i++) {
      assertPlay(nextPlay(), i, expected.next(), sequence);
    }
    agents.expectNoMessage();
    TestProbe<Matchmaker.Halted> halted = testKit.createTestProbe();
    matchmaker.tell(new Matchmaker.Halt(halted.getRef()));
    assertThat(halted.receiveMessage().admitted()).isEqualTo(5);
    matchmaker.tell(new Matchmaker.Credit(5, new int[0], 0));
    agents.expectNoMessage();
  }

  /**
   * Credit returns for interactions finished in any order, so those held behind an earlier one do
   * not take up the window; admission runs at most a reach (four windows) past the first
   * interaction the coordinator does not have yet.
   */
  @Test
  void admitsAtMostAReachPastTheFirstUnrecordedInteraction() throws Exception {
    ActorRef<Matchmaker.Command> matchmaker = testKit.spawn(
        Matchmaker.create(plan("stop.maxRounds=100"), agents.getRef(), 0, 2));
    for (int credit = 0; credit < 4; credit++) {
      if (credit > 0) {
        matchmaker.tell(new Matchmaker.Credit(2, new int[0], 0));
      }
      assertThat(nextPlay().index()).isEqualTo(2L * credit);
      assertThat(nextPlay().index()).isEqualTo(2L * credit + 1);
    }
    matchmaker.tell(new Matchmaker.Credit(2, new int[0], 0));
    agents.expectNoMessage();
    matchmaker.tell(new Matchmaker.Credit(0, new int[0], 3));
    assertThat(nextPlay().index()).isEqualTo(8);
    assertThat(nextPlay().index()).as("the window, not the reach, is the limit now").isEqualTo(9);
    agents.expectNoMessage();
  }

  /**
   * Credit frees the window as soon as interactions finish, but plays tell agents they may forget
   * an interaction only once the coordinator's journal holds it: a coordinator that dies before
   * its write recovers behind the credit and asks the agents again.
   */
  @Test
  void agentsMayForgetOnlyWhatTheJournalHolds() throws Exception {
    ActorRef<Matchmaker.Command> matchmaker = testKit.spawn(Matchmaker.create(plan(), agents.getRef(), 0, 2));
    assertThat(nextPlay().settledBelow()).isZero();
    assertThat(nextPlay().settledBelow()).isZero();
    matchmaker.tell(new Matchmaker.Credit(2, new int[0], 0));
    assertThat(nextPlay().settledBelow()).as("finished, not yet stored").isZero();
    assertThat(nextPlay().settledBelow()).isZero();
    matchmaker.tell(new Matchmaker.Settled(2));
    matchmaker.tell(new Matchmaker.Credit(1, new int[0], 0));
    assertThat(nextPlay().settledBelow()).isEqualTo(2);
    matchmaker.tell(new Matchmaker.Settled(1));
    matchmaker.tell(new Matchmaker.Credit(1, new int[0], 0));
    assertThat(nextPlay().settledBelow()).as("never moves back").isEqualTo(2);
  }

  private static void assertPlay(AgentEntity.Play play, long index, long pair, int[] sequence) {
    int initiator = PairSchedule.initiator(pair);
    int responder = PairSchedule.responder(pair);
    assertThat(play.index()).isEqualTo(index);
    assertThat(play.partner()).isEqualTo(responder);
    assertThat(play.sequence()).isEqualTo(sequence[initiator]++);
    assertThat(play.partnerSequence()).isEqualTo(sequence[responder]++);
  }

  @Test
  void stopsAdmittingAtTheRoundCap() throws Exception {
    ActorRef<Matchmaker.Command> matchmaker =
        testKit.spawn(Matchmaker.create(plan("stop.maxRounds=1"), agents.getRef(), 0, 100));
    for (int i = 0; i < 10; i++) {
      nextPlay();
    }
    agents.expectNoMessage();
    matchmaker.tell(new Matchmaker.Credit(10, new int[0], 0));
    agents.expectNoMessage();
  }

  @Test
  void continuousPairsOnlyFreeAgents() throws Exception {
    ActorRef<Matchmaker.Command> matchmaker = testKit.spawn(
        Matchmaker.create(plan("schedule.kind=continuous"), agents.getRef(), 0, 5));
    Set<Integer> busy = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ShardingEnvelope<AgentEntity.Command> sent = agents.receiveMessage();
      assertThat(busy.add(Integer.parseInt(sent.entityId()))).isTrue();
      assertThat(busy.add(((AgentEntity.Play) sent.message()).partner())).isTrue();
    }
    agents.expectNoMessage();
    int[] freed = {Integer.parseInt("0"), 1};
    busy.remove(0);
    busy.remove(1);
    matchmaker.tell(new Matchmaker.Credit(1, freed, 0));
    ShardingEnvelope<AgentEntity.Command> sent = agents.receiveMessage();
    assertThat(Set.of(Integer.parseInt(sent.entityId()), ((AgentEntity.Play) sent.message()).partner()))
        .containsExactlyInAnyOrder(0, 1);
  }
}
