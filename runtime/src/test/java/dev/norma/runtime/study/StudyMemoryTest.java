package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory a study is refused for is real: the estimate is within 2× of the heap a run actually
 * holds, measured with every agent live, at two population sizes.
 */
class StudyMemoryTest {
  @TempDir
  Path temp;

  @Test
  void theEstimateIsWithinTwiceTheLiveHeapOfARunAtTwoSizes() throws Exception {
    // One actor system for both runs: starting and stopping one costs more than a run here.
    try (StudyRunner runner = new StudyRunner()) {
      for (int population : new int[] {8_000, 24_000}) {
        ExperimentSpec spec = SpecLoader.parse("name: memory\nseed: 3\npopulation: {size: " + population + "}\n"
            + "schedule: {kind: rounds}\nstop: {maxRounds: 100000, onConvergence: false}\n"
            + "output: {interactions: false}\n", List.of()).resolved();
        long estimate = StudyMemory.of(spec, 1, 256).bytes();
        long measured = liveHeapOfRun(runner, spec, temp.resolve("run-" + population));
        System.out.printf("population %,d: estimate %,d bytes, measured %,d bytes (%.2f)%n", population, estimate,
            measured, (double) estimate / measured);
        assertThat((double) estimate / measured).as("estimate %,d vs measured %,d at %,d agents", estimate,
            measured, population).isBetween(0.5, 2.0);
      }
    }
  }

  /**
   * A durable run of rule-based agents: its agents journaled through the coordinator, which keeps a
   * copy of every mind, and the embedded journal.
   */
  @Test
  void aDurableRunsEstimateIsWithinTwiceItsLiveHeapAtTwoSizes() throws Exception {
    for (int population : new int[] {8_000, 24_000}) {
      ExperimentSpec spec = SpecLoader.parse("name: memory\nseed: 3\npopulation: {size: " + population + "}\n"
          + "durability: durable\nschedule: {kind: rounds}\nstop: {maxRounds: 100000, onConvergence: false}\n"
          + "output: {interactions: false}\n", List.of()).resolved();
      long estimate = StudyMemory.of(spec, 1, 256).bytes();
      Path dir = temp.resolve("durable-" + population);
      long measured;
      try (StudyRunner runner = StudyRunner.durable(dir)) {
        measured = liveHeapOfRun(runner, spec, dir);
      }
      System.out.printf("durable, population %,d: estimate %,d bytes, measured %,d bytes (%.2f)%n", population,
          estimate, measured, (double) estimate / measured);
      assertThat((double) estimate / measured).as("estimate %,d vs measured %,d at %,d agents", estimate,
          measured, population).isBetween(0.5, 2.0);
    }
  }

  /** The ledger's copy of every mind lives whole on the coordinator's node: each node counts it whole. */
  @Test
  void onManyNodesEachCountsTheCoordinatorsLedgerWhole() throws Exception {
    ExperimentSpec inMemory = SpecLoader.parse("population: {size: 100000}\n", List.of()).resolved();
    ExperimentSpec durable = SpecLoader.parse("population: {size: 100000}\ndurability: durable\n", List.of()).resolved();
    long mind = dev.norma.agents.game.Games.forKind(durable.game().kind()).mindBytes(durable);
    long oneNode = StudyMemory.of(durable, 1, 256).bytes() - StudyMemory.of(inMemory, 1, 256).bytes();
    long ofFour = StudyMemory.of(durable, 4, 256).bytes() - StudyMemory.of(inMemory, 4, 256).bytes();
    assertThat(ofFour).as("a quarter of the agents, but every mind of the ledger").isGreaterThan(100_000 * mind)
        .isLessThan(oneNode);
  }

  @Test
  void aPopulationOfTwoBillionIsEstimatedInTerabytesWithoutOverflow() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("population: {size: 2000000000}\n", List.of()).resolved();
    StudyMemory memory = StudyMemory.of(spec, 1, 256);
    assertThat(memory.bytes()).isGreaterThan(2_000_000_000L * 1_000);
    assertThat(memory.describe()).contains("TB").contains("2,000,000,000 agents");
    assertThat(StudyMemory.of(spec, 4, 256).agents()).isEqualTo(500_000_000L);
  }

  /** Beyond the active limit agents are passivated: they cost their packed state, not a live actor. */
  @Test
  void passivatedAgentsCostTheirPackedStateOnly() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("population: {size: 1000000}\n", List.of()).resolved();
    StudyMemory passivating = StudyMemory.of(spec, 1, 256, 100_000);
    StudyMemory live = StudyMemory.of(spec, 1, 256);
    assertThat(passivating.liveAgents()).isEqualTo(100_000);
    assertThat(passivating.perAgent()).isLessThan(200);
    assertThat(passivating.bytes()).isLessThan(live.bytes() / 4);
    assertThat(passivating.describe()).contains("1,000,000 agents × ").contains("100,000 of them live");
    // A population within the limit is never passivated, and a durable one never is.
    assertThat(StudyMemory.of(SpecLoader.parse("population: {size: 1000}\n", List.of()).resolved(), 1, 256, 100_000)
        .bytes()).isEqualTo(StudyMemory.of(SpecLoader.parse("population: {size: 1000}\n", List.of()).resolved(), 1, 256)
        .bytes());
    ExperimentSpec durable = SpecLoader.parse("population: {size: 1000000}\ndurability: durable\n", List.of()).resolved();
    assertThat(StudyMemory.of(durable, 1, 256, 100_000).liveAgents()).isEqualTo(1_000_000);
  }

  @Test
  void aNodeAlreadyHoldingStudiesAllowsTheNextOneOnlyWhatIsLeft() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("population: {size: 100000}\n", List.of()).resolved();
    StudyLimits limits = new StudyLimits(0, 0.7);
    long heap = 1L << 30; // 100,000 agents need about 138 MB; a study may have 717 MB of 1 GB
    assertThat(limits.refusal(spec, 1, 256, heap, 0)).isNull();
    assertThat(limits.refusal(spec, 1, 256, heap, 600L << 20))
        .contains("population.size: 100,000 agents need about 138.").contains("less the 600.0 MB its running studies hold");
    assertThat(new StudyLimits(50_000, 0.7).refusal(spec, 1, 256, heap, 0))
        .contains("more than the 50,000 this node accepts");
  }

  /** The heap the run holds once every agent has played (after a full collection), less what was there before. */
  private static long liveHeapOfRun(StudyRunner runner, ExperimentSpec spec, Path dir) throws Exception {
    long before = usedAfterCollection();
    CompletableFuture<Long> measured = new CompletableFuture<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        // Once a round of the rounds schedule is over every agent has played, so all are live.
        if (snapshot.round() >= 1 && !measured.isDone()) {
          measured.complete(usedAfterCollection() - before);
          runner.interrupt();
        }
      }
    };
    if (spec.durable()) {
      runner.runDurable(spec, dir, listener);
    } else {
      runner.run(spec, dir, listener);
    }
    return measured.getNow(-1L);
  }

  private static long usedAfterCollection() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
