package dev.norma.runtime.encounter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.Utterance;
import dev.norma.agents.study.Interventions;
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
 *
 * <p>A game whose encounters are conversations in text also gets {@code transcripts.jsonl}, one
 * line per thing said ({@code run} — the run directory's name —, {@code encounter}, {@code turn},
 * {@code agent}, {@code role}, {@code model}, {@code text}, {@code tokens}), in encounter order,
 * flushed at every round's end, and its Parquet copy {@code transcripts.parquet} as
 * {@code output.format} asks (the JSON lines kept as the CSV files are).
 *
 * <p>A study with interventions gets {@code interventions.csv} as the naming games' runs do
 * ({@link RunDirectory#INTERVENTIONS_HEADER}): a row for each the game {@linkplain
 * EncounterGame#interventions() lists}, written when the run records the first encounter it changes.
 *
 * <p>A durable run's files are {@linkplain #rewrite rewritten} from its journal: beside the old
 * ones ({@code .rebuilding}), which they replace once the journal has been read whole and they hold
 * as many rounds; a resume that stops before leaves the directory as it was.
 */
final class EncounterFiles implements AutoCloseable {
  static final String TRANSCRIPTS = "transcripts.jsonl";
  private static final String INTERVENTIONS = "interventions.csv";
  /** The files rebuilt from a durable run's journal. */
  private static final List<String> REBUILT = List.of("rounds.csv", "interactions.csv.gz", TRANSCRIPTS, INTERVENTIONS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final OutputSpec output;
  private final String title;
  private final long perRound;
  private final Writer rounds;
  private final Writer interactions;
  private final GzipMembers members;
  private final StringBuilder line = new StringBuilder(128);
  private final String run;
  /** Opened at the first thing said: a game of choices writes no transcripts. */
  private Writer transcripts;
  /** Writing beside the old files until {@link #commitRebuild()}. */
  private boolean rebuilding;
  /** Rounds in the files being rebuilt over, and rounds written since. */
  private final long oldRounds;
  private long roundsWritten;
  private boolean journalRead;
  /** The study's interventions, and how many the run has reached ({@code interventions.csv}). */
  private final List<Interventions.Applied> interventions;
  private int interventionsLogged;
  /** {@code interventions.csv}, opened when the run reaches its first intervention. */
  private Writer interventionLog;

  /** The files of a run of {@code game}'s study in {@code dir}, which must be absent or empty. */
  EncounterFiles(Path dir, ExperimentSpec resolvedSpec, EncounterGame<?> game) throws IOException {
    this(dir, resolvedSpec, game, false);
  }

  /**
   * The files of a durable run, written again from the start beside any old ones, which are
   * replaced once {@link #journalRead()} has been called and the new ones hold as many rounds.
   */
  static EncounterFiles rewrite(Path dir, ExperimentSpec resolvedSpec, EncounterGame<?> game) throws IOException {
    return new EncounterFiles(dir, resolvedSpec, game, true);
  }

  private EncounterFiles(Path dir, ExperimentSpec resolvedSpec, EncounterGame<?> game, boolean rewrite)
      throws IOException {
    List<String> columns = game.newMeasures().columns();
    List<String> outcomeColumns = game.outcomeColumns();
    if (!rewrite) {
      RunDirectory.requireEmpty(dir);
    }
    Files.createDirectories(dir);
    this.rebuilding = rewrite;
    this.oldRounds = rewrite ? RunDirectory.countRounds(dir) : 0;
    this.dir = dir;
    this.output = resolvedSpec.output();
    if (output.writesParquet()) {
      ParquetTables.prepare();
    }
    this.title = resolvedSpec.name() + " (seed " + resolvedSpec.seed() + ")";
    this.perRound = game.encountersPerRound();
    this.interventions = game.interventions();
    this.run = dir.getFileName().toString();
    Path spec = dir.resolve("spec.yaml.tmp");
    Files.writeString(spec, SpecLoader.toYaml(resolvedSpec));
    Files.move(spec, dir.resolve("spec.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    this.rounds = Files.newBufferedWriter(written("rounds.csv"), StandardCharsets.UTF_8);
    rounds.write("round,interactions," + String.join(",", columns) + "\n");
    rounds.flush();
    if (resolvedSpec.output().interactions()) {
      this.members = new GzipMembers(written("interactions.csv.gz"));
      this.interactions = new BufferedWriter(new OutputStreamWriter(members, StandardCharsets.UTF_8), 1 << 16);
      interactions.write("index,round,participants" + (outcomeColumns.isEmpty() ? "" : ",")
          + String.join(",", outcomeColumns) + "\n");
    } else {
      this.members = null;
      this.interactions = null;
    }
  }

  void encounter(long index, int[] participants, double[] outcome) {
    while (interventionsLogged < interventions.size() && interventions.get(interventionsLogged).index() <= index) {
      logIntervention(interventions.get(interventionsLogged++));
    }
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

  /** Adds an intervention the run has reached to {@code interventions.csv}, flushed at once. */
  private void logIntervention(Interventions.Applied applied) {
    try {
      if (interventionLog == null) {
        interventionLog = Files.newBufferedWriter(written(INTERVENTIONS), StandardCharsets.UTF_8);
        interventionLog.write(RunDirectory.INTERVENTIONS_HEADER + "\n");
      }
      interventionLog.write(RunDirectory.interventionRow(applied, applied.index() / perRound) + "\n");
      interventionLog.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What was said in encounter {@code index}, in order, as JSON lines. */
  void transcript(long index, List<Utterance> lines) {
    if (lines.isEmpty()) {
      return;
    }
    try {
      if (transcripts == null) {
        transcripts = Files.newBufferedWriter(written(TRANSCRIPTS), StandardCharsets.UTF_8);
      }
      for (Utterance said : lines) {
        ObjectNode json = JSON.createObjectNode();
        json.put("run", run);
        json.put("encounter", index);
        json.put("turn", said.turn());
        json.put("agent", said.agent());
        json.put("role", said.role());
        json.put("model", said.model());
        json.put("text", said.text());
        json.put("tokens", said.tokens());
        transcripts.write(JSON.writeValueAsString(json));
        transcripts.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A finished round: its encounters become readable (one gzip member), then its row. */
  void round(long round, long encounters, double[] row) {
    try {
      if (transcripts != null) {
        transcripts.flush();
      }
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
      roundsWritten++;
      if (rebuilding && journalRead && roundsWritten >= oldRounds) {
        commitRebuild();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a result file is written now: beside the old one while rebuilding. */
  private Path written(String file) {
    return dir.resolve(rebuilding ? file + RunDirectory.REBUILDING : file);
  }

  /**
   * The journal has been read back whole. The rebuilt files replace the old ones as soon as they
   * hold as many rounds: an embedded journal may lose the last moment of a killed run, whose
   * encounters are then played again, exactly, before the files catch up.
   */
  void journalRead() {
    journalRead = true;
    if (rebuilding && roundsWritten >= oldRounds) {
      try {
        commitRebuild();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The rebuilt files replace the old ones (the open writers go on writing them). */
  private void commitRebuild() throws IOException {
    rounds.flush();
    if (interactions != null) {
      interactions.flush();
    }
    if (transcripts != null) {
      transcripts.flush();
    }
    for (String file : REBUILT) {
      Path rebuilt = dir.resolve(file + RunDirectory.REBUILDING);
      if (Files.exists(rebuilt)) {
        Files.move(rebuilt, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else if (file.equals(TRANSCRIPTS) || file.equals(INTERVENTIONS)) {
        // Nothing said, or no intervention reached, in what the journal holds so far.
        Files.deleteIfExists(dir.resolve(file));
      }
    }
    Files.deleteIfExists(dir.resolve("summary.json"));
    Files.deleteIfExists(dir.resolve("transcripts.parquet"));
    ParquetTables.deleteRunTables(dir);
    rebuilding = false;
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
    Path jsonl = dir.resolve(TRANSCRIPTS);
    if (output.writesParquet() && Files.isRegularFile(jsonl)) {
      ParquetTables.convertJsonLines(jsonl, dir.resolve("transcripts.parquet"));
      if (!output.keepsCsv()) {
        Files.delete(jsonl);
      }
    }
  }

  void summary(Summary summary) throws IOException {
    RunDirectory.writeSummary(dir, summary);
  }

  @Override
  public void close() throws IOException {
    try {
      rounds.close();
    } finally {
      try {
        if (interactions != null) {
          interactions.close();
        }
      } finally {
        if (transcripts != null) {
          transcripts.close();
        }
        if (interventionLog != null) {
          interventionLog.close();
        }
        if (rebuilding) {
          // Stopped before the journal was read whole: the old files stay as they were.
          for (String file : REBUILT) {
            Files.deleteIfExists(dir.resolve(file + RunDirectory.REBUILDING));
          }
        }
      }
    }
  }
}
