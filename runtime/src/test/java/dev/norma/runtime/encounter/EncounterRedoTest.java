package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable encounter study told mid-run, more than once, that a node left the cluster restarts
 * from its ledger each time: the encounters under way are stopped and redone with the same slots
 * and turns, every agent (mid-lend, some) gets its settled mind again, and the run's files equal
 * the loop's byte for byte, agents that left by a {@code removeAgents} before some of the restarts
 * included. One node, no cluster: the multi-JVM kill is
 * {@code ClusterEncounterFailoverTest}'s.
 */
class EncounterRedoTest {
  @TempDir
  Path temp;

  @Test
  void aCrsecStudyRestartedAfterThreeRoundsEqualsTheLoop() throws Exception {
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", "crsec.yaml"),
        List.of("population.size=60", "stop.maxRounds=8", "schedule.inFlight=16",
            "interventions=[{at: {round: 2}, action: removeAgents, count: 40}]")).withSeed(31)
        .withDurability("durable");
    Path dir = temp.resolve("run");
    Set<Long> lostAfter = Set.of(1L, 3L, 6L);
    AtomicReference<EncounterRuns.Running> running = new AtomicReference<>();
    ProgressListener losing = new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        // Told twice of each node, as every surviving node tells it: the second changes nothing.
        if (lostAfter.contains(snapshot.round()) && running.get() != null) {
          running.get().nodeLost().accept("pekko://norma@10.0.0." + snapshot.round() + ":25520");
          running.get().nodeLost().accept("pekko://norma@10.0.0." + snapshot.round() + ":25520");
        }
      }
    };
    Summary summary;
    try (StudyRunner runner = StudyRunner.durable(dir)) {
      running.set(EncounterRuns.start(runner.system(), spec, EncounterRuns.gameOf(spec), dir, losing,
          StudyOptions.defaults(), true));
      summary = running.get().done().get(60, TimeUnit.SECONDS);
    }
    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);

    Path loop = temp.resolve("loop");
    EncounterRuns.writeLoop(spec, EncounterRuns.gameOf(spec), loop);
    assertThat(Files.readString(dir.resolve("rounds.csv"))).isEqualTo(Files.readString(loop.resolve("rounds.csv")));
    assertThat(RunFiles.gunzip(dir.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(loop.resolve("interactions.csv.gz")));
    assertThat(Files.readString(dir.resolve("interventions.csv")))
        .isEqualTo(Files.readString(loop.resolve("interventions.csv")));
    assertThat(summary.interactions()).isEqualTo(8L * EncounterRuns.gameOf(spec).encountersPerRound());
  }
}
