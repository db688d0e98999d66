package dev.norma.protocols.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.run.InferenceUsage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What journals hold is read by its type id, never by class name: the ids are fixed here, so a
 * rename that would orphan stored journals fails this test. Read with plain Jackson CBOR, as the
 * runtime's {@code norma-persisted} binding reads it (tolerant of fields added or missing).
 */
class PersistedTest {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  @Test
  void everyJournalTypeHasTheIdStoredJournalsUse() {
    Map<String, Class<?>> byId = new TreeMap<>();
    for (JsonSubTypes.Type type : Persisted.class.getAnnotation(JsonSubTypes.class).value()) {
      byId.put(type.value().getAnnotation(JsonTypeName.class).value(), type.value());
    }
    assertThat(byId).containsOnly(
        Map.entry("agent.played", AgentEvent.Played.class),
        Map.entry("agent.answered", AgentEvent.Answered.class),
        Map.entry("agent.snapshot", AgentSnapshot.class),
        Map.entry("coordinator.recorded", CoordinatorEvent.Recorded.class),
        Map.entry("coordinator.ended", CoordinatorEvent.Ended.class),
        Map.entry("coordinator.calls", CoordinatorEvent.CallsRecorded.class),
        Map.entry("encounter.settled", EncounterEvent.Settled.class));
    assertThat(AgentEvent.class.getPermittedSubclasses()).hasSize(2);
    assertThat(CoordinatorEvent.class.getPermittedSubclasses()).hasSize(3);
    assertThat(EncounterEvent.class.getPermittedSubclasses()).hasSize(1);
  }

  @Test
  void eventsAndSnapshotsRoundTrip() throws Exception {
    InteractionRecord initiated = new InteractionRecord(40, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1);
    List<Persisted> all = List.of(
        new AgentEvent.Played(12, 3, 4, 5, 6, true, false, 2, 7, 10),
        new AgentEvent.Answered(12, 3, 4, 5, 10, -2),
        new AgentSnapshot(new MindState(-7, Long.MAX_VALUE, new int[] {0, 2, 65537}), 9, List.of(
            new AgentSnapshot.Kept(40, initiated, null),
            new AgentSnapshot.Kept(41, null, new AgentSnapshot.Answer(41, 3, true, false, 0, -1)))),
        new CoordinatorEvent.Ended("budget-exhausted", "budget-exhausted", 5,
            new InferenceUsage(10, 1, 12, 3000, 40, 2, 2, 0, 1, 0, 0.25, 3, 4, 12)),
        new CoordinatorEvent.CallsRecorded("node-a", 4, List.of("{\"type\":\"call\"}")),
        new EncounterEvent.Settled(7, 5, 1, new int[] {3, 0, 2}, new int[] {1, 2, 0},
            List.of(new MindState(1, Long.MAX_VALUE, new int[] {4}), new MindState(-2, 0, new int[0]),
                new MindState(3, 9, new int[] {65537, -1})),
            new double[] {0.25, 1}, new double[][] {{1, 0.5}, {}, {2}}, new double[][] {{1, 0.75}, {}, {-2}},
            List.of(new EncounterEvent.Settled.Line(0, 3, "proposer", "m", "We are one.", 3))),
        new EncounterEvent.Settled(8, -1, 1, new int[] {0}, new int[] {3}, List.of(new MindState(0, 0, null)),
            new double[0], new double[][] {{1}}, new double[][] {{2}}, List.of()));
    for (Persisted event : all) {
      assertThat(CBOR.readValue(CBOR.writeValueAsBytes(event), Persisted.class)).isEqualTo(event);
    }
  }

  @Test
  void recordedInteractionsTravelAsColumns() throws Exception {
    List<InteractionRecord> records = List.of(
        new InteractionRecord(40, 1, 2, 3, 4, false, true, false, true, 0, 0, -1, -1),
        new InteractionRecord(41, 5, 6, 7, -1, true, false, true, false, 1, 3, 7, -1));
    byte[] bytes = CBOR.writeValueAsBytes(new CoordinatorEvent.Recorded(40, RecordColumns.of(records), 99));
    CoordinatorEvent.Recorded back = (CoordinatorEvent.Recorded) CBOR.readValue(bytes, Persisted.class);
    assertThat(back.records().toRecords(back.firstIndex())).isEqualTo(records);
    assertThat(back.elapsedNanos()).isEqualTo(99);
  }

  @Test
  void anAnswerWrittenBeforeDecidedWordsReadsWithoutOne() throws Exception {
    byte[] earlier = CBOR.writeValueAsBytes(Map.of("type", "agent.answered", "index", 12, "initiator", 3,
        "sequence", 4, "initiatorWord", 5, "settledBelow", 10, "addedLater", "x"));
    AgentEvent.Answered back = (AgentEvent.Answered) CBOR.readValue(earlier, Persisted.class);
    assertThat(back).isEqualTo(new AgentEvent.Answered(12, 3, 4, 5, 10));
    assertThat(back.decidedWord()).isNull();
  }
}
