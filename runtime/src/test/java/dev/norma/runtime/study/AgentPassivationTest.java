package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.measure.PopulationObserver;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node that may hold only a handful of live agents passivates them all the time — mid-turn,
 * with turns set aside, around interventions — and the run still equals the plain loop
 * interaction for interaction.
 */
class AgentPassivationTest {
  /** Live agents the node may hold per run, over its two shards. */
  private static final int ACTIVE_LIMIT = 6;

  private static StudyRunner runner;

  @TempDir
  Path temp;

  @BeforeAll
  static void startNode() {
    runner = new StudyRunner(ConfigFactory.parseString(
        "norma.agents.shards = 2\nnorma.agents.passivation.active-limit = " + ACTIVE_LIMIT)
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopNode() {
    runner.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "population.size=80;schedule.inFlight=24;stop.maxRounds=6;stop.onConvergence=false",
      "population.size=80;schedule.kind=rounds;schedule.inFlight=40;stop.maxRounds=6;stop.onConvergence=false",
      "population.size=80;game.names=[Q,M,X];committed.count=8;committed.name=Q;stop.onConvergence=false;"
          + "stop.onFlip=false;stop.maxRounds=10;schedule.inFlight=32;interventions=["
          + "{at: {round: 3}, action: uncommit, count: 3}, {at: {interaction: 361}, action: commit, count: 4, name: M},"
          + " {at: {round: 6}, action: relabel, from: Q, to: X}, {at: {round: 8}, action: removeAgents, fraction: 0.2}]",
  })
  void aRunWhoseAgentsArePassivatedEqualsThePlainLoop(String overrides) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: passivated\n", List.of(overrides.split(";")))
        .resolved().withSeed(17);
    Path actors = temp.resolve("actors");
    Path plain = temp.resolve("plain");
    Summary summary = runner.run(spec, actors, ProgressListener.NONE);
    // Every agent played; no more than the limit are live actors now (without passivation, all 80);
    // asked to rest (as the bench does after a run), none.
    assertThat(LiveAgents.count(runner.system())).isBetween(1, ACTIVE_LIMIT);
    LiveAgents.passivateAll(runner.system(), java.time.Duration.ofSeconds(30));
    assertThat(LiveAgents.count(runner.system())).isZero();
    PopulationObserver reference = OracleRuns.write(spec, plain);
    assertThat(summary.interactions()).isEqualTo(reference.recorded());
    assertThat(Files.readString(actors.resolve("rounds.csv"))).isEqualTo(Files.readString(plain.resolve("rounds.csv")));
    assertThat(RunFiles.gunzip(actors.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(plain.resolve("interactions.csv.gz")));
    if (!spec.interventions().isEmpty()) {
      assertThat(Files.readString(actors.resolve("interventions.csv")))
          .isEqualTo(Files.readString(plain.resolve("interventions.csv")));
    }
  }
}
