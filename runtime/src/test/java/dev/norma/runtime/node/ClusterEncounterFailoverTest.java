package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.testing.ClusterNodes;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encounter game on a three-node cluster (three JVMs on loopback, one shared journal) loses a
 * node to SIGKILL mid-run. A durable ultimatum study of 300 agents, its encounters borrowing minds
 * across the nodes, completes with exactly the loop's files for the seed whether the node held
 * only agents (the coordinator redoes what was under way from its ledger, the lost agents
 * re-created elsewhere and given their settled minds) or held the coordinator too (the singleton
 * starts on another node and recovers from the journal). A non-durable study, which has no
 * journal to redo from, fails and says to run it durable. Each case about a minute: opt-in.
 */
@Tag("slow")
class ClusterEncounterFailoverTest {
  private static final int AGENTS = 300;
  private static final int ROUNDS = 40;

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  @Test
  void killingANodeHoldingOnlyAgentsLosesNoEncounter() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.withJournalServer(temp)) {
      runAndKill(cluster, false);
    }
  }

  @Test
  void killingTheCoordinatorsNodeLosesNoEncounter() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.withJournalServer(temp)) {
      runAndKill(cluster, true);
    }
  }

  @Test
  void aNonDurableStudyFailsWhenANodeHoldingItsAgentsIsLost() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.withJournalServer(temp)) {
      List<ClusterNodes.Node> nodes = cluster.startMembers(3);
      String runId = submit(nodes.get(0), "none", 100_000);
      cluster.awaitInteractions(nodes.get(1), runId, AGENTS * 5);
      JsonNode status = cluster.killAndAwaitEnd(nodes.get(2), nodes.get(1), runId, Duration.ofMinutes(1));
      assertThat(status.get("state").asText()).isEqualTo("failed");
      assertThat(status.get("summary").get("stopReason").asText()).contains("left the cluster")
          .contains("durability: durable");
    }
  }

  private void runAndKill(ClusterNodes cluster, boolean coordinatorsNode) throws Exception {
    List<ClusterNodes.Node> nodes = cluster.startMembers(3);
    ClusterNodes.Node first = nodes.get(0);
    ClusterNodes.Node second = nodes.get(1);
    ClusterNodes.Node third = nodes.get(2);
    String runId = submit(first, "durable", ROUNDS);

    // The coordinator is a singleton on the oldest node, the first; the third holds only agents.
    ClusterNodes.Node victim = coordinatorsNode ? first : third;
    ClusterNodes.Node survivor = second;
    cluster.awaitInteractions(survivor, runId, (long) AGENTS * ROUNDS / 5);
    JsonNode status = cluster.killAndAwaitEnd(victim, survivor, runId, Duration.ofMinutes(3));
    assertThat(status.get("state").asText()).as(status.toPrettyString()).isEqualTo("completed");
    if (coordinatorsNode) {
      assertThat(status.get("resultsNode").asText()).as("the coordinator moved").isNotEqualTo(first.url());
    }

    Path fetched = temp.resolve("fetched");
    cli("fetch", runId, "--to", survivor.hostPort(), "--out", fetched.toString());
    ExperimentSpec recorded = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
    Path loop = temp.resolve("loop");
    EncounterRuns.writeLoop(recorded, EncounterRuns.gameOf(recorded), loop);
    assertThat(Files.readString(fetched.resolve("rounds.csv"))).isEqualTo(Files.readString(loop.resolve("rounds.csv")));
    assertThat(RunFiles.gunzip(fetched.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(loop.resolve("interactions.csv.gz")));
    assertThat(status.get("summary").get("interactions").asLong()).isEqualTo((long) AGENTS * ROUNDS);
  }

  /** Submits the ultimatum study to {@code via}, seed 17, and returns its run id. */
  private String submit(ClusterNodes.Node via, String durability, int rounds) {
    List<String> args = new ArrayList<>(List.of("submit", Path.of("..", "examples", "ultimatum.yaml").toString(),
        "--to", via.hostPort(), "--seed", "17", "--durability", durability));
    for (String set : List.of("population.size=" + AGENTS, "stop.maxRounds=" + rounds, "schedule.inFlight=32",
        "game.settings.reputation=true")) {
      args.add("--set");
      args.add(set);
    }
    return cli(args.toArray(String[]::new)).strip();
  }

  private String cli(String... args) {
    norma.clear();
    assertThat(norma.run(args)).as(String.join(" ", args) + ": " + norma.err()).isZero();
    return norma.out();
  }
}
