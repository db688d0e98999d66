package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A run's {@code calls.jsonl.gz}: one JSON object per line for every request and answer of its
 * language-model agents, so that a run's costs can be counted and its answers replayed.
 *
 * <p>Lines of {@code "type": "call"} carry the decision (interaction {@code index}, {@code agent},
 * {@code role}, {@code attempt}), the transport {@code try}, the {@code outcome} ({@code ok}: the
 * answer names an option; {@code invalid}: it does not, and the agent is asked again or the
 * interaction is invalid; {@code retry}: the request failed and is sent again; {@code error}: it
 * failed for good), the prompt ({@code promptSha256}, the user text, and {@code systemSha256}
 * whose text is on a line of {@code "type": "system"} written once), {@code templatesSha256},
 * the {@code params}, the request {@code seed}, the {@code endpoint}, the {@code model} and
 * {@code systemFingerprint} it reported, the {@code response}, token counts, {@code latencyMs},
 * and {@code replayed} when the answer came from an earlier run's journal. No key is ever written.
 *
 * <p>Thread-safe: written from HTTP completion threads. Flushed as a complete gzip member on
 * {@link #close()}. Every line is sync-flushed to the file as it is written (a call costs far more
 * than a flush), so a killed process's journal keeps every call but at most one line cut short.
 */
public final class CallJournal implements CallLog {
  public static final String FILE = "calls.jsonl.gz";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Lines between sync flushes: every line, so a killed run loses no call it paid for. */
  private static final int FLUSH_EVERY = 1;

  private final OutputStream out;
  private final Set<String> systemsWritten = new HashSet<>();
  private int unflushed;
  private boolean closed;

  public CallJournal(Path runDirectory) throws IOException {
    this(runDirectory, false);
  }

  /**
   * A journal that, with {@code keep}, starts with the readable lines of the directory's earlier
   * journal (a resumed run: its calls so far stay part of it; a line cut short by a killed
   * process is dropped).
   */
  public CallJournal(Path runDirectory, boolean keep) throws IOException {
    Path file = runDirectory.resolve(FILE);
    Path previous = runDirectory.resolve(FILE + ".previous");
    if (keep && Files.isRegularFile(file)) {
      Files.move(file, previous, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    this.out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16, true);
    if (keep && Files.isRegularFile(previous)) {
      try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
          new java.util.zip.GZIPInputStream(Files.newInputStream(previous)), java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = readLine(in)) != null) {
          if (line.isBlank()) {
            continue;
          }
          com.fasterxml.jackson.databind.JsonNode entry;
          try {
            entry = JSON.readTree(line);
          } catch (IOException cutShort) {
            break;
          }
          if ("system".equals(entry.path("type").asText())) {
            systemsWritten.add(entry.path("sha256").asText());
          }
          out.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          out.write('\n');
        }
      }
      out.flush();
      Files.delete(previous);
    }
  }

  private static String readLine(java.io.BufferedReader in) throws IOException {
    try {
      return in.readLine();
    } catch (java.io.EOFException e) {
      return null;
    }
  }

  /** A call line for a request; the caller adds what happened to it. */
  static ObjectNode entry(LlmRequest request, SamplingParams params, String outcome, int tryNumber) {
    ObjectNode line = JSON.createObjectNode();
    line.put("type", "call");
    line.put("index", request.index());
    line.put("agent", request.agent());
    line.put("role", request.role());
    line.put("attempt", request.attempt());
    line.put("try", tryNumber);
    line.put("outcome", outcome);
    line.put("promptSha256", request.prompt().sha256());
    line.put("systemSha256", systemSha256(request));
    line.put("templatesSha256", request.prompt().templatesSha256());
    line.put("user", request.prompt().user());
    ArrayNode order = line.putArray("optionOrder");
    request.prompt().optionOrder().forEach(order::add);
    ObjectNode p = line.putObject("params");
    p.put("temperature", params.temperature());
    if (params.topP() != null) {
      p.put("topP", params.topP());
    }
    if (params.topK() != null) {
      p.put("topK", params.topK());
    }
    p.put("maxTokens", params.maxTokens());
    p.put("constrained", params.constrained());
    line.put("paramsKey", params.key());
    if (request.seed() != null) {
      line.put("seed", request.seed());
    }
    return line;
  }

  static void answer(ObjectNode line, LlmAnswer answer) {
    line.put("endpoint", answer.endpoint());
    line.put("model", answer.model());
    line.put("systemFingerprint", answer.systemFingerprint());
    line.put("response", answer.text());
    line.put("promptTokens", answer.promptTokens());
    line.put("completionTokens", answer.completionTokens());
    line.put("cachedTokens", answer.cachedTokens());
    line.put("latencyMs", answer.latencyNanos() / 1e6);
    line.put("replayed", answer.replayed());
  }

  private static String systemSha256(LlmRequest request) {
    return Hashes.sha256(request.prompt().system());
  }

  /** The line that gives a system text once, for the call lines that name its hash. */
  static ObjectNode systemLine(String sha256, String text) {
    ObjectNode system = JSON.createObjectNode();
    system.put("type", "system");
    system.put("sha256", sha256);
    system.put("text", text);
    return system;
  }

  @Override
  public synchronized void write(ObjectNode line, String systemText) {
    if (closed) {
      return; // calls still in flight after the run's results were closed are not part of it
    }
    try {
      String systemSha = line.path("systemSha256").asText(null);
      if (systemSha != null && systemsWritten.add(systemSha)) {
        writeLine(JSON.writeValueAsBytes(systemLine(systemSha, systemText)));
      }
      writeLine(JSON.writeValueAsBytes(line));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the call journal", e);
    }
  }

  /**
   * Appends lines written elsewhere (a cluster node's {@link ShippedCallLog}), keeping each system
   * text once.
   */
  public synchronized void writeShipped(List<String> lines) {
    if (closed) {
      return;
    }
    try {
      for (String text : lines) {
        if (text.startsWith("{\"type\":\"system\"")) {
          String sha = JSON.readTree(text).path("sha256").asText();
          if (!systemsWritten.add(sha)) {
            continue;
          }
        }
        writeLine(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the call journal", e);
    }
  }

  /**
   * Appends lines shipped after the journal was closed (a cluster node's chunk sent again late),
   * as a gzip member of their own: readers of concatenated members see one stream of lines.
   */
  public static void appendShipped(Path runDirectory, List<String> lines) {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(runDirectory.resolve(FILE),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
      for (String line : lines) {
        out.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the call journal", e);
    }
  }

  private void writeLine(byte[] line) throws IOException {
    out.write(line);
    out.write('\n');
    if (++unflushed >= FLUSH_EVERY) {
      out.flush();
      unflushed = 0;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
