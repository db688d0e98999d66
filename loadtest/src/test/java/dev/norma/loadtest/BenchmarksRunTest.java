package dev.norma.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Every benchmark the README shows runs to its end at tiny sizes and prints its figures, so none
 * can stop working unseen (the crash-loop soak has a test of its own). What the figures are worth
 * is for the benchmarks themselves, run at their real sizes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchmarksRunTest {

  @Test
  void actors() {
    assertThat(bench("actors", "--agents", "500", "--rounds", "4", "--in-flight", "100"))
        .contains("plain loop:", "first study:", "bytes per idle agent", "same interactions as the plain loop: yes");
  }

  /**
   * Agents passivated during the run (100 live of 1,000: the churning limit, below the active
   * limit of 500) and after it, their heap measured: the command runs.
   */
  @Test
  void scale() {
    assertThat(bench("scale", "--agents", "1000", "--interactions", "4000", "--in-flight", "50", "--active-limit", "500",
        "--churning-limit", "100"))
        .contains("plain loop:", "100 agents live as actors at the end of the run",
            "bytes per idle agent at 1,000 agents", "same interactions as the plain loop: yes");
  }

  /** Studies one after another on one node in this process, the heap after each measured. */
  @Test
  void retention() {
    assertThat(bench("retention", "--runs", "3", "--agents", "200", "--rounds", "2", "--every", "1"))
        .contains("heap after full collections: before", "after 3:", "left per finished run:", "bytes per agent");
  }

  /** A bad option, and a failure no benchmark foresaw, each end in one line, as every norma command's do. */
  @Test
  void errorsAreOneLine() {
    java.io.StringWriter errors = new java.io.StringWriter();
    CommandLine cli = dev.norma.runtime.cli.NormaCli.withOneLineErrors(new CommandLine(new LoadtestCli()), "norma bench");
    cli.setErr(new java.io.PrintWriter(errors, true));
    assertThat(cli.execute("scale", "--agents", "0")).isEqualTo(2);
    assertThat(errors.toString()).startsWith("norma bench: --agents must be at least 2, not 0").doesNotContain("\tat ");
  }

  /** The README's lines: the default game and the others; the engine's equality to the loop for both is EncounterEngineTest's. */
  @Test
  void encounters() {
    assertThat(bench("encounters", "--agents", "60", "--rounds", "2", "--in-flight", "20"))
        .contains("ultimatum", "same interactions and rounds as the plain loop: yes");
    assertThat(bench("encounters", "--game", "higher-order-naming", "--agents", "200", "--rounds", "5",
        "--in-flight", "50"))
        .contains("plain loop:", "bytes per agent", "same interactions and rounds as the plain loop: yes");
    assertThat(bench("encounters", "--game", "crsec", "--agents", "100", "--rounds", "2"))
        .contains("crsec, by rule", "same interactions and rounds as the plain loop: yes",
            "target: 10,000 agents for 20 periods under 600 s", "(another size: not the target's)");
  }

  @Test
  void gateway() {
    assertThat(bench("gateway", "--agents", "20", "--calls", "200", "--max-seqs", "16", "--step-ms", "2"))
        .contains("gateway overhead per call", "gain over the naive client");
  }

  /** One node and two, durable against not, durable on one node and three, and three nodes of which one is killed. */
  @Test
  @org.junit.jupiter.api.Tag("slow") // ten node JVMs, about two minutes
  void cluster() {
    assertThat(bench("cluster", "--agents", "600", "--rounds", "4", "--heap", "256m"))
        .contains("scaling:", "each study in turn:", "durability:", "durable nodes:", "failover:",
            "every study equal to the plain loop of its seed: yes");
  }

  /**
   * The README's other soak lines at once and tiny: language-model agents, a CPU hog beside them
   * and a journal on a database server (an H2 server here; PostgreSQL is CrashLoopSoakTest's),
   * through the command line. One stop and its resume: three study JVMs.
   */
  @Test
  @org.junit.jupiter.api.Tag("slow") // three study JVMs beside a busy thread, about half a minute on 2 cores
  void soakWithLanguageModelAgentsBesideAHogOnADatabaseServer() throws Exception {
    Path base = Files.createTempDirectory("norma-soak-db-");
    org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists",
        "-baseDir", base.toString()).start();
    try {
      assertThat(bench("soak", "--cycles", "1", "--llm", "--hog", "--agents", "6", "--rounds", "4", "--heap", "256m",
          "--db-url", "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/soak"))
          .contains("language-model agents (fake server)", "beside a CPU hog", "jdbc:h2:tcp://", "cycles survived: 1 of 1",
              "PASS");
    } finally {
      server.stop();
      BenchmarkMeasures.deleteTree(base);
    }
  }

  /** Each soak option the README shows reaches the soak (the soak itself runs in CrashLoopSoakTest and above). */
  @Test
  void soakOptions() {
    SoakBenchmark soak = new SoakBenchmark();
    new CommandLine(soak).parseArgs("--cycles", "5", "--llm");
    Path work = Path.of("work");
    assertThat(soak.settings(work)).extracting(CrashLoopSoak.Settings::cycles, CrashLoopSoak.Settings::agents,
        CrashLoopSoak.Settings::rounds, CrashLoopSoak.Settings::llm, CrashLoopSoak.Settings::hog)
        .containsExactly(5, 24, 30, true, false);
    soak = new SoakBenchmark();
    new CommandLine(soak).parseArgs("--cycles", "3", "--seed", "7", "--agents", "2000", "--rounds", "40", "--hog",
        "--db-url", "jdbc:postgresql://127.0.0.1:5432/norma", "--keep");
    assertThat(soak.settings(work)).extracting(CrashLoopSoak.Settings::seed, CrashLoopSoak.Settings::agents,
        CrashLoopSoak.Settings::rounds, CrashLoopSoak.Settings::llm, CrashLoopSoak.Settings::hog,
        CrashLoopSoak.Settings::dbUrl)
        .containsExactly(7L, 2000, 40, false, true, "jdbc:postgresql://127.0.0.1:5432/norma");
    assertThat(soak.keep).isTrue();
    assertThat(new SoakBenchmark().settings(work).agents()).isEqualTo(10_000);
  }

  /** Runs {@code norma bench ARGS} in this JVM; returns what it printed, asserting it exited 0. */
  private static String bench(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try (PrintStream both = new PrintStream(new TeeStream(original, printed), true, StandardCharsets.UTF_8)) {
      System.setOut(both);
      code = new CommandLine(new LoadtestCli()).execute(args);
    } finally {
      System.setOut(original);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(code).as(String.join(" ", args) + " printed:\n" + out).isZero();
    return out;
  }

  /** Writes to the terminal and keeps a copy. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
