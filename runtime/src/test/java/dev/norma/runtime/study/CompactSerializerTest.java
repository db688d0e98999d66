package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.runtime.inference.LlmDeliberation;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The compact binary form of the hot-path messages: Pekko picks it for exactly those classes, and
 * every message, edge values included, comes back equal through both of its paths (byte arrays,
 * as inside a sharding envelope, and Artery's little-endian buffers).
 */
class CompactSerializerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static CompactSerializer compact() {
    return (CompactSerializer) serialization.findSerializerFor(new AgentEntity.Play(0, 0, 0, 0));
  }

  /** Through Pekko's serialization (byte arrays) and through a little-endian buffer as Artery's. */
  private static void roundTrips(Object message) throws Exception {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(CompactSerializer.class);
    assertThat(serializer.identifier()).isEqualTo(CompactSerializer.IDENTIFIER);
    String manifest = Serializers.manifestFor(serializer, message);
    byte[] bytes = serialization.serialize(message).get();
    assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get()).isEqualTo(message);

    ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(3);
    compact().toBinary(message, buffer);
    assertThat(buffer.position()).isEqualTo(3 + bytes.length);
    assertThat(buffer.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    buffer.flip().position(3);
    assertThat(compact().fromBinary(buffer, manifest)).isEqualTo(message);
    assertThat(buffer.remaining()).isZero();
  }

  @Test
  void playsWithEdgeValues() throws Exception {
    roundTrips(new AgentEntity.Play(0, 0, 0, 0, 0));
    roundTrips(new AgentEntity.Play(123_456_789_012L, 17, 4, 9, 7));
    roundTrips(new AgentEntity.Play(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MIN_VALUE));
  }

  @Test
  void proposalsCarryTheirReplyReference() throws Exception {
    TestProbe<AgentEntity.Command> probe = testKit.createTestProbe();
    roundTrips(new AgentEntity.Propose(5, 3, 2, 1, probe.getRef()));
    roundTrips(new AgentEntity.Propose(Long.MAX_VALUE, Integer.MAX_VALUE, LlmDeliberation.NO_CHOICE,
        Integer.MIN_VALUE, probe.getRef(), Long.MIN_VALUE));
    // The reference read back (from the cache the second time) still reaches the actor.
    var proposal = new AgentEntity.Propose(9, 1, 2, 3, probe.getRef(), 7);
    for (int i = 0; i < 2; i++) {
      byte[] bytes = serialization.serialize(proposal).get();
      var back = (AgentEntity.Propose) serialization.deserialize(bytes, CompactSerializer.IDENTIFIER,
          CompactSerializer.PROPOSE).get();
      back.replyTo().tell(AgentEntity.Retire.INSTANCE);
      probe.expectMessage(AgentEntity.Retire.INSTANCE);
    }
  }

  @Test
  void answersWithEveryFlag() throws Exception {
    for (boolean success : new boolean[] {false, true}) {
      for (boolean committed : new boolean[] {false, true}) {
        roundTrips(new AgentEntity.Answer(5, -1, success, committed, 2, 7));
      }
    }
    roundTrips(new AgentEntity.Answer(Long.MIN_VALUE, LlmDeliberation.NO_CHOICE, true, true, Integer.MAX_VALUE,
        Integer.MIN_VALUE));
  }

  @Test
  void recordBatchesEmptyAndLarge() throws Exception {
    roundTrips(new NormRegistry.RecordBatch(List.of()));
    roundTrips(new RunCoordinator.RecordsArrived(new NormRegistry.RecordBatch(List.of())));
    List<InteractionRecord> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // Every combination of the four flags, negative words and extreme indexes.
      records.add(new InteractionRecord(i == 0 ? Long.MAX_VALUE : i, i, -i, i % 7 - 1, -1,
          (i & 1) != 0, (i & 2) != 0, (i & 4) != 0, (i & 8) != 0, i % 3, Integer.MAX_VALUE, -1, Integer.MIN_VALUE));
    }
    roundTrips(new NormRegistry.RecordBatch(records));
    roundTrips(new RunCoordinator.RecordsArrived(new NormRegistry.RecordBatch(records)));
  }

  @Test
  void deliveriesCarryEveryKindOfCrossingWithoutReplyReferences() throws Exception {
    TestProbe<Crossings.Command> from = testKit.createTestProbe();
    roundTrips(new Crossings.Delivery(from.getRef(), List.of()));
    List<Crossings.Crossing> crossings = new ArrayList<>();
    for (int i = 0; i < Crossings.MAX_DELIVERY; i++) {
      AgentEntity.Command message = switch (i % 3) {
        case 0 -> new AgentEntity.Play(i == 0 ? Long.MAX_VALUE : i, i + 1, i, -i, Long.MIN_VALUE + i);
        // A proposal crosses without its reply reference: the answer goes back through crossings.
        case 1 -> new AgentEntity.Propose(i, i + 2, LlmDeliberation.NO_CHOICE, Integer.MAX_VALUE, null, i * 7L);
        default -> new AgentEntity.Answer(i, -1, (i & 4) != 0, (i & 8) != 0, Integer.MIN_VALUE, i);
      };
      crossings.add(new Crossings.Crossing(i == 1 ? Integer.MAX_VALUE : i, i % 3 == 0 ? -1 : i + 2, message));
    }
    roundTrips(new Crossings.Delivery(from.getRef(), crossings));
    // The sender's reference read back reaches it, so the receiving node learns where it is.
    byte[] bytes = serialization.serialize(new Crossings.Delivery(from.getRef(), crossings)).get();
    var back = (Crossings.Delivery) serialization.deserialize(bytes, CompactSerializer.IDENTIFIER,
        CompactSerializer.DELIVERY).get();
    back.from().tell(new Crossings.Delivery(from.getRef(), List.of()));
    from.expectMessageClass(Crossings.Delivery.class);
  }

  @Test
  void aCrossingOfAnyOtherMessageIsRefusedByName() {
    TestProbe<Crossings.Command> from = testKit.createTestProbe();
    var delivery = new Crossings.Delivery(from.getRef(), List.of(new Crossings.Crossing(1, 2, AgentEntity.Retire.INSTANCE)));
    assertThatThrownBy(() -> compact().toBinary(delivery))
        .hasMessageContaining("no compact form for a crossing of").hasMessageContaining("Retire");
  }

  @Test
  void onlyTheHotMessagesAreCompact() {
    assertThat(serialization.findSerializerFor(AgentEntity.Retire.INSTANCE).getClass().getSimpleName())
        .isEqualTo("JacksonCborSerializer");
    TestProbe<dev.norma.protocols.run.RunStatus> probe = testKit.createTestProbe();
    assertThat(serialization.findSerializerFor(new RunCoordinator.GetStatus(probe.getRef())).getClass()
        .getSimpleName()).isEqualTo("JacksonCborSerializer");
  }

  @Test
  void anUnknownManifestIsRefusedByName() {
    assertThatThrownBy(() -> compact().fromBinary(new byte[8], "P9"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("'P9'");
  }
}
