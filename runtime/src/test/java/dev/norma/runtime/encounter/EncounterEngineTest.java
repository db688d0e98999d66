package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The encounter engine (sharded agents that lend their minds, one short-lived actor per encounter
 * and per population step) must write exactly what {@link EncounterLoop} computes for the seed,
 * whatever the number of encounters in flight. The game here is made to notice any disorder:
 * every draw and every value depends on what each participant did before, and a population step
 * every other round touches everyone.
 */
class EncounterEngineTest {
  private static StudyRunner runner;

  @TempDir
  Path temp;

  @BeforeAll
  static void startNode() {
    runner = new StudyRunner();
  }

  @AfterAll
  static void stopNode() {
    runner.close();
  }

  @ParameterizedTest(name = "{0} agents, groups of {1}, {2} in flight")
  @CsvSource({"30, 3, 1", "30, 3, 7", "61, 4, 2000", "12, 2, 5"})
  void actorRunEqualsTheLoop(int agents, int groupSize, int inFlight) throws Exception {
    ExperimentSpec spec = spec(agents, inFlight, 9);
    Summary summary = run(spec, new Relay(agents, groupSize, 5, spec.seed()), temp.resolve("actors"));

    Expected expected = expected(new Relay(agents, groupSize, 5, spec.seed()), agents, 9);
    assertThat(Files.readString(temp.resolve("actors/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(RunFiles.gunzip(temp.resolve("actors/interactions.csv.gz"))).isEqualTo(expected.interactions());
    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(summary.stopReason()).isEqualTo(EncounterLoop.MAX_ROUNDS);
    assertThat(summary.interactions()).isEqualTo(9L * agents);
    assertThat(summary.populationRounds()).isEqualTo(9);
    assertThat(summary.measures()).containsOnlyKeys("meanValue", "evenShare");
    assertThat(temp.resolve("actors/report.png")).isNotEmptyFile();
  }

  @Test
  void theGamesStopRuleEndsTheRunAtTheSameRound() throws Exception {
    ExperimentSpec spec = spec(40, 16, 50);
    // Stops once a round's mean value is at least 5: well before 50 rounds.
    Summary summary = run(spec, new Relay(40, 3, 5, spec.seed()).stoppingAt(5.0), temp.resolve("actors"));

    Expected expected = expected(new Relay(40, 3, 5, spec.seed()).stoppingAt(5.0), 40, 50);
    assertThat(summary.stopReason()).isEqualTo("high").isEqualTo(expected.reason());
    assertThat(Files.readString(temp.resolve("actors/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(summary.populationRounds()).isLessThan(50);
  }

  /** The games written as modules, from their examples, through the registry: actor run = loop. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "higher-order-naming.yaml | population.size=150;schedule.inFlight=40",
      "higher-order-naming.yaml | population.size=120;game.settings.groupSize=5;game.settings.beta=0.4;stop.maxRounds=15",
      "ultimatum.yaml | population.size=40;stop.maxRounds=25;schedule.inFlight=9",
      "ultimatum.yaml | population.size=31;stop.maxRounds=30;game.settings.reputation=true",
      "ultimatum.yaml | population.size=40;stop.maxRounds=20;topology.kind=rooms;topology.size=4;topology.moveProbability=0.3;schedule.inFlight=7",
      "higher-order-naming.yaml | population.size=90;stop.maxRounds=20;topology.kind=rooms;topology.size=6;topology.moveProbability=0.2;schedule.inFlight=25",
      "crsec.yaml | population.size=150;stop.maxRounds=12;schedule.inFlight=4",
      "crsec.yaml | population.size=60;topology.size=6;topology.moveProbability=0.5;schedule.inFlight=100",
      "crsec.yaml | population.size=150;stop.maxRounds=8;interventions=[{at: {round: 3}, action: uncommit, fraction: 0.5}]",
      "crsec.yaml | population.size=150;stop.maxRounds=8;interventions=[{at: {round: 1}, action: removeAgents, committed: true, fraction: 1}, {at: {round: 3}, action: removeAgents, committed: false, count: 30}]",
      "crsec.yaml | population.size=60;topology.size=6;stop.maxRounds=6;schedule.inFlight=7;interventions=[{at: {round: 2}, action: removeAgents, count: 54}]",
  })
  void theModulesGamesRunAsTheirLoops(String example, String overrides) throws Exception {
    List<String> sets = new java.util.ArrayList<>(List.of(overrides.split(";")));
    sets.add("output.interactions=true");
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", example), sets).resolved().withSeed(23);
    Summary summary = EncounterRuns.start(runner.system(), spec, temp.resolve("actors"), ProgressListener.NONE)
        .done().get(120, TimeUnit.SECONDS);

    Expected expected = expected(EncounterRuns.gameOf(spec), spec.population().size(), spec.stop().maxRounds());
    assertThat(Files.readString(temp.resolve("actors/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(RunFiles.gunzip(temp.resolve("actors/interactions.csv.gz"))).isEqualTo(expected.interactions());
    assertThat(summary.stopReason()).isEqualTo(expected.reason());
    Path interventions = temp.resolve("actors/interventions.csv");
    if (spec.interventions().isEmpty()) {
      assertThat(interventions).doesNotExist();
    } else if (overrides.contains("removeAgents")) {
      assertThat(Files.readString(interventions)).isEqualTo(expected.interventions());
      // Those that left play no more: the encounters from their period on hold only those present.
      String left = Files.readAllLines(interventions).get(1).split(",")[5];
      long from = Long.parseLong(Files.readAllLines(interventions).get(1).split(",")[0]);
      for (String row : RunFiles.gunzip(temp.resolve("actors/interactions.csv.gz")).split("\n")) {
        String[] fields = row.split(",");
        if (fields[0].matches("\\d+") && Long.parseLong(fields[0]) >= from) {
          assertThat(List.of(fields[2].split(" "))).doesNotContainAnyElementsOf(List.of(left.split(" ")));
        }
      }
    } else {
      assertThat(Files.readString(interventions)).isEqualTo(expected.interventions());
      // Period 3 begins at encounter 3 × 15 rooms; half the 3 × 15 advocates, each an advocate's seat.
      List<String> rows = Files.readAllLines(interventions);
      assertThat(rows).hasSize(2).first().isEqualTo("index,round,action,name,count,agents");
      assertThat(rows.get(1)).startsWith("45,3,uncommit,,23,");
      List<Integer> agents = java.util.Arrays.stream(rows.get(1).split(",")[5].split(" ")).map(Integer::valueOf)
          .toList();
      assertThat(agents).hasSize(23).doesNotHaveDuplicates().allMatch(id -> id % 10 < 3 && id < 150);
    }
  }

  private static ExperimentSpec spec(int agents, int inFlight, int rounds) throws Exception {
    return SpecLoader.parse("name: encounters\n", List.of("population.size=" + agents,
            "schedule.inFlight=" + inFlight, "stop.maxRounds=" + rounds, "output.interactions=true"))
        .resolved().withSeed(17);
  }

  private static Summary run(ExperimentSpec spec, Relay game, Path dir) throws Exception {
    EncounterRuns.Running running = EncounterRuns.start(runner.system(), spec, game, dir, ProgressListener.NONE);
    return running.done().get(120, TimeUnit.SECONDS);
  }

  /** The loop's files; {@code interventions} is {@code interventions.csv}, empty when none is reached. */
  record Expected(String rounds, String interactions, String reason, String interventions) {
  }

  /** The loop's files, written as the engine writes them. */
  static <M extends Mind> Expected expected(EncounterGame<M> game, int populationSize, long maxRounds) {
    return expected(game, populationSize, maxRounds, null);
  }

  /** The loop's files with {@code model} answering every turn (null: the game's rule plays). */
  static <M extends Mind> Expected expected(EncounterGame<M> game, int populationSize, long maxRounds,
                                            EncounterLoop.Model model) {
    StringBuilder rounds = new StringBuilder("round,interactions," + String.join(",", game.newMeasures().columns())
        + "\n");
    StringBuilder interactions = new StringBuilder("index,round,participants,"
        + String.join(",", game.outcomeColumns()) + "\n");
    StringBuilder interventions = new StringBuilder();
    EncounterLoop<M> loop = new EncounterLoop<>(game, populationSize);
    long[] played = new long[1];
    String reason = loop.run(maxRounds, new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
        played[0]++;
        for (var applied : game.interventions()) {
          if (applied.index() == index) {
            interventions.append(interventions.isEmpty() ? "index,round,action,name,count,agents\n" : "")
                .append(applied.index()).append(',').append(applied.index() / game.encountersPerRound())
                .append(',').append(applied.action()).append(',').append(applied.name()).append(',')
                .append(applied.agents().length).append(',')
                .append(java.util.Arrays.stream(applied.agents()).mapToObj(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" "))).append('\n');
          }
        }
        interactions.append(index).append(',').append(index / game.encountersPerRound()).append(',');
        for (int i = 0; i < members.length; i++) {
          interactions.append(i == 0 ? "" : " ").append(members[i]);
        }
        for (double value : outcome) {
          interactions.append(',').append(EncounterFiles.number(value));
        }
        interactions.append('\n');
      }

      @Override
      public void round(long round, double[] row) {
        rounds.append(round).append(',').append(played[0]);
        for (double value : row) {
          rounds.append(',').append(EncounterFiles.number(value));
        }
        rounds.append('\n');
      }
    }, model);
    return new Expected(rounds.toString(), interactions.toString(), reason, interventions.toString());
  }

  /**
   * A test game: each agent holds a digit; in an encounter every participant draws from its own
   * stream, and each takes a new digit from the group's sum and its own place, so an encounter
   * seen out of order changes everything after it. After every second round all agents shift
   * their digit by the first agent's and a draw below {@code stepEvery}.
   */
  static final class Relay implements EncounterGame<Relay.Cell> {
    private final int size;
    private final int groupSize;
    private final int stepEvery;
    private final long seed;
    private double stopAt = Double.NaN;

    Relay(int size, int groupSize, int stepEvery, long seed) {
      this.size = size;
      this.groupSize = groupSize;
      this.stepEvery = stepEvery;
      this.seed = seed;
    }

    Relay stoppingAt(double meanValue) {
      this.stopAt = meanValue;
      return this;
    }

    static final class Cell extends Mind {
      int digit;

      Cell(int id, long seed) {
        super(id, seed);
        digit = id % 10;
      }

      @Override
      protected int[] contents() {
        return new int[] {digit};
      }

      @Override
      protected void restoreContents(int[] contents) {
        digit = contents[0];
      }
    }

    @Override
    public int participants() {
      return groupSize;
    }

    @Override
    public Cell newMind(int agentId) {
      return new Cell(agentId, seed);
    }

    @Override
    public EncounterSchedule newSchedule() {
      Streams.RandomStream random = new Streams.RandomStream(seed, Streams.SCHEDULE_STREAM);
      return members -> {
        for (int i = 0; i < members.length; i++) {
          int candidate;
          boolean taken;
          do {
            candidate = random.nextInt(size);
            taken = false;
            for (int j = 0; j < i; j++) {
              taken |= members[j] == candidate;
            }
          } while (taken);
          members[i] = candidate;
        }
      };
    }

    @Override
    public long encountersPerRound() {
      return size;
    }

    @Override
    public double[] play(Cell[] group, long index) {
      int sum = 0;
      for (Cell cell : group) {
        sum += cell.digit + cell.nextInt(10);
      }
      for (int i = 0; i < group.length; i++) {
        group[i].digit = (sum + i + (int) (index % 3)) % 10;
      }
      return new double[] {sum};
    }

    @Override
    public List<String> outcomeColumns() {
      return List.of("sum");
    }

    @Override
    public double[] observe(Cell mind) {
      return new double[] {mind.digit};
    }

    @Override
    public boolean populationStepAfter(long round) {
      return round % 2 == 1;
    }

    @Override
    public void populationStep(Cell[] population, long round) {
      int first = population[0].digit;
      for (Cell cell : population) {
        cell.digit = (cell.digit + first + cell.nextInt(stepEvery)) % 10;
      }
    }

    @Override
    public EncounterMeasures newMeasures() {
      return new EncounterMeasures() {
        private long total;
        private long even;
        private long encounters;

        @Override
        public List<String> columns() {
          return List.of("meanValue", "evenShare");
        }

        @Override
        public void observed(int agent, double[] before, double[] after) {
          total += (long) after[0] - (before == null ? 0 : (long) before[0]);
        }

        @Override
        public void encounter(long index, int[] members, double[] outcome) {
          encounters++;
          if (((long) outcome[0]) % 2 == 0) {
            even++;
          }
        }

        @Override
        public double[] endRound(long round) {
          double[] row = {(double) total / size, encounters == 0 ? 0 : (double) even / encounters};
          even = 0;
          encounters = 0;
          return row;
        }

        @Override
        public String stopAfter(long round, double[] row) {
          return row[0] >= stopAt ? "high" : null;
        }
      };
    }
  }
}
