package dev.norma.loadtest;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.encounter.EncounterRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An encounter game by rule through the encounter engine (sharded agents, one short-lived actor
 * per encounter) against its reference {@link EncounterLoop} of the same seed, in one process:
 * encounters per second of each and their ratio, heap per agent the engine holds after the run,
 * and a check that both wrote the same interaction log and rounds (SHA-256 of the files).
 *
 * <p>The games are their examples' settings, built in; the game's own stop rules are off, so a
 * run plays every round asked and both sides play the same number of encounters.
 */
@Command(name = "encounters", mixinStandardHelpOptions = true,
    description = "An encounter game (by rule) through the encounter engine vs its reference loop.")
public final class EncounterBenchmark implements Callable<Integer> {
  /** Encounters a run plays when {@code --rounds} is not given, rounded to whole rounds. */
  static final long DEFAULT_ENCOUNTERS = 200_000;

  /** examples/ultimatum.yaml: no reputation, so offers fall; imitation every 10 rounds. */
  private static final String ULTIMATUM = """
      name: bench-encounters-ultimatum
      game:
        kind: ultimatum
        settings:
          reputation: false
          memory: 10
          informedProbability: 1.0
          revisionInterval: 10
          selectionIntensity: 50
          mutationProbability: 0.05
          mutationStep: 2
      policy:
        kind: rules
      schedule:
        kind: rounds
      stop:
        onConvergence: false
      """;

  /**
   * examples/higher-order-naming.yaml: groups of 3, beta 0.5, 10% committed to A. The population
   * reaches consensus after about 26 rounds; the run goes on past it (stop.onConvergence off).
   */
  private static final String HIGHER_ORDER_NAMING = """
      name: bench-encounters-higher-order-naming
      game:
        kind: higher-order-naming
        settings:
          groupSize: 3
          beta: 0.5
      committed:
        fraction: 0.10
        introduce: start
      policy:
        kind: rules
      schedule:
        kind: sequential
      stop:
        onConvergence: false
        onFlip: false
      """;

  /**
   * examples/crsec-large.yaml: rooms of 10 (3 advocates each), 10% change seats between periods;
   * by default 10,000 agents in 1,000 rooms for 20 periods, the population-scale study the CRSEC
   * study must run in under 10 minutes on a 2-core machine.
   */
  private static final String CRSEC = """
      name: bench-encounters-crsec
      topology:
        kind: rooms
        size: 10
        moveProbability: 0.1
      game:
        kind: crsec
        settings:
          advocatesPerRoom: 3
      policy:
        kind: rules
      schedule:
        kind: rounds
        inFlight: 200
      stop:
        onConvergence: false
      """;

  private static final Map<String, String> GAMES = Map.of(
      "ultimatum", ULTIMATUM, "higher-order-naming", HIGHER_ORDER_NAMING, "crsec", CRSEC);

  /** The CRSEC study's size when {@code --agents} and {@code --rounds} are not given. */
  static final int CRSEC_AGENTS = 10_000;
  static final long CRSEC_PERIODS = 20;
  /** The CRSEC study's target: {@link #CRSEC_AGENTS} agents for {@link #CRSEC_PERIODS} periods under this. */
  static final double CRSEC_TARGET_SECONDS = 600;

  @Spec
  CommandSpec command;

  @Option(names = "--game", description = "ultimatum, higher-order-naming or crsec (default ${DEFAULT-VALUE})")
  String game = "ultimatum";

  @Option(names = "--agents", description = "population size (default 2000; crsec: 10000, 1,000 rooms)")
  Integer agents;

  @Option(names = "--rounds", description = "population rounds (default: enough for about 200,000 encounters;"
      + " crsec: 20 periods)")
  Integer rounds;

  @Option(names = "--seed", description = "run seed (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--in-flight", description = "encounters in flight (default: the spec's default)")
  Integer inFlight;

