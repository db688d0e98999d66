package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.spec.EndpointSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
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
  /** What the lines written so far hold, summed. */
  private final CallTotals totals;
  private int unflushed;
  private boolean closed;
  /** A durable run's note of the requests sent ({@link SentCalls}); null when not kept. */
  private volatile SentCalls sent;

  public CallJournal(Path runDirectory) throws IOException {
    this(runDirectory.resolve(FILE), new CallTotals(List.of()));
  }

  private CallJournal(Path file, CallTotals totals) throws IOException {
    this.out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16, true);
    this.totals = totals;
  }

  /** A new journal in {@code runDirectory} whose totals cost answers at the prices of {@code endpoints}. */
  public static CallJournal create(Path runDirectory, List<EndpointSpec> endpoints) throws IOException {
    return new CallJournal(runDirectory.resolve(FILE), new CallTotals(endpoints));
  }

  /**
   * The journal of a resumed run: it starts with the lines of the directory's journal (its calls
   * so far stay part of it and of its totals; a last line cut short by a killed process is
   * dropped) and goes on after them. Each line kept is also handed to {@code kept}. The journal is
   * read whole before anything replaces it: a damaged one that {@code reading} does not accept
   * throws and stays as it was.
   */
  public static CallJournal resume(Path runDirectory, List<EndpointSpec> endpoints,
                                   CallJournalReader.Reading reading, Consumer<JsonNode> kept) throws IOException {
    Path file = runDirectory.resolve(FILE);
    // A resume killed while it rewrote the journal left the whole one aside.
    Path previous = runDirectory.resolve(FILE + ".previous");
    Path source = Files.isRegularFile(previous) ? previous : file;
    if (!Files.isRegularFile(source)) {
      return create(runDirectory, endpoints);
    }
    Path rewritten = runDirectory.resolve(FILE + ".resumed");
    CallJournal journal = new CallJournal(rewritten, new CallTotals(endpoints));
    try {
      CallJournalReader.read(source, CallJournalReader.Purpose.RESUME, reading, line -> {
        if ("system".equals(line.path("type").asText())) {
          journal.systemsWritten.add(line.path("sha256").asText());
        }
        journal.totals.add(line);
        kept.accept(line);
        try {
          journal.out.write(JSON.writeValueAsBytes(line));
          journal.out.write('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      journal.out.flush();
    } catch (UncheckedIOException e) {
      discard(journal, rewritten);
      throw e.getCause();
    } catch (IOException | RuntimeException e) {
      discard(journal, rewritten);
      throw e;
    }
    // The rewritten journal holds every line kept: it replaces the old one at once, and is
    // written on through the same stream.
    Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(previous);
    return journal;
  }

  private static void discard(CallJournal journal, Path rewritten) throws IOException {
    journal.close();
    Files.deleteIfExists(rewritten);
  }

  /** A call line for a request; the caller adds what happened to it. */
  static ObjectNode entry(LlmRequest request, SamplingParams params, String outcome, int tryNumber) {
    ObjectNode line = JSON.createObjectNode();
    line.put("type", "call");
    line.put("index", request.index());
    line.put("agent", request.agent());
    line.put("role", request.role().wireName());
    if (request.role().turn() >= 0) {
      line.put("turn", request.role().turn());
    }
    if (request.group() != null) {
      line.put("group", request.group().name());
    }
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
    if (request.again()) {
      line.put("reissued", true);
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
    if (answer.replayed()) {
      line.remove("reissued"); // answered from a journal: no new model call
    }
    if (answer.sharedRequest()) {
      line.put("sharedRequest", true);
    }
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

  /** Keeps a note of the decisions sent from now on in {@code sent} (a durable run: {@link SentCalls}). */
  public void noteSent(SentCalls sent) {
    this.sent = sent;
  }

  @Override
  public void sending(List<LlmRequest> requests) {
    SentCalls note = sent;
    if (note != null) {
      note.sending(requests);
    }
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
      totals.add(line);
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
        JsonNode line = JSON.readTree(text);
        if ("system".equals(line.path("type").asText()) && !systemsWritten.add(line.path("sha256").asText())) {
          continue;
        }
        writeLine(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        totals.add(line);
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

  /** What the journal holds so far, summed (with a resumed run's earlier lines). */
  public synchronized InferenceUsage totals() {
    return totals.usage();
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
      if (sent != null) {
        sent.close();
      }
    }
  }
}
