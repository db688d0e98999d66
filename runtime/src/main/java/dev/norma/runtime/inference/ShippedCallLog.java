package dev.norma.runtime.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cluster node's call lines for one run, held until the node ships them to the run's
 * coordinator (with the registry's batches, and on a timer), which journals them and writes them
 * to the run directory's {@code calls.jsonl.gz}. The lines are the same as a
 * {@link CallJournal}'s, with the {@code node} that made the call; a system text is sent once
 * per node.
 */
public final class ShippedCallLog implements CallLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String node;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final Set<String> systemsSent = new HashSet<>();
  private boolean closed;

  /** @param node the node's address, recorded with each call */
  public ShippedCallLog(String node) {
    this.node = node;
  }

  @Override
  public synchronized void write(ObjectNode line, String systemText) {
    if (closed) {
      return;
    }
    String systemSha = line.path("systemSha256").asText(null);
    if (systemSha != null && systemsSent.add(systemSha)) {
      pending.add(CallJournal.systemLine(systemSha, systemText).toString());
    }
    try {
      pending.add(JSON.writeValueAsString(line.deepCopy().put("node", node)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a call line", e);
    }
  }

  /**
   * Takes the lines written so far, in order, in chunks of at most about {@code maxBytes} each
   * (a chunk holds at least one line), so that no message exceeds the transport's frame size.
   */
  public synchronized List<List<String>> drain(int maxBytes) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> chunk = new ArrayList<>();
    long bytes = 0;
    while (!pending.isEmpty()) {
      String line = pending.poll();
      int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
      if (!chunk.isEmpty() && bytes + size > maxBytes) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(line);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
