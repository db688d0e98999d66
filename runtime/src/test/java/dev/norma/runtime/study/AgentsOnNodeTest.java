package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a node learns of where other nodes' agents live, and its outboxes: nothing crosses before a
 * shard's node is known, nothing is learned from a reference on this node, one flush is asked per
 * batch, and a batch leaves in deliveries of at most {@link Crossings#MAX_DELIVERY}, oldest first.
 * (That the crossings reach the right agents and the run equals the plain loop is checked on two
 * nodes, e.g. {@code WideWindowClusterTest}.)
 */
class AgentsOnNodeTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void nothingCrossesUntilTheShardsNodeIsLearnedFromOneOfItsAgents() {
    AgentsOnNode here = new AgentsOnNode(100, 10);
    TestProbe<Crossings.Command> self = testKit.createTestProbe();
    here.startCrossings(ActorRefResolver.get(testKit.system()), "r1", self.getRef());
    AgentEntity.Play play = new AgentEntity.Play(0, 1, 0, 0);
    assertThat(here.sendAcross(13, -1, play)).isFalse();

    // A local reference teaches nothing: its agent is reached here.
    here.learn(3, testKit.createTestProbe().getRef());
    assertThat(here.sendAcross(13, -1, play)).isFalse();

    // An agent's own reference on another node: its crossings actor is at the same path there as here.
    here.learn(3, remote(9, "/system/sharding/agent-r1/3/3"));
    ActorRef<Crossings.Command> remote = remote(9, "/system/" + Crossings.name("r1"));
    assertThat(here.sendAcross(13, -1, play)).as("agent 13 is in agent 3's shard").isTrue();
    assertThat(here.sendAcross(14, -1, play)).as("another shard").isFalse();
    Crossings.Flush flush = self.expectMessageClass(Crossings.Flush.class);
    assertThat(flush.outbox().to()).isEqualTo(remote);
    // Until that flush is taken up, more crossings join the batch without asking again.
    assertThat(here.sendAcross(23, 5, play)).isTrue();
    self.expectNoMessage(java.time.Duration.ofMillis(50));
    assertThat(flush.outbox().drain(Crossings.MAX_DELIVERY)).extracting(Crossings.Crossing::to).containsExactly(13, 23);
    assertThat(flush.outbox().drain(Crossings.MAX_DELIVERY)).isEmpty();

    // A delivery names the sender's crossings actor, which is used as it is.
    ActorRef<Crossings.Command> third = remote(10, "/system/" + Crossings.name("r1"));
    here.learn(4, third);
    assertThat(here.sendAcross(24, -1, play)).isTrue();
    assertThat(self.expectMessageClass(Crossings.Flush.class).outbox().to()).isEqualTo(third);
  }

  @Test
  void withoutCrossingsNothingIsLearnedOrSentAcross() {
    AgentsOnNode here = new AgentsOnNode(100);
    here.learn(3, remote(9, "/system/" + Crossings.name("r1")));
    assertThat(here.sendAcross(3, -1, new AgentEntity.Play(0, 1, 0, 0))).isFalse();
  }

  @Test
  void aLargeBatchLeavesInDeliveriesOfAtMostTheLimitOldestFirst() {
    AgentsOnNode.Outbox outbox = new AgentsOnNode.Outbox(testKit.<Crossings.Command>createTestProbe().getRef());
    int total = Crossings.MAX_DELIVERY * 2 + 5;
    for (int i = 0; i < total; i++) {
      assertThat(outbox.add(new Crossings.Crossing(i, -1, AgentEntity.Retire.INSTANCE))).isEqualTo(i == 0);
    }
    List<Crossings.Crossing> first = outbox.drain(Crossings.MAX_DELIVERY);
    List<Crossings.Crossing> second = outbox.drain(Crossings.MAX_DELIVERY);
    List<Crossings.Crossing> third = outbox.drain(Crossings.MAX_DELIVERY);
    assertThat(first).hasSize(Crossings.MAX_DELIVERY);
    assertThat(first.get(0).to()).isZero();
    assertThat(second.get(0).to()).isEqualTo(Crossings.MAX_DELIVERY);
    assertThat(third).extracting(Crossings.Crossing::to).containsExactly(total - 5, total - 4, total - 3, total - 2,
        total - 1);
    assertThat(outbox.drain(Crossings.MAX_DELIVERY)).isEmpty();
    assertThat(outbox.add(new Crossings.Crossing(0, -1, AgentEntity.Retire.INSTANCE))).as("empty again").isTrue();
  }

  /** A reference to an actor on another node (nothing listens there: nothing is sent to it). */
  private static <T> ActorRef<T> remote(int port, String path) {
    return ActorRefResolver.get(testKit.system()).resolveActorRef(
        "pekko://" + testKit.system().name() + "@127.0.0.1:" + port + path);
  }
}
