package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.measure.InteractionRecord;
import dev.norma.protocols.wire.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message that may cross nodes survives Jackson CBOR serialization unchanged. */
class WireSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static void roundTrips(CborSerializable message) {
    assertThat(serialization.verifySerialization(message, true)).isEqualTo(message);
    String serializer = SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .findSerializerFor(message).getClass().getSimpleName();
    assertThat(serializer).isEqualTo("JacksonCborSerializer");
  }

  @Test
  void agentProtocol() {
    TestProbe<AgentEntity.Command> probe = testKit.createTestProbe();
    roundTrips(new AgentEntity.Play(123_456_789_012L, 17, 4, 9));
    roundTrips(new AgentEntity.Propose(5, 3, 2, 1, probe.getRef()));
    roundTrips(new AgentEntity.Answer(5, -1, true, false, 2, 7));
    roundTrips(AgentEntity.Retire.INSTANCE);
  }

  @Test
  void registryBatch() {
    roundTrips(new NormRegistry.RecordBatch(List.of(
        new InteractionRecord(0, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1),
        new InteractionRecord(1, 5, 6, 7, -1, true, true, true, false, 1, 1, 7, 7))));
  }
}
