package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.runtime.testing.TestPostgres;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's journal path: a durable study on PostgreSQL equals the plain loop, and started
 * again it recovers from PostgreSQL. Needs a server at NORMA_TEST_PG_URL (default
 * jdbc:postgresql://127.0.0.1:5432/norma, user and password norma); skipped without one, except
 * in CI ({@code CI=true}), whose script installs and starts PostgreSQL, where its absence fails.
 */
class PostgresJournalTest {
  private static JournalDatabase database;

  @TempDir
  Path temp;

  @BeforeAll
  static void findPostgres() {
    database = TestPostgres.find().orElse(null);
    assumeTrue(database != null, "no PostgreSQL for the journal test");
  }

  @Test
  void aDurableStudyOnPostgresEqualsThePlainLoopAndRecoversFromIt() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: postgres\ndurability: durable\n",
        List.of("population.size=300", "stop.maxRounds=15", "stop.onConvergence=false")).resolved().withSeed(31);
    Path run = temp.resolve("run");
    Summary summary;
    try (StudyRunner runner = StudyRunner.durable(database)) {
      summary = runner.runDurable(spec, run, ProgressListener.NONE);
    }
    PopulationObserver reference = OracleRuns.write(spec, temp.resolve("plain"));
    RunFiles.assertSameResults(run, temp.resolve("plain"));
    assertThat(summary.interactions()).isEqualTo(reference.recorded()).isEqualTo(4500);

    String runId = Files.readString(run.resolve("journal/run-id")).strip();
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password())) {
      ResultSet agentRows = connection.createStatement().executeQuery(
          "select count(*) from event_journal where persistence_id like 'agent-" + runId + "|%'");
      agentRows.next();
      assertThat(agentRows.getLong(1)).as("rule-based agents are journaled through the coordinator").isZero();
      ResultSet coordinatorRows = connection.createStatement().executeQuery(
          "select count(*) from event_journal where persistence_id = 'coordinator|" + runId + "'");
      coordinatorRows.next();
      assertThat(coordinatorRows.getLong(1)).as("stretches of many interactions, and the end")
          .isBetween(2L, 4500L / 10);
    }

    Files.delete(run.resolve("interactions.csv.gz"));
    try (StudyRunner runner = StudyRunner.durable(database)) {
      assertThat(runner.runDurable(spec, run, ProgressListener.NONE).interactions()).isEqualTo(4500);
    }
    RunFiles.assertSameResults(run, temp.resolve("plain"));
  }
}
