package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The actor runtime must reproduce the single-threaded loop of the same seed interaction for
 * interaction, whatever the overlap of interactions in flight.
 */
class ActorRunEqualsPlainLoopTest {
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "population.size=24",
      "population.size=200;schedule.inFlight=1",
      "population.size=200;schedule.inFlight=50;schedule.kind=rounds",
      "population.size=199;schedule.kind=rounds",
      "game.kind=minimal-naming;population.size=300;policy.kind=rules",
      "game.kind=minimal-naming;game.poolSize=10;population.size=24;policy.kind=rules",
      "game.kind=binary-agreement;population.size=500;committed.fraction=0.12;policy.kind=rules;stop.flipWithinRounds=100",
      "population.size=48;game.memory=3;game.names=[A,B];committed.fraction=0.25;committed.introduce=prepared",
      "population.size=60;committed.count=12;committed.introduce=atRound 5;committed.name=Q",
      "game.kind=minimal-naming;population.size=100;policy.kind=rules;committed.count=15;committed.name=X;committed.introduce=atRound 3",
      "population.size=30;stop.maxRounds=7;stop.onConvergence=false;output.interactions=true",
      "game.kind=minimal-naming;policy.kind=rules;population.size=60;topology.kind=small-world;schedule.inFlight=20;stop.maxRounds=40",
      "game.kind=minimal-naming;policy.kind=rules;population.size=64;topology.kind=scale-free;schedule.kind=rounds;stop.maxRounds=60",
      "game.kind=minimal-naming;policy.kind=rules;population.size=60;topology.kind=rooms;topology.size=6;"
          + "topology.moveProbability=0.2;schedule.kind=rounds;schedule.inFlight=16;stop.maxRounds=40",
      "population.size=45;topology.kind=rooms;topology.size=5;topology.moveProbability=0.3;schedule.inFlight=10;"
          + "stop.onConvergence=false;stop.maxRounds=30",
      "game.kind=binary-agreement;population.size=300;policy.kind=rules;stop.flipWithinRounds=100;interventions=["
          + "{at: {round: 4}, action: commit, fraction: 0.15, name: A}, {at: {interaction: 2345}, action: uncommit, count: 20}]",
      "population.size=40;game.names=[Q,M];committed.count=6;committed.name=Q;stop.onConvergence=false;stop.maxRounds=12;"
          + "interventions=[{at: {round: 3}, action: uncommit, count: 3}, {at: {interaction: 250}, action: commit, count: 5, name: M}]",
      "population.size=60;game.names=[Q,M];committed.count=6;committed.name=Q;stop.onConvergence=false;stop.onFlip=false;"
          + "stop.maxRounds=25;schedule.inFlight=16;interventions=[{at: {round: 4}, action: removeAgents, fraction: 0.25},"
          + " {at: {interaction: 701}, action: rewire, topology: {kind: ring, k: 4}},"
          + " {at: {round: 15}, action: removeAgents, count: 3, committed: true}]",
      "game.kind=minimal-naming;policy.kind=rules;population.size=64;schedule.kind=rounds;topology.kind=small-world;"
          + "stop.maxRounds=40;interventions=[{at: {round: 5}, action: rewire, p: 0.3},"
          + " {at: {interaction: 579}, action: removeAgents, count: 10, committed: false},"
          + " {at: {round: 12}, action: rewire, topology: {kind: complete}}]",
      "population.size=40;game.names=[Q,M,X];policy.temperature=0.3;committed.count=4;committed.name=Q;"
          + "stop.onConvergence=false;stop.maxRounds=14;interventions=[{at: {round: 3}, action: relabel, from: Q, to: M}, "
          + "{at: {interaction: 250}, action: addNames, names: [K, L]}, {at: {round: 8}, action: payoff, success: 10}]",
  })
  void actorRunEqualsPlainLoop(String overrides) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: equality\n", List.of(overrides.split(";")))
        .resolved().withSeed(11);
    Path actors = temp.resolve("actors");
    Path plain = temp.resolve("plain");

    Summary summary = runner.run(spec, actors, ProgressListener.NONE);
    PopulationObserver reference = OracleRuns.write(spec, plain);

    assertThat(Files.readString(actors.resolve("rounds.csv")))
        .isEqualTo(Files.readString(plain.resolve("rounds.csv")));
    assertThat(RunFiles.gunzip(actors.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(plain.resolve("interactions.csv.gz")));
    assertThat(summary.interactions()).isEqualTo(reference.recorded());
    assertThat(summary.converged()).isEqualTo(reference.converged());
    assertThat(summary.winner()).isEqualTo(reference.winner());
    assertThat(summary.stopReason()).isEqualTo(reference.stopReason());
    assertThat(Files.readString(actors.resolve("spec.yaml"))).contains("seed: 11");
    if (!spec.interventions().isEmpty()) {
      assertThat(Files.readString(actors.resolve("interventions.csv")))
          .isEqualTo(Files.readString(plain.resolve("interventions.csv")))
          .startsWith("index,round,action,name,count,agents\n")
          .hasLineCount(1 + spec.interventions().size());
    }
  }

  @Test
  void summaryHasTheDocumentedFields() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: fields\n", List.of("population.size=48",
        "committed.fraction=0.25", "committed.introduce=prepared", "game.memory=3")).resolved().withSeed(3);
    runner.run(spec, temp.resolve("run"), ProgressListener.NONE);
    JsonNode json = new ObjectMapper().readTree(temp.resolve("run/summary.json").toFile());
    for (String field : List.of("interactions", "populationRounds", "converged", "convergenceInteraction",
        "winner", "finalShares", "wallSeconds", "interactionsPerSecond", "flipped", "flipRound")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    assertThat(json.get("status").asText()).isEqualTo("completed");
    assertThat(json.get("interactions").asLong()).isEqualTo(json.get("populationRounds").asLong() * 48);
  }

  @Test
  void continuousScheduleRecordsEveryInteractionOnce() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: continuous\n", List.of("population.size=100",
        "schedule.kind=continuous", "stop.maxRounds=20", "stop.onConvergence=false")).resolved().withSeed(5);
    Summary summary = runner.run(spec, temp.resolve("run"), ProgressListener.NONE);
    assertThat(summary.interactions()).isEqualTo(2000);
    List<String> rows = RunFiles.gunzip(temp.resolve("run/interactions.csv.gz")).lines().skip(1).toList();
    assertThat(rows).hasSize(2000);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).startsWith(i + ",");
    }
  }

  @Test
  void anInterruptedRunKeepsWhatItFinished() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: interrupted\n", List.of("population.size=2000",
        "stop.maxRounds=100000", "stop.onConvergence=false")).resolved().withSeed(8);
    java.util.concurrent.CountDownLatch underWay = new java.util.concurrent.CountDownLatch(1);
    ProgressListener watch = new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        if (snapshot.interactions() > 20_000) {
          underWay.countDown();
        }
      }
    };
    var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return runner.run(spec, temp.resolve("run"), watch);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    assertThat(underWay.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    Summary summary = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(summary.status()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(summary.interactions()).isGreaterThan(20_000);
    long rows = RunFiles.gunzip(temp.resolve("run/interactions.csv.gz")).lines().count() - 1;
    assertThat(rows).isEqualTo(summary.interactions());
    assertThat(Files.readAllLines(temp.resolve("run/rounds.csv"))).hasSize((int) (summary.interactions() / 2000) + 1);
  }
}
