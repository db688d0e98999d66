package dev.norma.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.runtime.study.LiveAgents;
import dev.norma.runtime.study.StudyRunner;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A large population on one node: the naming game of a million agents through the actors, more
 * than {@code norma.agents.passivation.active-limit}, so that sharding keeps only
 * {@code norma.agents.passivation.churning-limit} of them live and passivates the rest, against the plain
 * loop of the same seed. After the run the agents it left live are passivated as the limit would,
 * so the heap is that of a population all idle. Prints both rates, their ratio and the CPU per
 * interaction of each, the heap per idle agent once every
 * agent has played and been passivated (its packed state in the node's store included), and
 * whether both produced the same interactions (SHA-256; exit code 1 if not).
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "A million passivated agents on one node: naming game through actors vs a plain loop, heap per idle agent.")
public final class ScaleBenchmark implements Callable<Integer> {
  @Option(names = "--agents", description = "population size (default ${DEFAULT-VALUE})")
  int agents = 1_000_000;

  @Option(names = "--interactions", description = "interactions, a whole number of population rounds (default ${DEFAULT-VALUE})")
  long interactions = 10_000_000;

  @Option(names = "--seed", description = "run seed (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--in-flight", description = "interactions in flight (default ${DEFAULT-VALUE})")
  int inFlight = ScheduleSpec.DEFAULT_IN_FLIGHT;

  @Option(names = "--active-limit", description = "agents a run may have and keep all live; beyond, it passivates "
      + "(default: norma.agents.passivation.active-limit, 100,000)")
  Integer activeLimit;

  @Option(names = "--churning-limit", description = "live agents the node keeps beyond the active limit "
      + "(default: norma.agents.passivation.churning-limit, 10,000; 0: the active limit)")
  Integer churningLimit;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (agents < 2) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(),
          "--agents must be at least 2, not " + agents);
    }
    if (interactions < agents || interactions % agents != 0) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(),
          "--interactions must be a positive multiple of --agents (whole population rounds), not " + interactions);
    }
    Config config = ConfigFactory.load();
    if (activeLimit != null) {
      config = ConfigFactory.parseString("norma.agents.passivation.active-limit = " + activeLimit).withFallback(config);
    }
    if (churningLimit != null) {
      config = ConfigFactory.parseString("norma.agents.passivation.churning-limit = " + churningLimit)
          .withFallback(config);
    }
    int limit = config.getInt("norma.agents.passivation.active-limit");
    int churning = config.getInt("norma.agents.passivation.churning-limit");
    if (limit <= 0 || agents <= limit) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(), String.format(Locale.ROOT,
          "--agents (%,d) must be more than the active limit (%,d; set it with --active-limit): no agent would be passivated",
          agents, limit));
    }
    int rounds = (int) (interactions / agents);
    ActorThroughputBenchmark.SideBySide run = ActorThroughputBenchmark.sideBySide(agents, rounds, seed, inFlight,
        config, ScaleBenchmark::untilAllPassivated, false);
    BenchmarkMeasures.printRates("interactions", run.actors(), run.plainRate(), run.plainCpu());
    double perPlayed = run.actors().bytesPerAgent() * agents / Math.max(1, run.played());
    System.out.printf(Locale.ROOT, "heap:        %,.0f bytes per idle agent at %,d agents (after full GC, every agent "
        + "that played (%,d) passivated, its packed state included; minus before, over those agents); "
        + "active limit %,d, churning limit %,d, max heap %,d MB%n",
        perPlayed, agents, run.played(), limit, churning, Runtime.getRuntime().maxMemory() >> 20);
    run.printSame();
    System.out.printf(Locale.ROOT, "target: <= 600 bytes per idle agent %s%n", perPlayed <= 600 ? "met" : "missed");
    return run.same() ? 0 : 1;
  }

  /** Passivates the agents the run left live (at most the active limit), as the limit would. */
  private static void untilAllPassivated(StudyRunner runner) throws Exception {
    int live = LiveAgents.count(runner.system());
    long start = System.nanoTime();
    LiveAgents.passivateAll(runner.system(), Duration.ofMinutes(2));
    System.out.printf(Locale.ROOT, "live:        %,d agents live as actors at the end of the run, all passivated %.1f s later%n",
        live, (System.nanoTime() - start) / 1e9);
  }
}
