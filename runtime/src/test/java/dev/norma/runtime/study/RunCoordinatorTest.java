package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.testkit.RunFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator as an actor, on the journal that keeps nothing, with a probe in place of the
 * agents: the matchmaker's plays reach the probe, and the test sends back what a registry would.
 * Credit admits one new interaction per interaction that comes back, in any order, never more
 * than the window in flight nor more than a reach past the first one not back yet; the run
 * directory and summary come out equal to the plain loop's; Ctrl-C stops the run
 * with what was recorded; status tells where the run is.
 */
class RunCoordinatorTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  private static final int WINDOW = 8;

  @TempDir
  Path temp;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<ShardingEnvelope<AgentEntity.Command>> agents = testKit.createTestProbe();
  private final CompletableFuture<Summary> done = new CompletableFuture<>();

  private static StudyPlan plan() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        name: coordinator
        seed: 5
        population: {size: 10}
        schedule: {inFlight: %d}
        stop: {maxRounds: 6, onConvergence: false}
        """.formatted(WINDOW), List.of()).resolved();
    return new StudyPlan(spec, spec.seed());
  }

  private ActorRef<RunCoordinator.Command> start(StudyPlan plan, Path output) {
    RunCoordinator.Setup setup = new RunCoordinator.Setup("c1", plan, plan.spec(), output,
        RunSettings.fromConfig(testKit.system().settings().config()), ProgressListener.NONE, done,
        (context, batches) -> agents.getRef(), TransientJournal.PLUGIN_ID, false, "http://here");
    return testKit.spawn(RunCoordinator.create(setup));
  }

  /** The indices of the plays the probe receives until it has {@code count} of them. */
  private List<Long> plays(int count) {
    List<Long> indices = new ArrayList<>();
    while (indices.size() < count) {
      ShardingEnvelope<AgentEntity.Command> envelope = agents.receiveMessage(Duration.ofSeconds(10));
      if (envelope.message() instanceof AgentEntity.Play play) {
        indices.add(play.index());
      }
    }
    return indices;
  }

  private static RunCoordinator.RecordsArrived batch(List<InteractionRecord> records) {
    return new RunCoordinator.RecordsArrived(new NormRegistry.RecordBatch(records));
  }

  @Test
  void creditAdmitsOneNewInteractionPerFinishedOneAndTheFilesEqualThePlainLoop() throws Exception {
    StudyPlan plan = plan();
    List<InteractionRecord> records = new ArrayList<>();
    Path plain = temp.resolve("plain");
    try (RunDirectory out = new RunDirectory(plain, plan.spec(), plan.game(), plan.populationSize())) {
      new PlainLoop(plan).run(record -> {
        records.add(record);
        out.writeInteraction(record);
      }, out::writeRound);
    }
    ActorRef<RunCoordinator.Command> coordinator = start(plan, temp.resolve("run"));
    assertThat(plays(WINDOW)).as("the window is admitted at once").containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    agents.expectNoMessage(Duration.ofMillis(200));

    // Interaction 1 alone, out of order: nothing is recorded, but it left the window: one more.
    coordinator.tell(batch(List.of(records.get(1))));
    assertThat(plays(1)).containsExactly(8L);
    agents.expectNoMessage(Duration.ofMillis(300));
    // Then 2 and 0 (and 1 again, counted once): 0..2 are recorded, and two more are admitted.
    coordinator.tell(batch(List.of(records.get(2), records.get(1), records.get(0))));
    assertThat(plays(2)).containsExactly(9L, 10L);
    agents.expectNoMessage(Duration.ofMillis(200));

    // The rest come back as the agents would finish them: any of those admitted, shuffled, one
    // of each batch twice; interaction 3 last of all, as long as the reach lets the others run
    // ahead of it. Each step admits one new interaction per interaction back for the first time,
    // up to the window in flight and at most a reach (four windows) past the first one not back.
    int reach = RunLedger.REACH * WINDOW;
    Random random = new Random(9);
    List<Long> outstanding = new ArrayList<>(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L));
    java.util.Set<Long> returned = new java.util.HashSet<>(List.of(0L, 1L, 2L));
    long next = 3;
    long admitted = 11;
    boolean reachHeld = false;
    while (next < records.size()) {
      Collections.shuffle(outstanding, random);
      List<Long> back = new ArrayList<>(outstanding.subList(0, Math.max(1, outstanding.size() / 2)));
      if (outstanding.isEmpty() || admitted - next >= reach) {
        reachHeld |= admitted - next >= reach;
        back = new ArrayList<>(List.of(next));
        outstanding.add(next);
      }
      outstanding.removeAll(back);
      List<InteractionRecord> batch = new ArrayList<>();
      back.forEach(index -> batch.add(records.get(index.intValue())));
      batch.add(batch.get(0));
      coordinator.tell(batch(batch));
      returned.addAll(back);
      while (returned.contains(next)) {
        next++;
      }
      long inFlight = admitted - returned.size();
      long target = Math.min(records.size(), Math.min(admitted + (WINDOW - inFlight), next + reach));
      int more = (int) Math.max(0, target - admitted);
      List<Long> played = plays(more);
      for (int i = 0; i < more; i++) {
        assertThat(played.get(i)).isEqualTo(admitted + i);
      }
      outstanding.addAll(played);
      admitted += more;
      if (more == 0) {
        agents.expectNoMessage(Duration.ofMillis(100));
      }
    }
    assertThat(reachHeld).as("admission waited on the reach at least once").isTrue();
    Summary summary = done.get(30, TimeUnit.SECONDS);
    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(summary.stopReason()).isEqualTo("max-rounds");
    assertThat(summary.interactions()).isEqualTo(60);
    RunFiles.assertSameResults(temp.resolve("run"), plain);
  }

  @Test
  void ctrlCStopsTheRunWithWhatWasRecordedAndStatusSaysWhereItWas() throws Exception {
    StudyPlan plan = plan();
    List<InteractionRecord> records = new ArrayList<>();
    new PlainLoop(plan).run(records::add, null);
    ActorRef<RunCoordinator.Command> coordinator = start(plan, temp.resolve("stopped"));
    plays(WINDOW);
    coordinator.tell(batch(records.subList(0, 7)));
    plays(7);
    TestProbe<RunStatus> status = testKit.createTestProbe();
    coordinator.tell(new RunCoordinator.GetStatus(status.getRef()));
    RunStatus running = status.receiveMessage(Duration.ofSeconds(10));
    assertThat(running.state()).isEqualTo("running");
    assertThat(running.interactions()).isEqualTo(7);

    coordinator.tell(RunCoordinator.Interrupt.INSTANCE);
    Summary summary = done.get(30, TimeUnit.SECONDS);
    assertThat(summary.status()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(summary.interactions()).isEqualTo(7);
    assertThat(RunFiles.gunzipLines(temp.resolve("stopped").resolve("interactions.csv.gz")))
        .as("header and the 7 recorded interactions").hasSize(8);
    assertThat(temp.resolve("stopped").resolve("summary.json")).exists();
  }
}
