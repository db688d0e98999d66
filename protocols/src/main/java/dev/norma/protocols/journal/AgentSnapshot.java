package dev.norma.protocols.journal;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.norma.protocols.record.InteractionRecord;
import java.util.List;

/**
 * A durable agent's state every {@code norma.agents.snapshot-every} events, so that recovering a
 * long-lived agent replays at most that many events. Its recent interactions are kept in it too:
 * it may still be asked about them.
 */
@JsonTypeName("agent.snapshot")
public record AgentSnapshot(MindState mind, int nextSequence, List<Kept> kept) implements Persisted {

  /**
   * One interaction the agent keeps: the record it reported (as initiator) or the answer it gave
   * (as responder); the other is null.
   */
  public record Kept(long index, InteractionRecord record, Answer answer) {
  }

  /** The answer a responder gave in interaction {@code index}, its side as the initiator read it. */
  public record Answer(long index, int word, boolean success, boolean committed, int inventory, int soleWord) {
  }
}
