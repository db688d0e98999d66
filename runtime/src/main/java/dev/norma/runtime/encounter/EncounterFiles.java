package dev.norma.runtime.encounter;

import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.OutputSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.GzipMembers;
import dev.norma.runtime.results.ParquetTables;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.results.RunReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The run directory of an encounter game: {@code spec.yaml}; {@code rounds.csv}, one row per
 * population round ({@code round,interactions} and the game's measures); {@code interactions.csv.gz},
 * one row per encounter ({@code index,round,participants} and the game's outcome columns, the
 * participants space-separated in the encounter's order), written in whole gzip members per round so
 * a killed run leaves every finished round readable; {@code report.png}, the measures by round;
 * {@code rounds.parquet} and {@code interactions.parquet} once the run stops, as {@code output.format}
 * asks; and {@code summary.json}, written last and atomically.
 */
final class EncounterFiles implements AutoCloseable {
  private final Path dir;
  private final OutputSpec output;
  private final String title;
  private final long perRound;
  private final Writer rounds;
  private final Writer interactions;
  private final GzipMembers members;
  private final StringBuilder line = new StringBuilder(128);

  EncounterFiles(Path dir, ExperimentSpec resolvedSpec, List<String> columns, List<String> outcomeColumns,
                 long perRound) throws IOException {
    RunDirectory.requireEmpty(dir);
    Files.createDirectories(dir);
    this.dir = dir;
    this.output = resolvedSpec.output();
    if (output.writesParquet()) {
      ParquetTables.prepare();
    }
    this.title = resolvedSpec.name() + " (seed " + resolvedSpec.seed() + ")";
    this.perRound = perRound;
    Path spec = dir.resolve("spec.yaml.tmp");
    Files.writeString(spec, SpecLoader.toYaml(resolvedSpec));
    Files.move(spec, dir.resolve("spec.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    this.rounds = Files.newBufferedWriter(dir.resolve("rounds.csv"), StandardCharsets.UTF_8);
    rounds.write("round,interactions," + String.join(",", columns) + "\n");
    rounds.flush();
    if (resolvedSpec.output().interactions()) {
      this.members = new GzipMembers(dir.resolve("interactions.csv.gz"));
      this.interactions = new BufferedWriter(new OutputStreamWriter(members, StandardCharsets.UTF_8), 1 << 16);
      interactions.write("index,round,participants" + (outcomeColumns.isEmpty() ? "" : ",")
          + String.join(",", outcomeColumns) + "\n");
    } else {
      this.members = null;
      this.interactions = null;
    }
  }

  void encounter(long index, int[] participants, double[] outcome) {
    if (interactions == null) {
      return;
    }
    StringBuilder b = line;
    b.setLength(0);
    b.append(index).append(',').append(index / perRound).append(',');
    for (int i = 0; i < participants.length; i++) {
      b.append(i == 0 ? "" : " ").append(participants[i]);
    }
    for (double value : outcome) {
      b.append(',').append(number(value));
    }
    b.append('\n');
    try {
      interactions.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A finished round: its encounters become readable (one gzip member), then its row. */
  void round(long round, long encounters, double[] row) {
    try {
      if (interactions != null) {
        interactions.flush();
        members.endMember();
      }
      StringBuilder b = new StringBuilder().append(round).append(',').append(encounters);
      for (double value : row) {
        b.append(',').append(number(value));
      }
      rounds.write(b.append('\n').toString());
      rounds.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whole numbers without a fraction, others with up to six decimals. */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String text = String.format(Locale.ROOT, "%.6f", value);
    int end = text.length();
    while (text.charAt(end - 1) == '0') {
      end--;
    }
    return text.substring(0, end);
  }

  void report(Summary summary) throws IOException {
    RunReport.write(dir, title, summary);
  }

  /** The Parquet copies of the closed files, as {@code output.format} asks. */
  void tables() throws IOException {
    ParquetTables.writeRunTables(dir, output);
  }

  void summary(Summary summary) throws IOException {
    RunDirectory.writeSummary(dir, summary);
  }

  @Override
  public void close() throws IOException {
    try {
      rounds.close();
    } finally {
      if (interactions != null) {
        interactions.close();
      }
    }
  }
}
