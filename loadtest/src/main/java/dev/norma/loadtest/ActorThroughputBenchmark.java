package dev.norma.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The naming game through the actors against a plain single-threaded loop of the same game and
 * seed, in one process: interactions per second of each and their ratio, heap per idle agent, and
 * a check that both produced the same interactions (SHA-256 of the interaction logs). Both are
 * timed warm: the plain loop after runs of its own, the actors in a third study after two
 * untimed ones; the first one's cold rate is printed too.
 */
@Command(name = "actors", mixinStandardHelpOptions = true,
    description = "Naming game (memory policy) through sharded actors vs a plain loop.")
public final class ActorThroughputBenchmark implements Callable<Integer> {
  /**
   * Untimed studies the actors run before the timed one: the JIT compiles their hot paths (far
   * more code than the plain loop's) over the first two or three million interactions.
   */
  private static final int WARM_UP_STUDIES = 2;

  /** How long the plain loop runs, at least, before it is timed. */
  private static final long PLAIN_WARM_UP_NANOS = 3_000_000_000L;

  @Option(names = "--agents", description = "population size (default ${DEFAULT-VALUE})")
  int agents = 10_000;

  @Option(names = "--rounds", description = "population rounds; interactions = agents x rounds (default ${DEFAULT-VALUE})")
  int rounds = 100;

  @Option(names = "--seed", description = "run seed (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--in-flight", description = "interactions in flight (default ${DEFAULT-VALUE})")
  int inFlight = ScheduleSpec.DEFAULT_IN_FLIGHT;

  @Override
  public Integer call() throws Exception {
    SideBySide run = sideBySide(agents, rounds, seed, inFlight, ConfigFactory.load(), runner -> { }, true);
    BenchmarkMeasures.printRates("interactions", run.actors(), run.plainRate(), run.plainCpu());
    System.out.printf(Locale.ROOT, "first study: %,12.0f interactions/s (cold: the JIT compiling the actors' hot paths), 1/%.1f"
        + " of the plain loop%n", run.coldRate(), run.plainRate() / run.coldRate());
    System.out.printf(Locale.ROOT, "heap:        %,.0f bytes per idle agent (after full GC, spawned and idle, minus before, over N)%n",
        run.actors().bytesPerAgent());
    run.printSame();
    System.out.printf(Locale.ROOT, "target: >= 1/20 of the plain loop (whole run) %s%n",
        run.actors().rate() * 20 >= run.plainRate() ? "met" : "missed");
    return run.same() ? 0 : 1;
  }

  /**
   * What a side-by-side run measured.
   *
   * @param actors     the actors' rates and heap (over every agent of the population)
   * @param plainRate  the plain loop's interactions per second
   * @param plainCpu   the plain loop's CPU time per interaction, in microseconds
   * @param same       whether both produced the same interactions
   * @param digest     SHA-256 of the actors' interaction log
   * @param played     agents that played at least once
   * @param coldRate   the untimed first study's interactions per second (NaN without one)
   */
  record SideBySide(BenchmarkMeasures.ActorRun actors, double plainRate, double plainCpu, boolean same, String digest,
                    int played, double coldRate) {
    void printSame() {
      System.out.printf(Locale.ROOT, "same interactions as the plain loop: %s (sha256 %s)%n", same ? "yes" : "NO",
          digest.substring(0, 16));
    }
  }

