package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.testing.Interrupts;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A durable run (event-sourced agents and coordinator on an H2 journal in the run directory)
 * gives exactly the single-threaded loop's results, and running it again from its journal
 * rebuilds the same run directory without playing anything twice.
 */
class DurableRunTest {
  /**
   * Progress every few milliseconds, so that an interruption at a round lands there: a durable run
   * of rule-based agents plays a round of 100 agents in a few milliseconds.
   */
  private static final com.typesafe.config.Config FAST_PROGRESS =
      com.typesafe.config.ConfigFactory.parseString("norma.progress.interval = 5ms");

  @TempDir
  Path temp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "population.size=60;stop.maxRounds=20;stop.onConvergence=false",
      "population.size=50;schedule.kind=rounds;schedule.inFlight=7",
      "game.kind=binary-agreement;population.size=200;committed.fraction=0.12;policy.kind=rules;stop.flipWithinRounds=60",
      // A full window over many agents: thousands of events queued for the journal at once.
      "population.size=10000;stop.maxRounds=2;stop.onConvergence=false;schedule.inFlight=5000",
  })
  void durableRunEqualsPlainLoopAndReplaysToTheSameDirectory(String overrides) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: durable\ndurability: durable\n", List.of(overrides.split(";")))
        .resolved().withSeed(23);
    Path actors = temp.resolve("actors");
    Path plain = temp.resolve("plain");

    Summary summary;
    try (StudyRunner runner = StudyRunner.durable(actors)) {
      summary = runner.runDurable(spec, actors, ProgressListener.NONE);
    }
    PopulationObserver reference = OracleRuns.write(spec, plain);
    RunFiles.assertSameResults(actors, plain);
    assertThat(summary.interactions()).isEqualTo(reference.recorded());
    assertThat(summary.reissuedCalls()).isZero();
    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);

    // Started again on its journal, the run is already over: the directory is rebuilt, equal.
    Files.delete(actors.resolve("rounds.csv"));
    Summary again;
    try (StudyRunner runner = StudyRunner.durable(actors)) {
      again = runner.runDurable(spec, actors, ProgressListener.NONE);
    }
    RunFiles.assertSameResults(actors, plain);
    assertThat(again.interactions()).isEqualTo(summary.interactions());
    assertThat(again.stopReason()).isEqualTo(summary.stopReason());
  }

  @org.junit.jupiter.api.Test
  void anInterruptedDurableRunSaysSoAndResumesToTheUninterruptedResult() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: interrupted\ndurability: durable\n",
        List.of("population.size=500", "stop.maxRounds=50", "stop.onConvergence=false")).resolved().withSeed(8);
    Path run = temp.resolve("run");
    Summary interrupted;
    try (StudyRunner runner = StudyRunner.durable(run, FAST_PROGRESS)) {
      // Ctrl-C once some rounds are recorded.
      interrupted = runner.runDurable(spec, run, Interrupts.atRound(runner, 5));
    }
    assertThat(interrupted.status()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(interrupted.interactions()).isGreaterThan(0).isLessThan(500L * 50);
    assertThat(Files.readString(run.resolve("summary.json"))).contains("\"interrupted\"");

    Summary resumed;
    try (StudyRunner runner = StudyRunner.durable(run)) {
      resumed = runner.runDurable(spec, run, ProgressListener.NONE);
    }
    OracleRuns.write(spec, temp.resolve("plain"));
    RunFiles.assertSameResults(run, temp.resolve("plain"));
    assertThat(resumed.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(resumed.interactions()).isEqualTo(500L * 50);
  }
  /**
   * A session stopped after the journal holds the stretch that met a stop rule but before it wrote
   * the run's end (Ctrl-C or a kill in between, likelier the wider the window, since the last
   * stretches then come back together): resumed, the run ends there, completed, instead of
   * waiting for interactions its matchmaker will never admit.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(60)
  void aRunStoppedBetweenItsLastStretchAndItsEndEndsWhenResumed() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: last-stretch\ndurability: durable\n",
        List.of("population.size=100", "stop.maxRounds=10", "stop.onConvergence=false")).resolved().withSeed(4);
    Path run = temp.resolve("run");
    try (StudyRunner runner = StudyRunner.durable(run)) {
      assertThat(runner.runDurable(spec, run, ProgressListener.NONE).status()).isEqualTo(RunOutcome.COMPLETED);
    }
    JournalDatabase journal = JournalDatabase.h2(run.resolve(DurableRuns.JOURNAL_DIR));
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(journal.url(), journal.user(),
        journal.password()); java.sql.Statement statement = connection.createStatement()) {
      // The coordinator's last event is the run's end.
      assertThat(statement.executeUpdate("delete from \"event_journal\" where \"persistence_id\" like 'coordinator%'"
          + " and \"sequence_number\" = (select max(\"sequence_number\") from \"event_journal\""
          + " where \"persistence_id\" like 'coordinator%')")).isEqualTo(1);
    }
    Files.delete(run.resolve("summary.json"));

    Summary resumed;
    try (StudyRunner runner = StudyRunner.durable(run)) {
      resumed = runner.runDurable(spec, run, ProgressListener.NONE);
    }
    assertThat(resumed.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(resumed.stopReason()).isEqualTo("max-rounds");
    assertThat(resumed.interactions()).isEqualTo(100L * 10);
    OracleRuns.write(spec, temp.resolve("plain"));
    RunFiles.assertSameResults(run, temp.resolve("plain"));
    assertThat(run.resolve("summary.json")).exists();
  }

  /**
   * Rule-based agents are journaled through the coordinator: each interaction is written once, in
   * its stretch, and whenever the coordinator restarts the agents (as for a lost node) it gives
   * every one its state after the last recorded interaction and admits the rest again. Restarted
   * again and again mid-run — agents ahead of the journal, turns and answers in flight, records
   * coming back from before the restart — and with agents stopped mid-run as a moving shard stops
   * them (each hands its state over through the coordinator), the run still equals the plain loop.
   */
  @org.junit.jupiter.api.Test
  void agentsRestartedAgainAndAgainMidRunStillGiveThePlainLoop() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: restarts\ndurability: durable\n",
        List.of("population.size=2000", "stop.maxRounds=30", "stop.onConvergence=false")).resolved().withSeed(41);
    Path run = temp.resolve("run");
    int restarts = 0;
    int stopped = 0;
    Summary summary;
    // A turn told to an agent in the moment it stops is lost: a stall, which restarts the agents.
    com.typesafe.config.Config quickStalls = com.typesafe.config.ConfigFactory.parseString(
        "norma.recovery.stall-timeout = 1s");
    try (StudyRunner runner = StudyRunner.durable(run, quickStalls)) {
      java.util.concurrent.CompletableFuture<Summary> done = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return runner.runDurable(spec, run, ProgressListener.NONE);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      org.apache.pekko.actor.ActorSelection coordinator =
          org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(runner.system()).actorSelection("/system/coordinator-*");
      java.util.Random random = new java.util.Random(5);
      while (!done.isDone()) {
        Thread.sleep(120);
        if (restarts <= stopped) {
          coordinator.tell(new RunCoordinator.NodeLost("pekko://test@nowhere:1"),
              org.apache.pekko.actor.ActorRef.noSender());
          restarts++;
        } else if (Files.isRegularFile(run.resolve("journal/run-id"))) {
          // Agents stopped as sharding stops them when their shard moves: each hands its state to
          // its next incarnation through the coordinator.
          String runId = Files.readString(run.resolve("journal/run-id")).strip();
          var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(runner.system());
          try {
            for (int i = 0; i < 20; i++) {
              sharding.entityRefFor(AgentEntity.typeKey(runId), Integer.toString(random.nextInt(2000)))
                  .tell(AgentEntity.Retire.INSTANCE);
            }
            stopped++;
          } catch (IllegalStateException regionNotStartedYet) {
            // the run's agents are not up yet
          }
        }
      }
      summary = done.get();
    }
    assertThat(restarts).as("restarts asked for while the run went on").isGreaterThanOrEqualTo(3);
    assertThat(stopped).as("agents stopped while the run went on").isGreaterThanOrEqualTo(2);
    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(summary.interactions()).isEqualTo(2000L * 30);
    OracleRuns.write(spec, temp.resolve("plain"));
    RunFiles.assertSameResults(run, temp.resolve("plain"));
  }

  /**
   * Interventions before and after an interruption: the resumed agents (rebuilt from the
   * coordinator's recorded interactions) apply them at the same indices as the uninterrupted plain
   * loop, and interventions.csv is rebuilt the same.
   */
  @org.junit.jupiter.api.Test
  void aRunResumedAcrossInterventionsEqualsThePlainLoop() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        name: intervened
        durability: durable
        population: {size: 100}
        schedule: {inFlight: 2}
        game: {names: [Q, M]}
        stop: {maxRounds: 70, onConvergence: false, onFlip: false}
        interventions:
          - {at: {round: 20}, action: commit, count: 10, name: M}
          - {at: {round: 62}, action: uncommit, count: 5}
        """, List.of()).resolved().withSeed(4);
    Path run = temp.resolve("run");
    Summary resumed = interruptedAtRound55AndResumed(spec, run,
        interrupted -> assertThat(Files.readAllLines(interrupted.resolve("interventions.csv"))).hasSize(2));
    assertThat(resumed.interactions()).isEqualTo(100L * 70);
    assertThat(Files.readString(run.resolve("interventions.csv")))
        .contains("2000,20,commit,M,10,", "6200,62,uncommit,,5,");
  }

  /**
   * Agents leave and the network is rewired before and after an interruption: the resumed
   * matchmaker replays the changing schedule to where the journal ends, so the resumed run draws
   * the same pairs as the uninterrupted plain loop.
   */
  @org.junit.jupiter.api.Test
  void aRunResumedAcrossRemovalsAndRewiringEqualsThePlainLoop() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        name: rewired
        durability: durable
        population: {size: 100}
        schedule: {inFlight: 2}
        game: {names: [Q, M]}
        topology: {kind: small-world, k: 6}
        stop: {maxRounds: 70, onConvergence: false, onFlip: false}
        interventions:
          - {at: {round: 20}, action: removeAgents, fraction: 0.2}
          - {at: {round: 60}, action: rewire, p: 0.5}
          - {at: {interaction: 6301}, action: removeAgents, count: 10}
        """, List.of()).resolved().withSeed(4);
    Path run = temp.resolve("run");
    Summary resumed = interruptedAtRound55AndResumed(spec, run,
        interrupted -> assertThat(Files.readAllLines(interrupted.resolve("interventions.csv"))).hasSize(2));
    assertThat(resumed.interactions()).isEqualTo(100L * 70);
    assertThat(Files.readString(run.resolve("interventions.csv")))
        .contains("2000,20,removeAgents,,20,", "6000,60,rewire,rewired p=0.5,0,\n", "6301,63,removeAgents,,10,");
  }

  /** What can look at a run directory, and fail. */
  private interface RunCheck {
    void check(Path run) throws Exception;
  }

  /**
   * Runs {@code spec} (two interactions in flight, so that the coordinator writes a stretch of one
   * or two at a time and a round takes long enough to be interrupted in) into {@code run} until round 55, checks it there, resumes it to its end, and
   * asserts that its results and interventions.csv equal the uninterrupted plain loop's.
   */
  private Summary interruptedAtRound55AndResumed(ExperimentSpec spec, Path run, RunCheck atInterruption)
      throws Exception {
    try (StudyRunner runner = StudyRunner.durable(run, FAST_PROGRESS)) {
      assertThat(runner.runDurable(spec, run, Interrupts.atRound(runner, 55)).status())
          .isEqualTo(RunOutcome.INTERRUPTED);
    }
    atInterruption.check(run);
    Summary resumed;
    try (StudyRunner runner = StudyRunner.durable(run)) {
      resumed = runner.runDurable(spec, run, ProgressListener.NONE);
    }
    Path plain = temp.resolve("plain");
    OracleRuns.write(spec, plain);
    RunFiles.assertSameResults(run, plain);
    assertThat(Files.readString(run.resolve("interventions.csv")))
        .isEqualTo(Files.readString(plain.resolve("interventions.csv")));
    return resumed;
  }

  /**
   * Changes of the game before and after an interruption: a relabel the agents applied before the
   * interruption (and again when they are rebuilt from the journal), names added and a payoff
   * changed after it. The resumed run equals the uninterrupted plain loop.
   */
  @org.junit.jupiter.api.Test
  void aRunResumedAcrossChangesOfTheGameEqualsThePlainLoop() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        name: changed
        durability: durable
        population: {size: 100}
        schedule: {inFlight: 2}
        game: {names: [Q, M, X]}
        policy: {temperature: 0.5}
        stop: {maxRounds: 70, onConvergence: false, onFlip: false}
        interventions:
          - {at: {round: 20}, action: relabel, from: Q, to: X}
          - {at: {round: 58}, action: addNames, names: [K, L]}
          - {at: {round: 62}, action: payoff, success: 20}
        """, List.of()).resolved().withSeed(4);
    Path run = temp.resolve("run");
    interruptedAtRound55AndResumed(spec, run,
        interrupted -> assertThat(Files.readString(interrupted.resolve("interventions.csv"))).contains("relabel"));
    assertThat(Files.readString(run.resolve("interventions.csv")))
        .contains("2000,20,relabel,Q\u2192X,0,", "5800,58,addNames,K L,0,", "6200,62,payoff,success 20,0,");
    assertThat(Files.readString(run.resolve("shares.csv"))).contains(",K,");
  }
}
