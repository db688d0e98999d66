package dev.norma.loadtest;

import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.study.DurableRuns;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Durable studies against in-memory ones, side by side in one process: the naming game (memory
 * policy, sequential schedule) run with durability {@code none}, durable on the embedded H2
 * journal and, given {@code --db-url}, durable on a PostgreSQL server, each repetition running
 * every mode once in an order that rotates. Prints interactions per second of each and the CPU
 * time this process spent per interaction (medians of the repetitions; a PostgreSQL server's own
 * CPU is not counted), the durable ÷ in-memory ratios, and whether every run produced the
 * interactions of the plain loop of its seed (SHA-256 of the interaction logs; exit code 1 if not).
 */
@Command(name = "durable", mixinStandardHelpOptions = true,
    description = "Durable studies (embedded H2, optionally PostgreSQL) vs in-memory ones, side by side.")
public final class DurableBenchmark implements Callable<Integer> {
  @Option(names = "--agents", description = "population size (default ${DEFAULT-VALUE})")
  int agents = 10_000;

  @Option(names = "--rounds", description = "population rounds; interactions = agents x rounds (default ${DEFAULT-VALUE})")
  int rounds = 20;

  @Option(names = "--seed", description = "run seed (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--in-flight", description = "interactions in flight (default: the spec's default)")
  Integer inFlight;

  @Option(names = "--repeat", description = "repetitions of every mode; medians are printed (default ${DEFAULT-VALUE})")
  int repeat = 3;

  @Option(names = "--warm-up-rounds", description = "rounds of the untimed run of each mode first; 0 for none (default ${DEFAULT-VALUE})")
  int warmUpRounds = 2;

  @Option(names = "--db-url", paramLabel = "URL",
      description = "also run durable on this PostgreSQL database (user and password from NORMA_DB_USER and"
          + " NORMA_DB_PASSWORD)")
  String dbUrl;

  @Option(names = "--only", split = ",", paramLabel = "MODE",
      description = "run only these modes (none, durable-H2, durable-PostgreSQL), e.g. to profile one")
  List<String> only;