  /**
   * Runs the naming game (memory policy, sequential schedule) of {@code agents} agents for
   * {@code rounds} population rounds as a plain loop (warmed up, then timed) and through
   * the actors on a node of {@code config}, whose heap is measured after {@code settle}; then
   * writes the plain loop's interaction log to compare the two. With {@code warmUp}, the actors
   * first run the same study twice, each on a node of its own, untimed, so that the timed study
   * runs compiled code, as the plain loop's timed runs do.
   */
  static SideBySide sideBySide(int agents, int rounds, long seed, int inFlight, Config config,
                               BenchmarkMeasures.Settle settle, boolean warmUp) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: bench-actors\n", List.of(
        "population.size=" + agents, "game.kind=naming", "policy.kind=memory",
        "schedule.kind=sequential", "schedule.inFlight=" + inFlight,
        "stop.maxRounds=" + rounds, "stop.onConvergence=false",
        // The engine's rate: no Parquet copies made at the end, inside the timed run.
        "output.format=csv")).resolved().withSeed(seed);
    long interactions = (long) agents * rounds;
    Path work = Files.createTempDirectory("norma-bench-");
    System.out.printf(Locale.ROOT, "naming game, memory policy, %,d agents, %,d interactions, seed %d, %d in flight, %d cores%n",
        agents, interactions, seed, inFlight, Runtime.getRuntime().availableProcessors());
    try {
      PlainTiming plain = timePlain(spec);
      double coldRate = Double.NaN;
      for (int study = 0; warmUp && study < WARM_UP_STUDIES; study++) {
        try (StudyRunner runner = new StudyRunner(config)) {
          double rate = runner.run(spec, work.resolve("warm-up-" + study), ProgressListener.NONE).interactionsPerSecond();
          if (study == 0) {
            coldRate = rate;
          }
        }
      }

      Path actorDir = work.resolve("actors");
      BenchmarkMeasures.ActorRun actors = BenchmarkMeasures.runOnNode(interactions, agents, config,
          (runner, progress) -> runner.run(spec, actorDir, progress), settle);

      Path plainDir = work.resolve("plain");
      StudyPlan plan = new StudyPlan(spec, seed);
      BitSet played = new BitSet(agents);
      try (RunDirectory out = new RunDirectory(plainDir, spec, plan.game(), plan.populationSize())) {
        new PlainLoop(plan).run(record -> {
          played.set(record.initiator());
          played.set(record.responder());
          out.writeInteraction(record);
        }, out::writeRound);
      }
      String actorDigest = BenchmarkMeasures.digestOfGzip(actorDir.resolve("interactions.csv.gz"));
      String plainDigest = BenchmarkMeasures.digestOfGzip(plainDir.resolve("interactions.csv.gz"));
      return new SideBySide(actors, plain.rate(), plain.cpuMicros(), actorDigest.equals(plainDigest), actorDigest,
          played.cardinality(), coldRate);
    } finally {
      BenchmarkMeasures.deleteTree(work);
    }
  }

  /** The plain loop's steady speed: the median of its timed runs, and their CPU per interaction. */
  private record PlainTiming(double rate, double cpuMicros) {
  }

  /**
   * Times the plain loop at the speed it keeps once compiled: it runs until it has run for at
   * least {@link #PLAIN_WARM_UP_NANOS} and at least twice (the JIT compiles its hot paths in
   * tiers, and a run of a million interactions takes well under a second once it has), then
   * three times more, timed; the median of those counts.
   */
  private static PlainTiming timePlain(ExperimentSpec spec) {
    long warmUpStart = System.nanoTime();
    for (int run = 0; run < 2 || (System.nanoTime() - warmUpStart < PLAIN_WARM_UP_NANOS && run < 20); run++) {
      runPlain(spec);
    }
    double[] rates = new double[3];
    double[] cpu = new double[3];
    for (int i = 0; i < rates.length; i++) {
      long cpuBefore = BenchmarkMeasures.processCpuNanos();
      long t0 = System.nanoTime();
      PopulationObserver plain = runPlain(spec);
      rates[i] = plain.recorded() / ((System.nanoTime() - t0) / 1e9);
      cpu[i] = (BenchmarkMeasures.processCpuNanos() - cpuBefore) / 1e3 / plain.recorded();
    }
    java.util.Arrays.sort(rates);
    java.util.Arrays.sort(cpu);
    return new PlainTiming(rates[1], cpu[1]);
  }

  private static PopulationObserver runPlain(ExperimentSpec spec) {
    return new PlainLoop(new StudyPlan(spec, spec.seed())).run(null, null);
  }
}
