package dev.norma.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** Reads a run directory's files as tests compare them, and compares two run directories. */
public final class RunFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The summary's fields that time the run: they differ between any two runs. */
  private static final List<String> WALL_CLOCK_FIELDS = List.of("wallSeconds", "interactionsPerSecond");

  private RunFiles() {
  }

  /** The text of a gzip file. */
  public static String gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The lines of a gzip file. */
  public static List<String> gunzipLines(Path gz) throws IOException {
    return gunzip(gz).lines().toList();
  }

  /** Every line of the run's call journal ({@code calls.jsonl.gz}), parsed. */
  public static List<JsonNode> callJournal(Path run) throws IOException {
    return gunzipLines(run.resolve("calls.jsonl.gz")).stream().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  /**
   * How many of the run's calls an endpoint answered more than once (the same agent, index, role
   * and attempt, not answered by replay): after a resume, at most its {@code reissuedCalls}.
   */
  public static long callsAnsweredTwice(Path run) throws IOException {
    java.util.Map<String, Integer> asked = new java.util.HashMap<>();
    for (JsonNode line : callJournal(run)) {
      if ("call".equals(line.path("type").asText()) && "ok".equals(line.path("outcome").asText())
          && !line.path("replayed").asBoolean(false)) {
        asked.merge(line.path("agent").asInt() + "|" + line.path("index").asLong() + "|"
            + line.path("role").asText() + "|" + line.path("attempt").asInt(), 1, Integer::sum);
      }
    }
    return asked.values().stream().mapToLong(n -> n - 1).sum();
  }

  /** The run's {@code summary.json}, parsed. */
  public static JsonNode summary(Path run) throws IOException {
    return JSON.readTree(run.resolve("summary.json").toFile());
  }

  /**
   * {@code actual}'s summary says what {@code expected}'s does, field for field, except the
   * fields that time the run ({@code wallSeconds}, {@code interactionsPerSecond}) and
   * {@code ignored}.
   */
  public static void assertSameSummary(Path actual, Path expected, Collection<String> ignored) throws IOException {
    assertThat(summaryFields(actual, ignored)).as("summary.json").isEqualTo(summaryFields(expected, ignored));
  }

  private static Map<String, String> summaryFields(Path run, Collection<String> ignored) throws IOException {
    Map<String, String> fields = new TreeMap<>();
    summary(run).fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().toString()));
    fields.keySet().removeAll(WALL_CLOCK_FIELDS);
    fields.keySet().removeAll(ignored);
    return fields;
  }

  /**
   * {@code actual} holds the results of {@code expected}: the same rounds and the same
   * interactions, byte for byte, and plots of its own.
   */
  public static void assertSameResults(Path actual, Path expected) throws IOException {
    assertThat(actual.resolve("report.png")).as("the plots").isNotEmptyFile();
    assertThat(Files.readString(actual.resolve("rounds.csv")))
        .isEqualTo(Files.readString(expected.resolve("rounds.csv")));
    assertThat(gunzip(actual.resolve("interactions.csv.gz")))
        .isEqualTo(gunzip(expected.resolve("interactions.csv.gz")));
  }
}
