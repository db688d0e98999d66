package dev.norma.loadtest;

import dev.norma.runtime.study.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * What the in-process benchmarks measure alike: the rate past warm-up from a run's progress
 * reports, the live heap after full collections, digests of result files, and clearing their
 * scratch directory.
 */
final class BenchmarkMeasures {
  private BenchmarkMeasures() {
  }

  /** Heap in use after full collections: the least of three, each given time to settle. */
  static long usedHeapAfterGc() throws InterruptedException {
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
  static final class SteadyRate implements ProgressListener {
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
