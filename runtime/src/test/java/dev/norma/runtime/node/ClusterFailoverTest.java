package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.ClusterNodes;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster (three JVMs on loopback, one shared journal) runs a durable study of
 * 4,000 agents; one node is killed with SIGKILL mid-run. The study completes with exactly the
 * results of the single-threaded loop of the same seed: nothing lost, nothing counted twice,
 * every agent's interactions applied once and in order. A non-durable study, which cannot
 * survive that, fails and says why.
 */
class ClusterFailoverTest {
  static final int AGENTS = 4_000;
  static final int ROUNDS = 4;
  /** The joining node needs a run long enough to start, join and be handed shards. */
  static final int JOIN_AGENTS = 10_000;
  /** How long the join test waits for its run to finish once the second node is started (it takes under a minute). */
  static final Duration JOIN_DEADLINE = Duration.ofMinutes(4);

  @TempDir
  Path temp;

  private ClusterNodes cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = ClusterNodes.withJournalServer(temp);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // a minute; the coordinator's node below holds agents too, so its loss covers this
  void killingANodeLosesNoInteraction() throws Exception {
    runAndKill(false);
  }

  @Test
  void killingTheCoordinatorsNodeLosesNoInteraction() throws Exception {
    runAndKill(true);
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // about a minute: a 10,000-agent durable run long enough to hand shards over
  void aNodeJoiningMidRunTakesOverShardsAndNothingIsLost() throws Exception {
    ClusterNodes.Node first = cluster.start();
    cluster.awaitMembersUp(first, 1);
    Path specFile = temp.resolve("join.yaml");
    // Long enough for the newcomer to join and for a rebalance (every 2 s here) to move shards:
    // a durable rule-based run writes one row per stretch, so it runs near in-memory speed.
    int rounds = 60;
    Files.writeString(specFile, "name: join\npopulation: {size: " + JOIN_AGENTS + "}\n"
        + "stop: {maxRounds: " + rounds + ", onConvergence: false}\n");
    String runId = cli("submit", specFile.toString(), "--to", first.hostPort(), "--seed", "99",
        "--durability", "durable").strip();
    cluster.awaitInteractions(first, runId, JOIN_AGENTS * rounds / 10);

    // The newcomer learns of the study, starts its region, and shards are handed over to it:
    // their agents stop where they were and hand their state, through the coordinator, to their
    // next incarnations on the new node.
    ClusterNodes.Node second = cluster.start();
    boolean tookShards = false;
    JsonNode status = cluster.get(first, "/runs/" + runId);
    // A deadline rather than a wait without end: a run stuck after a handover (as when an agent
    // stopped by its handoff was still told turns directly by partners on its old node) fails the
    // test, with where the run stopped, instead of holding the suite.
    long deadline = System.nanoTime() + JOIN_DEADLINE.toNanos();
    while (status.get("summary").isNull()) {
      assertThat(System.nanoTime())
          .as("run %s finished within %s of a node joining; it is %s at %s interactions", runId, JOIN_DEADLINE,
              status.path("state").asText(), status.path("interactions").asText())
          .isLessThan(deadline);
      JsonNode shards = cluster.get(second, "/runs/" + runId + "/shards");
      tookShards |= shards.has("entities") && shards.get("entities").asLong() > 0;
      Thread.sleep(200);
      status = cluster.get(first, "/runs/" + runId);
    }
    assertThat(tookShards).as("the joining node hosted agents of the running study").isTrue();
    assertThat(status.get("state").asText()).isEqualTo("completed");

    Path fetched = temp.resolve("fetched-join");
    cli("fetch", runId, "--to", second.hostPort(), "--out", fetched.toString());
    ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
    OracleRuns.write(spec, temp.resolve("plain-join"));
    RunFiles.assertSameResults(fetched, temp.resolve("plain-join"));
  }

  @Test
  void aNonDurableStudyFailsWhenANodeIsLostInsteadOfGoingOnWithAgentsThatForgot() throws Exception {
    ClusterNodes.Node first = cluster.start();
    ClusterNodes.Node second = cluster.start();
    ClusterNodes.Node third = cluster.start();
    cluster.awaitMembersUp(first, 3);
    Path specFile = temp.resolve("memory.yaml");
    Files.writeString(specFile, "name: memory\npopulation: {size: 2000}\nstop: {maxRounds: 1000000, onConvergence: false}\n");
    String runId = cli("submit", specFile.toString(), "--to", first.hostPort(), "--seed", "7").strip();
    cluster.awaitInteractions(second, runId, 20_000);
    third.process().destroyForcibly();

    JsonNode status = cluster.awaitEnd(second, runId, Duration.ofMinutes(1));
    assertThat(status.get("state").asText()).isEqualTo("failed");
    assertThat(status.get("summary").get("stopReason").asText()).contains("left the cluster")
        .contains("durability: durable");
  }

  private void runAndKill(boolean coordinatorsNode) throws Exception {
    ClusterNodes.Node first = cluster.start();
    ClusterNodes.Node second = cluster.start();
    ClusterNodes.Node third = cluster.start();
    cluster.awaitMembersUp(first, 3);

    Path specFile = temp.resolve("study.yaml");
    Files.writeString(specFile, "name: failover\npopulation: {size: " + AGENTS + "}\n"
        + "stop: {maxRounds: " + ROUNDS + ", onConvergence: false}\n");
    String runId = cli("submit", specFile.toString(), "--to", first.hostPort(), "--seed", "2026",
        "--durability", "durable").strip();

    // The coordinator is a singleton on the oldest node, the first; the third holds only agents.
    ClusterNodes.Node victim = coordinatorsNode ? first : third;
    ClusterNodes.Node survivor = second;
    cluster.awaitInteractions(survivor, runId, AGENTS * ROUNDS / 4);
    victim.process().destroyForcibly(); // SIGKILL

    JsonNode status = cluster.awaitEnd(survivor, runId, Duration.ofMinutes(3));
    assertThat(status.get("state").asText()).as(status.toPrettyString()).isEqualTo("completed");
    if (coordinatorsNode) {
      assertThat(status.get("resultsNode").asText()).as("the coordinator moved").isNotEqualTo(first.url());
    }

    Path fetched = temp.resolve("fetched");
    cli("fetch", runId, "--to", survivor.hostPort(), "--out", fetched.toString());
    ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
    PopulationObserver reference = OracleRuns.write(spec, temp.resolve("plain"));
    RunFiles.assertSameResults(fetched, temp.resolve("plain"));
    assertThat(status.get("summary").get("interactions").asLong()).isEqualTo(reference.recorded())
        .isEqualTo((long) AGENTS * ROUNDS);
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    return out.toString();
  }
}
