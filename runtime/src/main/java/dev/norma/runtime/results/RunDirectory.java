package dev.norma.runtime.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.study.Interventions;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.OutputSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A run's output folder: {@code spec.yaml} (the resolved spec, with seed and format version),
 * {@code rounds.csv} (one row per population round, flushed as rounds finish), {@code shares.csv}
 * (each name's share of each round, long format: {@code round,name,share} for shares of at least
 * {@value #SHARE_FLOOR}), {@code interactions.csv.gz} (one row per interaction),
 * {@code summary.json} (written last, atomically) and {@code report.png} (plots of the rounds).
 * When the spec has interventions, {@code interventions.csv} (one row per intervention the run
 * reached). Files are written as the run goes, so an interrupted run keeps everything it did.
 * When the run stops, {@link #writeTables()} makes {@code rounds.parquet}, {@code shares.parquet}
 * and {@code interactions.parquet} from the CSV files, as the spec's {@code output.format} asks.
 */
public final class RunDirectory implements AutoCloseable {
  public static final String INTERACTIONS_HEADER = "index,round,initiator,responder,initiatorRole,"
      + "responderRole,initiatorWord,responderWord,success,valid,initiatorPayoff,responderPayoff,"
      + "initiatorCommitted,responderCommitted";
  public static final String SHARES_HEADER = "round,name,share";
  /** The smallest share {@code shares.csv} lists: the long tail of invented names stays out. */
  public static final double SHARE_FLOOR = 0.01;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final OutputSpec output;
  private final Game<Mind> game;
  private final int populationSize;
  private final Writer rounds;
  private final Writer shares;
  private final Writer interactions;
  private final GzipMembers members;
  /** Writing rebuilt files beside the old ones, not yet committed. */
  private boolean rebuilding;
  /** Rounds in the files being rebuilt over, and rounds written since: see {@link #journalRead()}. */
  private final long oldRounds;
  private long roundsWritten;
  private boolean journalRead;
  private final String initiatorRole;
  private final String responderRole;
  private final StringBuilder line = new StringBuilder(128);
  private final String title;
  /** {@code interventions.csv}, opened when the run reaches its first intervention; else null. */
  private Writer interventionLog;
  /** The spec's interventions in the order they apply, and how many the run has reached. */
  private java.util.List<Interventions.Applied> interventionsToLog = java.util.List.of();
  private int interventionsLogged;
  public static final String INTERVENTIONS_HEADER = "index,round,action,name,count,agents";

  /**
   * Creates the directory (it must be absent or empty) and writes the resolved spec.
   */
  public RunDirectory(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game, int populationSize)
      throws IOException {
    this(dir, resolvedSpec, game, populationSize, false);
  }

  /**
   * Opens a run directory to be written again from the start, for a durable run whose files are
   * a projection of its journal: the result files are rebuilt beside the old ones (suffix
   * {@value #REBUILDING}) and replace them only at {@link #commitRebuild()}, once the journal has
   * been read back whole; {@link #close()} before that leaves the old files as they were. Anything
   * else in the directory (the journal) is left alone.
   */
  public static RunDirectory rewrite(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game,
                                     int populationSize) throws IOException {
    return new RunDirectory(dir, resolvedSpec, game, populationSize, true);
  }

  /** The suffix of result files being rebuilt from a journal. */
  public static final String REBUILDING = ".rebuilding";

  /** The files a run writes (a directory holding only these, or nothing, may be rewritten). */
  public static final java.util.List<String> FILES =
      java.util.List.of("spec.yaml", "rounds.csv", "shares.csv", "interactions.csv.gz", "rounds.parquet",
          "shares.parquet", "interactions.parquet", "summary.json", "report.png", HtmlReport.FILE, "interventions.csv");

  /**
   * The files a cluster node serves for a run and {@code norma fetch} downloads: the run's files,
   * its plots, and, with language-model agents, the call journal.
   */
  public static final java.util.List<String> SERVED =
      java.util.List.of("spec.yaml", "rounds.csv", "shares.csv", "interactions.csv.gz", "rounds.parquet",
          "shares.parquet", "interactions.parquet", "summary.json", "report.png", HtmlReport.FILE, "calls.jsonl.gz",
          "interventions.csv");

  private RunDirectory(Path dir, ExperimentSpec resolvedSpec, Game<Mind> game, int populationSize,
                       boolean rewrite) throws IOException {
    if (!rewrite) {
      requireEmpty(dir);
    }
    Files.createDirectories(dir);
    this.rebuilding = rewrite;
    this.oldRounds = rewrite ? countRounds(dir) : 0;
    this.dir = dir;
    this.output = resolvedSpec.output();
    if (output.writesParquet()) {
      ParquetTables.prepare();
    }
    this.game = game;
    this.populationSize = populationSize;
    this.title = resolvedSpec.name() + " (seed " + resolvedSpec.seed() + ")";
    boolean simultaneous = game.simultaneous();
    this.initiatorRole = simultaneous ? "" : "speaker";
    this.responderRole = simultaneous ? "" : "hearer";
    writeAtomically(dir.resolve("spec.yaml"), SpecLoader.toYaml(resolvedSpec));
    Path roundsFile = written("rounds.csv");
    this.rounds = Files.newBufferedWriter(roundsFile, StandardCharsets.UTF_8);
    rounds.write(RoundRow.CSV_HEADER);
    rounds.write('\n');
    rounds.flush();
    this.shares = Files.newBufferedWriter(written("shares.csv"), StandardCharsets.UTF_8);
    shares.write(SHARES_HEADER);
    shares.write('\n');
    shares.flush();
    if (resolvedSpec.output().interactions()) {
      this.members = new GzipMembers(written("interactions.csv.gz"));
      this.interactions = new BufferedWriter(new OutputStreamWriter(members, StandardCharsets.UTF_8), 1 << 16);
      interactions.write(INTERACTIONS_HEADER);
      interactions.write('\n');
    } else {
      this.members = null;
      this.interactions = null;
    }
  }

  /** The rounds in the files of an earlier session: rounds.csv, or its Parquet copy alone. */
  /** The rows of {@code dir}'s {@code rounds.csv} (or its Parquet copy), 0 when there is none or it cannot be read. */
  public static long countRounds(Path dir) throws IOException {
    Path file = dir.resolve("rounds.csv");
    if (!Files.isRegularFile(file)) {
      Path copy = dir.resolve("rounds.parquet");
      try {
        return Files.isRegularFile(copy) ? ParquetTables.rowCount(copy) : 0;
      } catch (IOException | RuntimeException unreadable) {
        return 0;
      }
    }
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return Math.max(0, lines.count() - 1);
    } catch (java.io.UncheckedIOException unreadable) {
      return 0;
    }
  }

  /** Where a result file is written now: beside the old one while rebuilding. */
  private Path written(String file) {
    return dir.resolve(rebuilding ? file + REBUILDING : file);
  }

  /**
   * The journal has been read back whole. The rebuilt files replace the old ones as soon as they
   * hold as many rounds: an embedded journal may lose the last moment of a run that was killed
   * (its writes reach the file within half a second), and the interactions of that moment are
   * played again, exactly, when the run goes on; until they are, the old files stay, so a resume
   * that fails then leaves the directory as it was.
   */
  public void journalRead() throws IOException {
    journalRead = true;
    if (roundsWritten >= oldRounds) {
      commitRebuild();
    }
  }

  /**
   * The rebuilt files replace the old ones now, and writing goes on in them. A summary left by an
   * earlier session goes too: the run is live again, and its summary is written when it stops.
   */
  public void commitRebuild() throws IOException {
    if (!rebuilding) {
      return;
    }
    flushAll();
    for (String file : java.util.List.of("rounds.csv", "shares.csv", "interactions.csv.gz", "interventions.csv")) {
      Path rebuilt = dir.resolve(file + REBUILDING);
      if (Files.exists(rebuilt)) {
        Files.move(rebuilt, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.deleteIfExists(dir.resolve("summary.json"));
    ParquetTables.deleteRunTables(dir);
    rebuilding = false;
  }

  private void flushAll() throws IOException {
    rounds.flush();
    shares.flush();
    if (interventionLog != null) {
      interventionLog.flush();
    }
    if (interactions != null) {
      interactions.flush();
      members.endMember();
    }
  }

  /** Writes {@code content} to {@code file} so that a reader sees the old or the new file, whole. */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Fails unless {@code dir} is absent or empty (but for the lock of the run that claimed it). */
  public static void requireEmpty(Path dir) throws IOException {
    if (Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
      throw new IOException("output directory " + dir + " already exists and is not empty");
    }
  }

  /** Whether {@code dir} holds anything but the lock of the run that claimed it. */
  private static boolean hasEntries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.anyMatch(entry -> !entry.getFileName().toString().equals(RunLock.FILE));
    }
  }

  public Path path() {
    return dir;
  }

  public void writeRound(RoundRow row) {
    try {
      // A finished round is a whole unit: its interactions become readable as one gzip member,
      // before its row does, so every round rounds.csv shows has its interactions on disk.
      endMember();
      for (RoundRow.NameShare named : row.ranked()) {
        if (named.share() < SHARE_FLOOR) {
          break;
        }
        shares.append(Long.toString(row.round())).append(',').append(Csv.quote(named.name())).append(',')
            .append(RoundRow.fmt(named.share())).append('\n');
      }
      shares.flush();
      rounds.write(row.toCsv());
      rounds.write('\n');
      rounds.flush();
      if (++roundsWritten >= oldRounds && journalRead) {
        commitRebuild();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes each of {@code interventions} to {@code interventions.csv} once the interactions written reach it. */
  public void logInterventions(java.util.List<Interventions.Applied> interventions) {
    this.interventionsToLog = java.util.List.copyOf(interventions);
  }

  public void writeInteraction(InteractionRecord r) {
    while (interventionsLogged < interventionsToLog.size()
        && interventionsToLog.get(interventionsLogged).index() <= r.index()) {
      writeIntervention(interventionsToLog.get(interventionsLogged++));
    }
    if (interactions == null) {
      return;
    }
    StringBuilder b = line;
    b.setLength(0);
    int payoffInitiator = r.valid() ? game.payoff(r.success(), r.index()) : 0;
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

  /**
   * Adds an intervention to {@code interventions.csv} as the run reaches it: its index and round,
   * action, name, and how many and which agents it changed (ids separated by spaces).
   */
  private void writeIntervention(Interventions.Applied applied) {
    String b = interventionRow(applied, applied.index() / populationSize);
    try {
      if (interventionLog == null) {
        interventionLog = Files.newBufferedWriter(written("interventions.csv"), StandardCharsets.UTF_8);
        interventionLog.write(INTERVENTIONS_HEADER);
        interventionLog.write('\n');
      }
      interventionLog.append(b).append('\n');
      interventionLog.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An {@code interventions.csv} row ({@link #INTERVENTIONS_HEADER}) without its line end: the
   * intervention's index, {@code round}, action, name, and how many and which agents it changed
   * (ids separated by spaces).
   */
  public static String interventionRow(Interventions.Applied applied, long round) {
    StringBuilder b = new StringBuilder();
    b.append(applied.index()).append(',').append(round).append(',')
        .append(applied.action()).append(',').append(applied.name()).append(',')
        .append(applied.agents().length).append(',');
    for (int i = 0; i < applied.agents().length; i++) {
      b.append(i == 0 ? "" : " ").append(applied.agents()[i]);
    }
    return b.toString();
  }

  private void endMember() throws IOException {
    if (interactions != null) {
      interactions.flush();
      members.endMember();
    }
  }

  /** Draws {@code report.png} from the rounds written, with the run's summary (names, markers). */
  public void writeReport(Summary summary) throws IOException {
    RunReport.write(dir, title, summary);
  }

  /**
   * Writes the Parquet copies of the closed files as {@code output.format} asks (see
   * {@link ParquetTables#writeRunTables}); with {@code parquet} the CSV files go.
   */
  public void writeTables() throws IOException {
    ParquetTables.writeRunTables(dir, output);
  }

  /** Writes {@code summary.json} atomically (temp file, then move). */
  public void writeSummary(Summary summary) throws IOException {
    writeSummary(dir, summary);
  }

  /** Writes {@code summary.json} into {@code dir} atomically (temp file, then move). */
  public static void writeSummary(Path dir, Summary summary) throws IOException {
    Path tmp = dir.resolve("summary.json.tmp");
    JSON.writeValue(tmp.toFile(), summary);
    Files.move(tmp, dir.resolve("summary.json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Closes the files. Rebuilt files not yet committed are deleted: the journal was not read back
   * whole, and the old files stay as they were.
   */
  @Override
  public void close() throws IOException {
    try {
      rounds.close();
      shares.close();
    } finally {
      if (interactions != null) {
        interactions.close();
      }
      if (interventionLog != null) {
        interventionLog.close();
      }
      if (rebuilding) {
        Files.deleteIfExists(dir.resolve("rounds.csv" + REBUILDING));
        Files.deleteIfExists(dir.resolve("shares.csv" + REBUILDING));
        Files.deleteIfExists(dir.resolve("interactions.csv.gz" + REBUILDING));
        Files.deleteIfExists(dir.resolve("interventions.csv" + REBUILDING));
      }
    }
  }
}
