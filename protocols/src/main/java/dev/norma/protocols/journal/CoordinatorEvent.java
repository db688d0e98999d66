package dev.norma.protocols.journal;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.norma.protocols.run.InferenceUsage;
import java.util.List;

/** What a run's coordinator writes to its journal: the run's record, in order. */
public sealed interface CoordinatorEvent extends Persisted
    permits CoordinatorEvent.Recorded, CoordinatorEvent.Ended, CoordinatorEvent.CallsRecorded {

  /**
   * Interactions {@code firstIndex} to {@code firstIndex + records.size() - 1}, in order.
   *
   * @param elapsedNanos the run's active time so far (excluding any time it was down)
   */
  @JsonTypeName("coordinator.recorded")
  record Recorded(long firstIndex, RecordColumns records, long elapsedNanos) implements CoordinatorEvent {
  }

  /**
   * The run ended.
   *
   * @param status    the run's outcome by its wire name ({@code completed}, {@code cancelled},
   *                  {@code failed} or {@code budget-exhausted}; see {@code RunOutcome})
   * @param inference a cluster run's language-model figures at the end (the nodes' reports are
   *                  not journaled); null otherwise, and in events written before it existed
   */
  @JsonTypeName("coordinator.ended")
  record Ended(String status, String stopReason, long elapsedNanos, InferenceUsage inference)
      implements CoordinatorEvent {
    public Ended(String status, String stopReason, long elapsedNanos) {
      this(status, stopReason, elapsedNanos, null);
    }
  }

  /** Chunk {@code seq} of a cluster node's call lines, appended to the run's call journal. */
  @JsonTypeName("coordinator.calls")
  record CallsRecorded(String node, long seq, List<String> lines) implements CoordinatorEvent {
  }
}
