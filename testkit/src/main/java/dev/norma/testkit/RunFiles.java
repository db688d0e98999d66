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
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a run directory's files as tests compare them, and compares two run directories. */
public final class RunFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

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