  @Override
  public Integer call() throws Exception {
    List<String> settings = new ArrayList<>(List.of(
        "population.size=" + agents, "game.kind=naming", "policy.kind=memory", "schedule.kind=sequential",
        "stop.maxRounds=" + rounds, "stop.onConvergence=false", "output.format=csv"));
    if (inFlight != null) {
      settings.add("schedule.inFlight=" + inFlight);
    }
    ExperimentSpec spec = SpecLoader.parse("name: bench-durable\n", settings).resolved().withSeed(seed);
    JournalDatabase server = dbUrl == null ? null : JournalDatabase.at(dbUrl);
    if (server != null && (only == null || only.contains("durable-PostgreSQL"))) {
      checkReachable(server);
    }
    Map<String, Mode> modes = new LinkedHashMap<>();
    modes.put("none", (study, dir) -> {
      try (StudyRunner runner = new StudyRunner()) {
        return runner.run(study, dir, ProgressListener.NONE);
      }
    });
    modes.put("durable-H2", (study, dir) -> {
      try (StudyRunner runner = StudyRunner.durable(JournalDatabase.h2(dir.resolve(DurableRuns.JOURNAL_DIR)))) {
        return runner.runDurable(study, dir, ProgressListener.NONE);
      }
    });
    if (server != null) {
      modes.put("durable-PostgreSQL", (study, dir) -> {
        try (StudyRunner runner = StudyRunner.durable(server)) {
          return runner.runDurable(study, dir, ProgressListener.NONE);
        }
      });
    }
    if (only != null) {
      if (!modes.keySet().containsAll(only)) {
        System.err.println("norma bench durable: --only takes " + String.join(", ", modes.keySet()) + "; got " + only);
        return 2;
      }
      modes.keySet().retainAll(only);
    }
    long interactions = (long) agents * rounds;
    System.out.printf(Locale.ROOT,
        "naming game, memory policy, %,d agents, %,d interactions, seed %d, %d in flight, %d cores, %d repetitions%n",
        agents, interactions, seed, spec.schedule().inFlight(), Runtime.getRuntime().availableProcessors(), repeat);

    Path work = Files.createTempDirectory("norma-bench-durable-");
    Path plainDir = work.resolve("plain");
    StudyPlan plan = new StudyPlan(spec, seed);
    try (RunDirectory out = new RunDirectory(plainDir, spec, plan.game(), plan.populationSize())) {
      new PlainLoop(plan).run(out::writeInteraction, out::writeRound);
    }
    String plainDigest = BenchmarkMeasures.digestOfGzip(plainDir.resolve("interactions.csv.gz"));

    List<String> names = new ArrayList<>(modes.keySet());
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    names.forEach(name -> {
      rates.put(name, new ArrayList<>());
      cpu.put(name, new ArrayList<>());
    });
    boolean same = true;
    // A small run of every mode first: the JIT and the journal's code paths warm up for all alike.
    ExperimentSpec warmUp = SpecLoader.parse("name: bench-durable-warm-up\n", List.of(
        "population.size=" + agents, "stop.maxRounds=" + Math.max(1, warmUpRounds), "stop.onConvergence=false",
        "output.format=csv")).resolved().withSeed(seed);
    for (String name : warmUpRounds > 0 ? names : List.<String>of()) {
      Path dir = work.resolve("warm-up-" + name);
      modes.get(name).run(warmUp, dir);
      BenchmarkMeasures.deleteTree(dir);
    }
    for (int r = 0; r < repeat; r++) {
      StringBuilder line = new StringBuilder("repetition " + (r + 1) + ":");
      for (int k = 0; k < names.size(); k++) {
        String name = names.get((r + k) % names.size());
        Path dir = work.resolve(name + "-" + r);
        long cpuBefore = BenchmarkMeasures.processCpuNanos();
        Summary summary = modes.get(name).run(spec, dir);
        cpu.get(name).add((BenchmarkMeasures.processCpuNanos() - cpuBefore) / 1e3 / interactions);
        boolean equal = summary.interactions() == interactions
            && plainDigest.equals(BenchmarkMeasures.digestOfGzip(dir.resolve("interactions.csv.gz")));
        same &= equal;
        rates.get(name).add(summary.interactionsPerSecond());
        line.append(String.format(Locale.ROOT, "  %s %,.0f/s%s", name, summary.interactionsPerSecond(),
            equal ? "" : " (DIFFERS)"));
        BenchmarkMeasures.deleteTree(dir);
      }
      System.out.println(line);
    }
    double memory = rates.containsKey("none") ? BenchmarkMeasures.median(rates.get("none")) : Double.NaN;
    for (String name : names) {
      double rate = BenchmarkMeasures.median(rates.get(name));
      System.out.printf(Locale.ROOT, "%-19s %,10.0f interactions/s (median) · %,7.1f µs of CPU per interaction%s%n",
          name + ":", rate, BenchmarkMeasures.median(cpu.get(name)),
          name.equals("none") || Double.isNaN(memory) ? ""
              : String.format(Locale.ROOT, " · %.2f of in-memory", rate / memory));
    }
    System.out.printf(Locale.ROOT, "same interactions as the plain loop: %s (sha256 %s)%n", same ? "yes" : "NO",
        plainDigest.substring(0, 16));
    BenchmarkMeasures.deleteTree(work);
    return same ? 0 : 1;
  }

  /** One way of running a study into a run directory, on a node of its own. */
  @FunctionalInterface
  private interface Mode {
    Summary run(ExperimentSpec study, Path dir) throws Exception;
  }

  /**
   * Fails at once, before any mode runs, when the server does not answer or its tables cannot be
   * made: the message names the URL (never the password) and what the driver said.
   */
  static void checkReachable(JournalDatabase server) throws JournalDatabase.Unavailable {
    try {
      server.ensureSchema();
    } catch (java.sql.SQLException | java.io.IOException e) {
      throw new JournalDatabase.Unavailable("cannot reach the journal database " + server + ": "
          + NormaCli.oneLine(e), e);
    }
  }

}
