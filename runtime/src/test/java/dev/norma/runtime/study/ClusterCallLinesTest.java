package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.ClusterInference;
import dev.norma.testkit.RunFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster run's coordinator takes each node's numbered chunks of call lines once and in order:
 * a chunk after a gap waits to be sent again, a chunk sent twice is acknowledged and not written
 * twice, and a chunk that comes after the end is still added to the call journal.
 */
class ClusterCallLinesTest {
  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));

  @TempDir
  Path temp;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }


  @Test
  void eachNodesChunksAreJournaledOnceAndInOrder() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("""
        name: lines
        seed: 3
        population: {size: 4}
        policy: {kind: llm}
        inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
        """, List.of()).resolved();
    Path output = temp.resolve("run");
    TestProbe<ShardingEnvelope<AgentEntity.Command>> agents = testKit.createTestProbe();
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    RunCoordinator.Setup setup = new RunCoordinator.Setup("r1", plan, spec,
        output, RunSettings.fromConfig(testKit.system().settings().config()), ProgressListener.NONE, null,
        (context, batches) -> agents.getRef(), TransientJournal.PLUGIN_ID, false, "http://here",
        new ClusterInference(plan));
    ActorRef<RunCoordinator.Command> coordinator = testKit.spawn(RunCoordinator.create(setup));
    TestProbe<RunCoordinator.CallsAcked> acks = testKit.createTestProbe();
    String a = "pekko://norma@10.0.0.1:2552#1";
    String b = "pekko://norma@10.0.0.2:2552#2";

    // Chunk 2 of node a before its chunk 1 (chunk 1 was lost): not taken, not acknowledged.
    coordinator.tell(new RunCoordinator.CallsArrived(a, 2, List.of("{\"a\":2}"), acks.getRef()));
    acks.expectNoMessage(Duration.ofMillis(300));
    coordinator.tell(new RunCoordinator.CallsArrived(a, 1, List.of("{\"a\":1}"), acks.getRef()));
    assertThat(acks.receiveMessage().seq()).isEqualTo(1);
    coordinator.tell(new RunCoordinator.CallsArrived(a, 2, List.of("{\"a\":2}"), acks.getRef()));
    assertThat(acks.receiveMessage().seq()).isEqualTo(2);
    // Sent again after it was journaled (the acknowledgement was lost): acknowledged, not written twice.
    coordinator.tell(new RunCoordinator.CallsArrived(a, 1, List.of("{\"a\":1}"), acks.getRef()));
    assertThat(acks.receiveMessage().seq()).isEqualTo(2);
    // Another node numbers its chunks on its own.
    coordinator.tell(new RunCoordinator.CallsArrived(b, 1, List.of("{\"b\":1}"), acks.getRef()));
    assertThat(acks.receiveMessage().seq()).isEqualTo(1);

    TestProbe<RunStatus> status = testKit.createTestProbe();
    coordinator.tell(new RunCoordinator.Cancel(status.getRef()));
    assertThat(status.receiveMessage(Duration.ofSeconds(10)).state()).isEqualTo("cancelled");
    // A chunk that comes after the end is still one of the run's calls.
    coordinator.tell(new RunCoordinator.CallsArrived(a, 3, List.of("{\"a\":3}"), acks.getRef()));
    assertThat(acks.receiveMessage().seq()).isEqualTo(3);

    assertThat(RunFiles.gunzipLines(output.resolve("calls.jsonl.gz")))
        .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"b\":1}", "{\"a\":3}");
  }
}
