package dev.norma.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code norma bench soak}: the crash-loop soak ({@link CrashLoopSoak}) from the command line.
 * Prints a line per cycle and the figures; exit code 1 on any difference.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = {"Crash loop: a durable study is stopped at seeded moments (SIGKILL, every third stop SIGINT)",
        "and resumed, again and again; the end must equal an uninterrupted run of the seed."})
public final class SoakBenchmark implements Callable<Integer> {
  @Option(names = "--cycles", description = "stops, each followed by a resume (default ${DEFAULT-VALUE})")
  int cycles = 10;

  @Option(names = "--hog", description = "run a CPU-bound thread beside the study for the whole soak")
  boolean hog;

  @Option(names = "--seed", description = "run seed, and seed of the moments (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--agents", description = "population size (default 10,000; 24 with --llm)")
  Integer agents;

  @Option(names = "--rounds", description = "population rounds (default: 30, or 2 x cycles + 10 if more)")
  Integer rounds;

  @Option(names = "--llm", description = "language-model agents against an in-process fake server")
  boolean llm;

  @Option(names = "--db-url", paramLabel = "URL",
      description = "journal to this database (the study's NORMA_DB_URL; user and password from NORMA_DB_USER"
          + " and NORMA_DB_PASSWORD) instead of the embedded H2")
  String dbUrl;

  @Option(names = "--heap", description = "the study process's heap (default ${DEFAULT-VALUE})")
  String heap = "768m";

  @Option(names = "--keep", description = "keep the run directory and logs even when the soak passes")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("norma-bench-soak-");
    CrashLoopSoak.Settings settings = settings(work);
    CrashLoopSoak.Outcome outcome;
    try {
      outcome = CrashLoopSoak.run(settings, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("norma bench soak: " + e.getMessage());
      return 2;
    }
    if (outcome.passed() && !keep) {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } else {
      System.out.println("run directory and logs: " + work);
    }
    return outcome.passed() ? 0 : 1;
  }

  /** The soak the options ask for, its files in {@code work}. */
  CrashLoopSoak.Settings settings(Path work) {
    return new CrashLoopSoak.Settings(cycles, seed, agents != null ? agents : llm ? 24 : 10_000,
        rounds != null ? rounds : Math.max(30, 2 * cycles + 10), llm, hog, dbUrl, Map.of(), heap, work);
  }
}
