package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where a gateway's call lines go: the run directory's {@code calls.jsonl.gz} on one machine
 * ({@link CallJournal}), or, on a cluster node, a buffer shipped to the run's coordinator, which
 * journals the lines and writes them to the run directory ({@link ShippedCallLog}).
 *
 * <p>Implementations are thread-safe: lines are written from HTTP completion threads.
 */
public interface CallLog extends AutoCloseable {
  /** Writes a call line, preceded by its system text the first time that text appears. */
  void write(ObjectNode line, String systemText);

  /**
   * Told before {@code requests} go to an endpoint, on their first try: a durable run's journal
   * notes their decisions ({@link SentCalls}) so a resume knows what was in flight; others ignore it.
   */
  default void sending(java.util.List<LlmRequest> requests) {
  }

  /** No line written after this is part of the run's results. */
  @Override
  void close() throws IOException;
}
