package dev.norma.runtime.inference;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A durable run's {@code calls-sent.txt}: the requests that went to an endpoint, one line for each
 * decision's attempt on its first try ({@code agent|index|role|attempt}: {@link ReplayBook#decision}
 * and the attempt, 0 first, then each parse retry), written to the file before the request leaves. The call journal has a line only once a call is answered or has
 * failed, so a call in flight when the process was killed left none there; this file has it, and
 * a resumed run that sends it again counts it as a reissued call, so that no call is answered
 * twice by an endpoint beyond {@code reissuedCalls}. (A line whose request never left, the process
 * killed in between, counts too: {@code reissuedCalls} is a bound.)
 *
 * <p>Plain text, appended and flushed to the operating system per batch of requests (a call costs
 * far more than a write); a last line cut short by a kill is ignored. Thread-safe.
 */
public final class SentCalls implements AutoCloseable {
  public static final String FILE = "calls-sent.txt";

  private final Path file;
  private OutputStream out;
  private boolean closed;

  private SentCalls(Path file) {
    this.file = file;
  }

  /** The file of {@code runDirectory}, created at the first request, appended to if it exists. */
  public static SentCalls in(Path runDirectory) {
    return new SentCalls(runDirectory.resolve(FILE));
  }

  /** Writes {@code requests} (each on its first try), then flushes. */
  public synchronized void sending(List<LlmRequest> requests) {
    if (closed || requests.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (LlmRequest request : requests) {
      lines.append(line(request.agent(), request.index(), request.role().wireName(), request.attempt())).append('\n');
    }
    try {
      if (out == null) {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One request's line: its decision and attempt. */
  public static String line(int agent, long index, String role, int attempt) {
    return ReplayBook.decision(agent, index, role) + "|" + attempt;
  }

  /** The decision of a line ({@link ReplayBook#decision}), its attempt left out. */
  public static String decisionOf(String line) {
    return line.substring(0, line.lastIndexOf('|'));
  }

  /** The lines {@code runDirectory}'s file holds (none without one); a last line cut short is left out. */
  public static Set<String> read(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(FILE);
    Set<String> lines = new HashSet<>();
    if (!Files.isRegularFile(file)) {
      return lines;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return lines;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    if (out != null) {
      out.close();
    }
  }
}
