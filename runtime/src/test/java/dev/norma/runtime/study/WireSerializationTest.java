package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.journal.AgentEvent;
import dev.norma.protocols.journal.AgentSnapshot;
import dev.norma.protocols.journal.CoordinatorEvent;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.journal.Persisted;
import dev.norma.protocols.journal.RecordColumns;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.wire.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message that may cross nodes survives serialization unchanged: Jackson CBOR, or for the
 * hot-path messages the compact binary form ({@link CompactSerializerTest} checks that one closely).
 */
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
    assertThat(serializer).isEqualTo(message instanceof dev.norma.protocols.wire.CompactSerializable
        ? "CompactSerializer" : "JacksonCborSerializer");
  }

  @Test
  void agentProtocol() {
    TestProbe<AgentEntity.Command> probe = testKit.createTestProbe();
    roundTrips(new AgentEntity.Play(123_456_789_012L, 17, 4, 9));
    roundTrips(new AgentEntity.Propose(5, 3, 2, 1, probe.getRef()));
    roundTrips(new AgentEntity.Answer(5, -1, true, false, 2, 7));
    roundTrips(AgentEntity.Retire.INSTANCE);
  }

  /** A durable rule-based run's restarts and handoffs: minds and kept interactions between nodes. */
  @Test
  void agentStateFromAndToTheCoordinator() {
    TestProbe<RunCoordinator.Command> coordinator = testKit.createTestProbe();
    MindState mind = new MindState(42, -1, new int[] {3, 1, 4});
    List<AgentSnapshot.Kept> kept = List.of(
        new AgentSnapshot.Kept(9, new InteractionRecord(9, 2, 5, 1, 1, true, true, false,
            false, 1, 2, 1, -1), null),
        new AgentSnapshot.Kept(11, null,
            new AgentSnapshot.Answer(11, 4, false, false, 3, -1)));
    roundTrips(new AgentEntity.Restore(1_733_400_000_000L, mind, 12, kept, coordinator.getRef()));
    roundTrips(new AgentEntity.Restore(2, null, 0, List.of(), coordinator.getRef()));
    roundTrips(new RunCoordinator.AgentRestored(1_733_400_000_000L, 17));
    roundTrips(new RunCoordinator.AgentHandedOver(17, mind, 12, kept));
  }

  @Test
  void agentProtocolCarriesTheSettledIndex() {
    TestProbe<AgentEntity.Command> probe = testKit.createTestProbe();
    roundTrips(new AgentEntity.Play(9, 1, 2, 3, 7));
    roundTrips(new AgentEntity.Propose(9, 1, 2, 3, probe.getRef(), 7));
  }

  @Test
  void encounterAgentProtocol() {
    // An encounter borrows its participants' minds from whichever node holds them.
    TestProbe<dev.norma.runtime.encounter.Encounter.Command> encounter = testKit.createTestProbe();
    MindState mind = new MindState(-8_123_456_789L, 0, new int[] {3, 1, 4, 1, 5});
    roundTrips(new dev.norma.runtime.encounter.EncounterAgent.Lend(41, 6, 1, encounter.getRef()));
    roundTrips(new dev.norma.runtime.encounter.Encounter.Lent(1, mind));
    roundTrips(new dev.norma.runtime.encounter.EncounterAgent.Return(41, mind));
    roundTrips(new dev.norma.runtime.encounter.EncounterAgent.Restore(7, new MindState(5, 0, new int[0])));
    roundTrips(dev.norma.runtime.encounter.EncounterAgent.Retire.INSTANCE);
  }

  @Test
  void coordinatorProtocolAndStatus() {
    TestProbe<RunStatus> probe = testKit.createTestProbe();
    roundTrips(new RunCoordinator.RecordsArrived(new NormRegistry.RecordBatch(List.of(
        new InteractionRecord(3, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1)))));
    roundTrips(new RunCoordinator.GetStatus(probe.getRef()));
    roundTrips(new RunCoordinator.Cancel(probe.getRef()));
    roundTrips(new RunCoordinator.Fail("a node left"));
    roundTrips(new RunCoordinator.NodeLost("pekko://norma@127.0.0.1:2552"));
    roundTrips(new RunOnNode.Ended("r1"));
    roundTrips(new RunStatus("r1", "study", "completed", true, 480, 20, 1000, 0.5, "Q", 0.75, 1234.5,
        "pekko://norma@127.0.0.1:2552", null, new dev.norma.protocols.run.Summary(1, dev.norma.protocols.run.RunOutcome.COMPLETED, "study", 5,
            "naming", "memory", "sequential", 24, 0, 480, 20, 0, 0, true, 400L, 16L, "Q",
            new java.util.LinkedHashMap<>(java.util.Map.of("Q", 1.0)), null, null, "converged", 1.5, 320)));
  }

  @Test
  void clusterInferenceReports() {
    TestProbe<RunCoordinator.RunOver> probe = testKit.createTestProbe();
    TestProbe<RunCoordinator.CallsAcked> acks = testKit.createTestProbe();
    roundTrips(new RunCoordinator.CallsArrived("pekko://norma@127.0.0.1:2552#17", 4,
        List.of("{\"type\":\"call\",\"index\":3}", "{}"), acks.getRef()));
    roundTrips(new RunCoordinator.CallsAcked(4));
    roundTrips(new RunCoordinator.UsageReported("pekko://norma@127.0.0.1:2552#17",
        new InferenceUsage(10, 1, 12, 3000, 40, 2, 2, 0, 1, 0, 0.25, 3, 4, 12),
        probe.getRef()));
    roundTrips(new RunCoordinator.RunOver("completed"));
  }

  /** Persisted events go through the norma-persisted binding: no class name in the manifest. */
  private static void persistsByName(Persisted event, java.util.function.BiConsumer<Persisted, Persisted> same) {
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    var serializer = serialization.findSerializerFor(event);
    assertThat(serializer.identifier()).isEqualTo(7301);
    byte[] bytes = serialization.serialize(event).get();
    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, event);
    assertThat(manifest).doesNotContain("dev.norma");
    Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    same.accept(event, (Persisted) back);
  }

  @Test
  void agentEventsRoundTripByTypeName() {
    persistsByName(new AgentEvent.Played(12, 3, 4, 5, 6, true, false, 2, 7, 10),
        (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new AgentEvent.Answered(12, 3, 4, 5, 10), (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new AgentEvent.Answered(12, 3, 4, 5, 10, 7), (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new AgentEvent.Answered(12, 3, 4, 5, 10, -2), (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new AgentSnapshot(new MindState(-7, Long.MAX_VALUE,
            new int[] {0, 2, 65537, 131074, 0}), 9, List.of(
            new AgentSnapshot.Kept(40, new InteractionRecord(40, 1, 2, 3, 4, false, true, false, true,
                0, 0, -1, -1), null),
            new AgentSnapshot.Kept(41, null, new AgentSnapshot.Answer(41, 3, true, false, 0, -1)))),
        (a, b) -> assertThat(b).isEqualTo(a));
  }

  @Test
  void coordinatorEventsRoundTripByTypeName() {
    List<InteractionRecord> records = List.of(
        new InteractionRecord(40, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1),
        new InteractionRecord(41, 5, 6, 7, -1, true, false, true, false, 1, 3, 7, -1));
    persistsByName(new CoordinatorEvent.Recorded(40, RecordColumns.of(records), 123_456_789L), (a, b) -> {
      CoordinatorEvent.Recorded back = (CoordinatorEvent.Recorded) b;
      assertThat(back.firstIndex()).isEqualTo(40);
      assertThat(back.elapsedNanos()).isEqualTo(123_456_789L);
      assertThat(back.records().toRecords(40)).isEqualTo(records);
    });
    persistsByName(new CoordinatorEvent.Ended("completed", "converged", 5), (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new CoordinatorEvent.Ended("budget-exhausted", "budget-exhausted", 5,
        new InferenceUsage(10, 1, 12, 3000, 40, 2, 2, 0, 1, 0, 0.25, 3, 4, 12)),
        (a, b) -> assertThat(b).isEqualTo(a));
    persistsByName(new CoordinatorEvent.CallsRecorded("pekko://norma@127.0.0.1:2552#17", 4, List.of("{\"type\":\"system\"}", "{\"type\":\"call\"}")),
        (a, b) -> assertThat(b).isEqualTo(a));
  }

  @Test
  void anEventWithAFieldFromALaterVersionIsReadByThisOne() throws Exception {
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    var mapper = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(
        Adapter.toClassic(testKit.system())).getOrCreate("norma-persisted", java.util.Optional.empty());
    byte[] later = mapper.writeValueAsBytes(java.util.Map.of("type", "coordinator.ended", "status", "completed",
        "stopReason", "converged", "elapsedNanos", 5, "addedLater", "x"));
    Object back = serialization.deserialize(later, 7301, "").get();
    assertThat(back).isEqualTo(new CoordinatorEvent.Ended("completed", "converged", 5));
  }

  @Test
  void anAnswerWrittenBeforeDecidedWordsReadsWithoutOne() throws Exception {
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    var mapper = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(
        Adapter.toClassic(testKit.system())).getOrCreate("norma-persisted", java.util.Optional.empty());
    byte[] earlier = mapper.writeValueAsBytes(java.util.Map.of("type", "agent.answered", "index", 12,
        "initiator", 3, "sequence", 4, "initiatorWord", 5, "settledBelow", 10));
    Object back = serialization.deserialize(earlier, 7301, "").get();
    assertThat(back).isEqualTo(new AgentEvent.Answered(12, 3, 4, 5, 10));
    assertThat(((AgentEvent.Answered) back).decidedWord()).isNull();
  }

  @Test
  void registryBatch() {
    roundTrips(new NormRegistry.RecordBatch(List.of(
        new InteractionRecord(0, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1),
        new InteractionRecord(1, 5, 6, 7, -1, true, true, true, false, 1, 1, 7, 7))));
  }
}