  @Override
  public Integer call() throws Exception {
    String yaml = GAMES.get(game);
    if (yaml == null) {
      throw new ParameterException(command.commandLine(),
          "--game: expected ultimatum, higher-order-naming or crsec, got '" + game + "'");
    }
    boolean crsec = "crsec".equals(game);
    if (agents == null) {
      agents = crsec ? CRSEC_AGENTS : 2_000;
    }
    long perRound = EncounterRuns.gameOf(spec(yaml, 1)).encountersPerRound();
    long roundsPlayed = rounds != null ? rounds
        : crsec ? CRSEC_PERIODS : Math.max(1, Math.round(DEFAULT_ENCOUNTERS / (double) perRound));
    ExperimentSpec spec = spec(yaml, roundsPlayed);
    long encounters = roundsPlayed * perRound;
    Path work = Files.createTempDirectory("norma-bench-");
    System.out.printf(Locale.ROOT, "%s, by rule, actors vs EncounterLoop, %,d agents, %,d rounds, %,d encounters,"
        + " seed %d, %d in flight, %d cores%n", game, agents, roundsPlayed, encounters, seed, spec.schedule().inFlight(),
        Runtime.getRuntime().availableProcessors());

    // The reference loop: once to warm up the JIT, once timed.
    playLoop(spec);
    long t0 = System.nanoTime();
    long loopEncounters = playLoop(spec);
    double loopRate = loopEncounters / ((System.nanoTime() - t0) / 1e9);

    Path actorDir = work.resolve("actors");
    BenchmarkMeasures.ActorRun actors = BenchmarkMeasures.runOnNode(encounters, agents,
        (runner, progress) -> runner.runEncounters(spec, EncounterRuns.gameOf(spec), actorDir, progress));

    Path loopDir = work.resolve("loop");
    EncounterRuns.writeLoop(spec, EncounterRuns.gameOf(spec), loopDir);
    String actorInteractions = BenchmarkMeasures.digestOfGzip(actorDir.resolve("interactions.csv.gz"));
    String actorRounds = BenchmarkMeasures.digestOf(actorDir.resolve("rounds.csv"));
    boolean same = actorInteractions.equals(BenchmarkMeasures.digestOfGzip(loopDir.resolve("interactions.csv.gz")))
        && actorRounds.equals(BenchmarkMeasures.digestOf(loopDir.resolve("rounds.csv")));

    BenchmarkMeasures.printRates("encounters", actors, loopRate);
    System.out.printf(Locale.ROOT, "heap:        %,.0f bytes per agent (after full GC, agents idle with their minds after"
        + " the run, minus before, over N)%n", actors.bytesPerAgent());
    System.out.printf(Locale.ROOT, "same interactions and rounds as the plain loop: %s (sha256 %s, rounds %s)%n",
        same ? "yes" : "NO", actorInteractions.substring(0, 16), actorRounds.substring(0, 16));
    if (crsec) {
      double seconds = encounters / actors.rate();
      System.out.printf(Locale.ROOT, "target: %,d agents for %d periods under %.0f s: %.1f s for %,d agents and %d"
              + " periods (the study's time, as norma run prints it) %s%n", CRSEC_AGENTS, CRSEC_PERIODS, CRSEC_TARGET_SECONDS,
          seconds, agents, roundsPlayed,
          agents == CRSEC_AGENTS && roundsPlayed == CRSEC_PERIODS
              ? (seconds < CRSEC_TARGET_SECONDS ? "met" : "missed") : "(another size: not the target's)");
    }
    BenchmarkMeasures.deleteTree(work);
    return same ? 0 : 1;
  }

  private ExperimentSpec spec(String yaml, long maxRounds) throws Exception {
    List<String> sets = new ArrayList<>(List.of("population.size=" + agents, "stop.maxRounds=" + maxRounds,
        "output.interactions=true", "output.format=csv")); // the engine's rate, without Parquet copies
    if (inFlight != null) {
      sets.add("schedule.inFlight=" + inFlight);
    }
    return SpecLoader.parse(yaml, sets).resolved().withSeed(seed);
  }

  /** Plays the study as its reference loop, writing nothing; returns the encounters played. */
  private static long playLoop(ExperimentSpec spec) {
    return play(EncounterRuns.gameOf(spec), spec.population().size(), spec.stop().maxRounds());
  }

  private static <M extends Mind> long play(EncounterGame<M> game, int populationSize, long maxRounds) {
    EncounterLoop<M> loop = new EncounterLoop<>(game, populationSize);
    loop.run(maxRounds, null);
    return loop.encounters();
  }
}
