package dev.norma.runtime.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.InteractionRecord;
import dev.norma.agents.measure.RoundRow;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A run's output folder: {@code spec.yaml} (the resolved spec, with seed and format version),
 * {@code rounds.csv} (one row per population round, flushed as rounds finish),
 * {@code interactions.csv.gz} (one row per interaction) and {@code summary.json} (written last,
 * atomically) and {@code report.png} (plots of the rounds). Files are written as the run goes, so an interrupted run keeps everything it did.
 */
public final class RunDirectory implements AutoCloseable {
  public static final String INTERACTIONS_HEADER = "index,round,initiator,responder,initiatorRole,"
      + "responderRole,initiatorWord,responderWord,success,valid,initiatorPayoff,responderPayoff,"
      + "initiatorCommitted,responderCommitted";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Game<Mind> game;
  private final int populationSize;
  private final Writer rounds;
  private final Writer interactions;
  private final String initiatorRole;
  private final String responderRole;
  private final StringBuilder line = new StringBuilder(128);
  private final RunReport.History history = new RunReport.History(4000);
  private final String title;

  /**
   * Creates the directory (it must be absent or empty) and writes the resolved spec.
   */
  public RunDirectory(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game, int populationSize)
      throws IOException {
    this(dir, resolvedSpec, game, populationSize, false);
  }

  /**
   * Opens a run directory to be written again from the start: its result files are replaced and
   * anything else in it (a durable run's journal) is left alone. A durable run's files are a
   * projection of its journal, rebuilt this way when the run resumes or its coordinator moves.
   */
  public static RunDirectory rewrite(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game,
                                     int populationSize) throws IOException {
    return new RunDirectory(dir, resolvedSpec, game, populationSize, true);
  }

  /**
   * The file {@code norma run} creates (create-new, so atomically) to take a directory for one
   * run before it writes anything else; it holds the process id.
   */
  public static final String CLAIM_FILE = ".norma-run";

  /** The files a run writes (a directory holding only these, or nothing, may be rewritten). */
  public static final java.util.List<String> FILES =
      java.util.List.of("spec.yaml", "rounds.csv", "interactions.csv.gz", "summary.json");

  /**
   * The files a cluster node serves for a run and {@code norma fetch} downloads: the run's files,
   * its plots, and, with language-model agents, the call journal.
   */
  public static final java.util.List<String> SERVED =
      java.util.List.of("spec.yaml", "rounds.csv", "interactions.csv.gz", "summary.json", "report.png",
          "calls.jsonl.gz");

  private RunDirectory(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game, int populationSize,
                       boolean rewrite) throws IOException {
    if (!rewrite && Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
      throw new IOException("output directory " + dir + " already exists and is not empty");
    }
    Files.createDirectories(dir);
    if (rewrite) {
      for (String file : FILES) {
        Files.deleteIfExists(dir.resolve(file));
      }
      Files.deleteIfExists(dir.resolve("summary.json.tmp"));
    }
    this.dir = dir;
    this.game = game;
    this.populationSize = populationSize;
    this.title = resolvedSpec.name() + " (seed " + resolvedSpec.seed() + ")";
    boolean simultaneous = game.simultaneous();
    this.initiatorRole = simultaneous ? "" : "speaker";
    this.responderRole = simultaneous ? "" : "hearer";
    Files.writeString(dir.resolve("spec.yaml"), SpecLoader.toYaml(resolvedSpec));
    this.rounds = Files.newBufferedWriter(dir.resolve("rounds.csv"), StandardCharsets.UTF_8);
    rounds.write(RoundRow.CSV_HEADER);
    rounds.write('\n');
    rounds.flush();
    if (resolvedSpec.output().interactions()) {
      OutputStream file = Files.newOutputStream(dir.resolve("interactions.csv.gz"));
      OutputStream gzip = new GZIPOutputStream(file, 1 << 16) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      };
      this.interactions = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
      interactions.write(INTERACTIONS_HEADER);
      interactions.write('\n');
    } else {
      this.interactions = null;
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.anyMatch(entry -> !entry.getFileName().toString().equals(CLAIM_FILE));
    }
  }

  public Path path() {
    return dir;
  }

  public void writeRound(RoundRow row) {
    history.add(row);
    try {
      rounds.write(row.toCsv());
      rounds.write('\n');
      rounds.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void writeInteraction(InteractionRecord r) {
    if (interactions == null) {
      return;
    }
    StringBuilder b = line;
    b.setLength(0);
    int payoffInitiator = r.valid() ? game.payoff(r.success()) : 0;
    b.append(r.index()).append(',').append(r.index() / populationSize).append(',')
        .append(r.initiator()).append(',').append(r.responder()).append(',')
        .append(initiatorRole).append(',').append(responderRole).append(',')
        .append(game.nameOf(r.initiatorWord())).append(',').append(game.nameOf(r.responderWord())).append(',')
        .append(r.success()).append(',').append(r.valid()).append(',')
        .append(payoffInitiator).append(',').append(payoffInitiator).append(',')
        .append(r.initiatorCommitted()).append(',').append(r.responderCommitted()).append('\n');
    try {
      interactions.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Draws {@code report.png} from the rounds so far. */
  public void writeReport() throws IOException {
    RunReport.write(dir.resolve("report.png"), title, history.rows());
  }

  /** Writes {@code summary.json} atomically (temp file, then move). */
  public void writeSummary(Summary summary) throws IOException {
    Path tmp = dir.resolve("summary.json.tmp");
    JSON.writeValue(tmp.toFile(), summary);
    Files.move(tmp, dir.resolve("summary.json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
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
