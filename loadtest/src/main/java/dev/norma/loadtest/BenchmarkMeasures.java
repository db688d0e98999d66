package dev.norma.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.run.Summary;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What the in-process benchmarks measure alike: a study on a local node (its rate over the whole
 * run and past warm-up, from its progress reports, and the heap its agents hold after it), the
 * lines comparing it with a plain loop, digests of result files, and clearing their scratch
 * directory.
 */
final class BenchmarkMeasures {
  private BenchmarkMeasures() {
  }

  /** Runs one study on a runner it is given, reporting progress to {@code progress}. */
  @FunctionalInterface
  interface Study {
    Summary run(StudyRunner runner, ProgressListener progress) throws Exception;
  }

  /**
   * A study's figures on a local node.
   *
   * @param rate          interactions per second over the whole run (the summary's)
   * @param steadyRate    interactions per second past 20% of the run; NaN when the run was too
   *                      short to report twice past it
   * @param bytesPerAgent heap after the run minus before it (full collections), over the agents:
   *                      the agents, idle and still up, with what they hold
   * @param cpuMicros     CPU time of the whole process over the run (every thread: the actors',
   *                      the collector's, the compiler's), in microseconds per interaction
   */
  record ActorRun(double rate, double steadyRate, double bytesPerAgent, double cpuMicros) {
  }

  /** Runs {@code study} ({@code interactions} of them, {@code agents} agents) on a fresh local node. */
  static ActorRun runOnNode(long interactions, int agents, Study study) throws Exception {
    return runOnNode(interactions, agents, ConfigFactory.load(), study, runner -> { });
  }

  /** What is done on the node after the study and before its heap is measured. */
  @FunctionalInterface
  interface Settle {
    void after(StudyRunner runner) throws Exception;
  }

  /**
   * Runs {@code study} on a fresh local node of {@code config}; {@code settle} brings the node to
   * the state whose heap is measured (its bytes over {@code agents}).
   */
  static ActorRun runOnNode(long interactions, int agents, Config config, Study study, Settle settle)
      throws Exception {
    try (StudyRunner runner = new StudyRunner(config)) {
      long before = usedHeapAfterGc();
      SteadyRate steady = new SteadyRate(interactions);
      long cpuBefore = processCpuNanos();
      Summary summary = study.run(runner, steady);
      double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, summary.interactions());
      double steadyRate = steady.rate();
      settle.after(runner);
      long after = usedHeapAfterGc();
      return new ActorRun(summary.interactionsPerSecond(), steadyRate, (after - before) / (double) agents, cpuMicros);
    }
  }

  /** The median of {@code values} (the mean of the middle two of an even count). */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * CPU time of this process, all threads (the database's included when it is embedded): on a
   * machine shared with other work, CPU per interaction varies far less than interactions per
   * second do.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The actors', the plain loop's and their ratio's lines, and the CPU each took per unit;
   * {@code unit} names what is counted ({@code plainCpuMicros} NaN when not measured).
   */
  static void printRates(String unit, ActorRun actors, double plainRate, double plainCpuMicros) {
    printRates(unit, actors, plainRate);
    System.out.printf(Locale.ROOT, "cpu:         actors %,.1f µs per %s (all threads: the collector's and compiler's too)%s%n",
        actors.cpuMicros(), unit.replaceAll("s$", ""),
        Double.isNaN(plainCpuMicros) ? "" : String.format(Locale.ROOT, " · plain loop %,.2f µs", plainCpuMicros));
  }

  /** The actors', the plain loop's and their ratio's lines; {@code unit} names what is counted. */
  static void printRates(String unit, ActorRun actors, double plainRate) {
    // A run too short to have a measurable stretch past warm-up says so instead of printing NaN.
    boolean steadyKnown = Double.isFinite(actors.steadyRate()) && actors.steadyRate() > 0;
    System.out.printf(Locale.ROOT, "actors:      %,12.0f %s/s over the whole run (%s after warm-up, past 20%%)%n",
        actors.rate(), unit,
        steadyKnown ? String.format(Locale.ROOT, "%,.0f/s", actors.steadyRate()) : "too short to tell");
    System.out.printf(Locale.ROOT, "plain loop:  %,12.0f %s/s%n", plainRate, unit);
    System.out.printf(Locale.ROOT, "ratio:       actors = 1/%.1f of the plain loop (whole run)%s%n",
        plainRate / actors.rate(),
        steadyKnown ? String.format(Locale.ROOT, ", 1/%.1f after warm-up", plainRate / actors.steadyRate()) : "");
  }

  /** Heap in use after full collections: the least of three, each given time to settle. */
  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** SHA-256, in hex, of what the gzip file {@code gz} holds uncompressed. */
  static String digestOfGzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return digest(in);
    }
  }

  /** SHA-256, in hex, of {@code file}. */
  static String digestOf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return digest(in);
    }
  }

  private static String digest(InputStream in) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Interactions per second from the first progress report past 20% of the run to its end. */
  private static final class SteadyRate implements ProgressListener {
    private final long total;
    private long fromInteractions = -1;
    private long fromNanos;
    private long lastInteractions;
    private long lastNanos;

    SteadyRate(long total) {
      this.total = total;
    }

    @Override
    public void update(Snapshot s) {
      long now = System.nanoTime();
      if (fromInteractions < 0 && s.interactions() >= total / 5) {
        fromInteractions = s.interactions();
        fromNanos = now;
      }
      lastInteractions = s.interactions();
      lastNanos = now;
    }

    /** NaN when the run was too short to report twice past warm-up. */
    double rate() {
      return fromInteractions < 0 || lastNanos == fromNanos ? Double.NaN
          : (lastInteractions - fromInteractions) / ((lastNanos - fromNanos) / 1e9);
    }
  }
}
