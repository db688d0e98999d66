package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.RunLock;
import dev.norma.runtime.testing.JavaProcesses;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How runs end when they are stopped from outside, each in a JVM of its own: Ctrl-C pressed twice,
 * an in-memory run killed outright, and a durable run whose journal file was damaged while it was
 * down. Nothing finished may be lost, and nothing may hang or loop.
 */
class StopsAndDamageTest {
  private static final int AGENTS = 400;

  @TempDir
  Path temp;

  private Path spec() throws IOException {
    Path spec = temp.resolve("study.yaml");
    Files.writeString(spec, """
        name: stops
        population: {size: %d}
        stop: {maxRounds: 14, onConvergence: false}
        """.formatted(AGENTS));
    return spec;
  }

  private Process start(String log, String... args) throws IOException {
    // A stalled run re-drives after a second, not five: the damaged journal is found sooner.
    return JavaProcesses.start(temp.resolve(log), List.of("-Xmx384m", "-Dnorma.recovery.stall-timeout=1s"),
        NormaCli.class, List.of(args), Map.of());
  }

  private static void signal(Process process, String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
  }

  @Test
  void ctrlCTwiceEndsAtOnceAndTheRunStillResumesToTheUninterruptedResult() throws Exception {
    Path dir = temp.resolve("run");
    // Long enough (40 rounds) that the signals always land before the run would end by itself.
    Process run = start("run.log", "run", spec().toString(), "--seed", "11", "--durability", "durable",
        "--out", dir.toString(), "--quiet", "--set", "stop.maxRounds=40");
    try {
      JavaProcesses.awaitLines(dir.resolve("rounds.csv"), 3, run);
      // SIGTERM, which the same handler takes as Ctrl-C's SIGINT: a JVM started from a script in
      // the background inherits SIGINT ignored, and the JVM then leaves it ignored, as it should.
      signal(run, "TERM");
      // Pressed again once the first press was seen, as a person does: two signals sent back to
      // back may reach the process as one (a pending signal is not queued twice).
      JavaProcesses.awaitText(temp.resolve("run.log"), "norma: stopping;", run);
      signal(run, "TERM");
      long sent = System.nanoTime();
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat((System.nanoTime() - sent) / 1e9).as("seconds to stop after the second Ctrl-C").isLessThan(4.0); // before the first press's 4.5 s watchdog
      assertThat(run.exitValue()).isEqualTo(NormaCli.EXIT_INTERRUPTED);
    } finally {
      run.destroyForcibly();
    }
    assertThat(Files.readString(temp.resolve("run.log"))).contains("norma: stopped at once")
        .doesNotContain("did not stop within").doesNotContain("ERROR").doesNotContain("\tat ");

    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "run", "--resume", dir.toString(), "--quiet");
    assertThat(code).as(err.toString()).isZero();
    OracleRuns.write(SpecLoader.load(dir.resolve("spec.yaml"), List.of()),
        temp.resolve("plain"));
    RunFiles.assertSameResults(dir, temp.resolve("plain"));
    assertThat(dir.resolve(RunLock.FILE)).as("released at the end").doesNotExist();
  }

  @Test
  void aKilledInMemoryRunLeavesEveryFinishedRoundReadableAndALockNamingTheDeadProcess() throws Exception {
    Path dir = temp.resolve("memory");
    Process run = start("memory.log", "run", spec().toString(), "--seed", "12", "--out", dir.toString(), "--quiet",
        "--set", "stop.maxRounds=100000");
    JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), 5);
    assertThat(dir.resolve("summary.json")).as("a summary is only ever final").doesNotExist();
    RunLock.Owner owner = RunLock.owner(dir).orElseThrow();
    assertThat(owner.pid()).isEqualTo(run.pid());
    assertThat(owner.alive()).isFalse();

    long rounds = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
    long[] read = readableRows(dir.resolve("interactions.csv.gz"));
    // Members end with rounds: every round in rounds.csv has its interactions in whole members.
    assertThat(read[0]).isGreaterThanOrEqualTo(rounds * AGENTS);
    if (read[1] == 0) {
      assertThat(read[0] % AGENTS).as("whole rounds only, however the kill fell").isZero();
    }
  }

  /**
   * A resume whose journal was damaged either finishes exactly (the damage hit pages no longer
   * needed) or stops with one line: while it runs, or before anything when the damage hit pages
   * the database needs to open (then it changes nothing). Stopping, it loses no row the run had: the coordinator's events
   * may still read whole, in which case the run directory is rebuilt from them (in gzip members cut
   * where the journal's events end, not where the killed run's writes ended) and may gain the
   * interactions recorded before an agent's damaged events stopped the run. So the test compares
   * rows, not bytes: the rows before are a prefix of the rows after, which are a prefix of the
   * plain loop's.
   */
  @Test
  void aDamagedJournalStopsTheResumeWithOneLineAndLosesNoRow() throws Exception {
    Path dir = temp.resolve("damaged");
    Process run = start("damaged.log", "run", spec().toString(), "--seed", "13", "--durability", "durable",
        "--out", dir.toString(), "--quiet");
    JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), 6);
    String rounds = Files.readString(dir.resolve("rounds.csv"));
    String interactions = readableText(dir.resolve("interactions.csv.gz"));
    overwriteBlocks(dir.resolve("journal").resolve("norma.mv.db"), 5, new Random(13));

    Process resume = start("resume.log", "run", "--resume", dir.toString(), "--quiet");
    try {
      assertThat(resume.waitFor(120, TimeUnit.SECONDS)).as("the resume ends by itself").isTrue();
    } finally {
      resume.destroyForcibly();
    }
    String log = Files.readString(temp.resolve("resume.log"));
    Path plain = temp.resolve("plain");
    OracleRuns.write(SpecLoader.load(dir.resolve("spec.yaml"), List.of()), plain);
    if (resume.exitValue() == 0) {
      // The damage hit only pages the database no longer needed: then the run must be exact.
      RunFiles.assertSameResults(dir, plain);
      return;
    }
    assertThat(resume.exitValue()).as(log).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(log).doesNotContain("\tat ").satisfiesAnyOf(
        stopped -> assertThat(stopped).contains("norma: the run stopped:"),
        unopened -> assertThat(unopened).contains("norma: cannot open the journal database", "nothing was changed"));
    String roundsAfter = Files.readString(dir.resolve("rounds.csv"));
    assertThat(roundsAfter).as("rounds.csv keeps its rows").startsWith(rounds);
    assertThat(Files.readString(plain.resolve("rounds.csv"))).as("and they are the plain loop's").startsWith(roundsAfter);
    String interactionsAfter = readableText(dir.resolve("interactions.csv.gz"));
    assertThat(interactionsAfter).as("the interaction log keeps its rows").startsWith(interactions);
    assertThat(RunFiles.gunzip(plain.resolve("interactions.csv.gz"))).as("and they are the plain loop's")
        .startsWith(interactionsAfter);
    if (log.contains("norma: the run stopped:")) {
      assertThat(dir.resolve("norma.log")).as("the details").isNotEmptyFile();
    }
  }

  /** The whole lines a gzip reader gets from {@code file} before any member cut short at its end. */
  private static String readableText(Path file) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      in.transferTo(read);
    } catch (EOFException cutShort) {
      // A member the kill cut short: what came before it was read.
    }
    String text = read.toString(StandardCharsets.UTF_8);
    return text.substring(0, text.lastIndexOf('\n') + 1);
  }

  /** Overwrites {@code count} 4 KiB blocks in the middle half of {@code file} with random bytes. */
  private static void overwriteBlocks(Path file, int count, Random random) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long blocks = raf.length() / 4096;
      byte[] noise = new byte[4096];
      for (int i = 0; i < count; i++) {
        random.nextBytes(noise);
        raf.seek(4096 * (blocks / 4 + random.nextLong(Math.max(1, blocks / 2))));
        raf.write(noise);
      }
    }
  }

  /**
   * The rows (header excluded) a gzip reader gets from {@code file} before any damage at its end,
   * and 1 if it found a last member cut short (0 otherwise).
   */
  private static long[] readableRows(Path file) throws IOException {
    long newlines = 0;
    long cut = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            newlines++;
          }
        }
      }
    } catch (EOFException cutShort) {
      // A member the kill cut short (in its one write): what came before it was read.
      cut = 1;
    }
    return new long[] {newlines - 1, cut};
  }
}
