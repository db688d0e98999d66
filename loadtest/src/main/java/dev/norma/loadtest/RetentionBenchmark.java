package dev.norma.loadtest;

import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.node.NormaNode;
import dev.norma.runtime.study.JournalDatabase;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a node keeps of the studies it has finished: one node in this process, in-memory naming
 * games submitted one after the other ({@code norma submit --wait}), and the heap in use after
 * full collections before the first and after every few. Prints the heap at each point and what
 * each finished run left, per run and per agent, over the runs after the first few (which also
 * load classes and fill caches).
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
    description = "Studies one after another on one node: the heap each finished run leaves behind.")
public final class RetentionBenchmark implements Callable<Integer> {
  @Option(names = "--runs", description = "studies, one after the other (default ${DEFAULT-VALUE})")
  int runs = 20;

  @Option(names = "--agents", description = "population of each study (default ${DEFAULT-VALUE})")
  int agents = 20_000;

  @Option(names = "--rounds", description = "population rounds of each study (default ${DEFAULT-VALUE})")
  int rounds = 3;

  @Option(names = "--every", description = "measure the heap after every this many runs (default ${DEFAULT-VALUE})")
  int every = 5;

  @Override
  public Integer call() throws Exception {
    if (runs < 2 || agents < 2 || rounds < 1 || every < 1) {
      throw new IllegalArgumentException("--runs and --agents must be at least 2, --rounds and --every at least 1");
    }
    Path work = Files.createTempDirectory("norma-bench-retention-");
    Path spec = Files.writeString(work.resolve("study.yaml"), "name: retention\npopulation: {size: " + agents
        + "}\nstop: {maxRounds: " + rounds + ", onConvergence: false}\n");
    System.out.printf(Locale.ROOT, "one node in this process, %d in-memory naming-game studies of %,d agents and %d"
        + " rounds, one after the other%n", runs, agents, rounds);
    try (NormaNode node = NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), work.resolve("node"),
        null, JournalDatabase.h2(work.resolve("node/journal"))), ConfigFactory.load())) {
      String to = node.url().substring("http://".length());
      List<long[]> points = new ArrayList<>();
      points.add(new long[] {0, heapAfterCollections()});
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "heap after full collections: before %.1f MB",
          points.get(0)[1] / 1e6));
      for (int run = 1; run <= runs; run++) {
        ClusterBenchmark.cli("submit", spec.toString(), "--to", to, "--seed", Long.toString(run), "--durability", "none", "--wait",
            "--quiet");
        if (run % every == 0 || run == runs) {
          long heap = heapAfterCollections();
          points.add(new long[] {run, heap});
          line.append(String.format(Locale.ROOT, " · after %d: %.1f MB", run, heap / 1e6));
        }
      }
      System.out.println(line);
      // From the first point past the first run: the first runs also load classes and fill caches.
      long[] from = points.size() > 2 ? points.get(1) : points.get(0);
      long[] last = points.get(points.size() - 1);
      double perRun = (double) (last[1] - from[1]) / Math.max(1, last[0] - from[0]);
      System.out.printf(Locale.ROOT, "left per finished run: %.2f MB (runs %d-%d) · %.0f bytes per agent%n",
          perRun / 1e6, from[0], last[0], perRun / agents);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
    return 0;
  }

  /** The heap in use after full collections, settled. */
  private static long heapAfterCollections() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
