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
 * Encounter games on a two-node cluster (two JVMs on loopback, one shared journal): an ultimatum
 * study submitted to one node has its agents on both, its encounters borrowing minds across
 * nodes, and its files, fetched through the other node, equal those of {@code EncounterLoop} for
 * the seed byte for byte — non-durable (the coordinator on the node that took it) and durable
 * (the coordinator a cluster singleton journaling to the shared database).
 */
class ClusterEncounterStudyTest {
  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();
  /** Two node JVMs and two studies: about 30 s on two shared cores. */
  @Test
  @Tag("slow")
  void anUltimatumStudySpreadOverTwoNodesEqualsTheLoop() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.withJournalServer(temp)) {
      runTwice(cluster);
    }
  }

  private void runTwice(ClusterNodes cluster) throws Exception {
    ClusterNodes.Node first = cluster.start();
    ClusterNodes.Node second = cluster.start();
    cluster.awaitMembersUp(first, 2);
    cluster.awaitMembersUp(second, 2);

    for (String durability : List.of("none", "durable")) {
      String runId = cli("submit", Path.of("..", "examples", "ultimatum.yaml").toString(), "--to", first.hostPort(),
          "--set", "population.size=40", "--set", "stop.maxRounds=30", "--set", "schedule.inFlight=12",
          "--set", "game.settings.reputation=true", "--seed", "23", "--durability", durability).strip();
      JsonNode status = cluster.awaitEnd(second, runId, Duration.ofMinutes(2));
      assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("completed");
      assertThat(status.get("durable").asBoolean()).isEqualTo("durable".equals(durability));

      // Both nodes held agents of the run: shards are placed once and never move.
      List<Integer> shardsPerNode = new ArrayList<>();
      for (ClusterNodes.Node node : cluster.nodes()) {
        JsonNode shards = cluster.get(node, "/runs/" + runId + "/shards");
        shardsPerNode.add(shards.get("shards").size());
      }
      assertThat(shardsPerNode).as(durability + ": shards per node").allMatch(held -> held > 0);
      assertThat(shardsPerNode.stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(40);

      // Fetched through the node that did not take it; the coordinator's node holds the files.
      Path fetched = temp.resolve("fetched-" + durability);
      cli("fetch", runId, "--to", second.hostPort(), "--out", fetched.toString());
      ExperimentSpec recorded = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
      Path loop = temp.resolve("loop-" + durability);
      EncounterRuns.writeLoop(recorded, EncounterRuns.gameOf(recorded), loop);
      assertThat(Files.readString(fetched.resolve("rounds.csv")))
          .isEqualTo(Files.readString(loop.resolve("rounds.csv")));
      assertThat(RunFiles.gunzip(fetched.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzip(loop.resolve("interactions.csv.gz")));
      JsonNode summary = status.get("summary");
      assertThat(summary.get("interactions").asLong()).isEqualTo(40L * 30);
    }
  }

  private String cli(String... args) {
    norma.clear();
    assertThat(norma.run(args)).as(String.join(" ", args) + ": " + norma.err()).isZero();
    return norma.out();
  }
}
