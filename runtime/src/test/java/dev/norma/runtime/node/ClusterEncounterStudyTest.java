package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.testing.ClusterNodes;
import dev.norma.runtime.testing.MetricsScrapes;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encounter games on a two-node cluster (two JVMs on loopback, one shared journal): an ultimatum
 * study submitted to one node has its agents on both, its encounters borrowing minds across
 * nodes, and its files, fetched through the other node, equal those of {@code EncounterLoop} for
 * the seed byte for byte — non-durable (the coordinator on the node that took it) and durable
 * (the coordinator a cluster singleton journaling to the shared database); so does a CRSEC study,
 * whose agents move between rooms in a population step that borrows every mind, and a sweep of
 * ultimatum studies equals the same sweep on this machine.
 */
class ClusterEncounterStudyTest {
  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();
  /** Two node JVMs, three studies and a small sweep: about a minute on two shared cores. */
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

    String ultimatum = Path.of("..", "examples", "ultimatum.yaml").toString();
    String crsec = Path.of("..", "examples", "crsec.yaml").toString();
    List<List<String>> studies = List.of(
        List.of(ultimatum, "none", "population.size=40", "stop.maxRounds=30", "schedule.inFlight=12",
            "game.settings.reputation=true"),
        List.of(ultimatum, "durable", "population.size=40", "stop.maxRounds=30", "schedule.inFlight=12",
            "game.settings.reputation=true"),
        // Rooms, and agents moving between them: a population step borrows every mind, on both
        // nodes; with norma run --cluster.
        List.of(crsec, "none", "population.size=60", "stop.maxRounds=8"));
    int study = 0;
    for (List<String> s : studies) {
      String durability = s.get(1);
      List<String> args = new ArrayList<>(List.of("submit", s.get(0), "--to", first.hostPort(), "--seed", "23",
          "--durability", durability));
      for (String set : s.subList(2, s.size())) {
        args.add("--set");
        args.add(set);
      }
      Path fetched = temp.resolve("fetched-" + study);
      String runId;
      if (s.get(0).equals(crsec)) {
        // All in one command: submitted, followed to its end, and fetched.
        args.set(0, "run");
        args.set(2, "--cluster");
        args.addAll(List.of("--out", fetched.toString(), "--quiet"));
        java.util.Set<String> before = new java.util.HashSet<>();
        cluster.get(first, "/runs").fieldNames().forEachRemaining(before::add);
        cli(args.toArray(String[]::new));
        java.util.Set<String> after = new java.util.HashSet<>();
        cluster.get(first, "/runs").fieldNames().forEachRemaining(after::add);
        after.removeAll(before);
        assertThat(after).hasSize(1);
        runId = after.iterator().next();
      } else {
        runId = cli(args.toArray(String[]::new)).strip();
      }
      JsonNode status = cluster.awaitEnd(second, runId, Duration.ofMinutes(2));
      assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("completed");
      assertThat(status.get("durable").asBoolean()).isEqualTo("durable".equals(durability));

      // Both nodes held agents of the run: shards are placed once and never move.
      List<Integer> shardsPerNode = new ArrayList<>();
      for (ClusterNodes.Node node : cluster.nodes()) {
        JsonNode shards = cluster.get(node, "/runs/" + runId + "/shards");
        shardsPerNode.add(shards.get("shards").size());
      }
      assertThat(shardsPerNode).as(s + ": shards per node").allMatch(held -> held > 0);

      if (!s.get(0).equals(crsec)) {
        // Fetched through the node that did not take it; the coordinator's node holds the files.
        cli("fetch", runId, "--to", second.hostPort(), "--out", fetched.toString());
      }
      ExperimentSpec recorded = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
      Path loop = temp.resolve("loop-" + study++);
      EncounterRuns.writeLoop(recorded, EncounterRuns.gameOf(recorded), loop);
      assertThat(Files.readString(fetched.resolve("rounds.csv")))
          .isEqualTo(Files.readString(loop.resolve("rounds.csv")));
      assertThat(RunFiles.gunzip(fetched.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzip(loop.resolve("interactions.csv.gz")));
      assertThat(status.get("summary").get("interactions").asLong())
          .isEqualTo(recorded.stop().maxRounds() * EncounterRuns.gameOf(recorded).encountersPerRound());
    }
    sweep(second);
  }

  /**
   * A language-model ultimatum study on two nodes: its one gateway on the coordinator's node asks
   * the fake server (whose answers depend only on prompt and seed), and the run equals the same
   * study run on this machine; that node's scrape shows the gateway's meters tagged with the run.
   * About 40 s.
   */
  @Test
  @Tag("slow")
  void aLanguageModelUltimatumStudyOnTwoNodesEqualsTheSameStudyOnOneMachine() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build());
         ClusterNodes cluster = ClusterNodes.withJournalServer(temp,
             Map.of("NORMA_ALLOW_ENDPOINTS", Specs.url(server)))) {
      int metricsPort = ClusterNodes.freePort();
      ClusterNodes.Node first = cluster.start();
      ClusterNodes.Node second = cluster.start(List.of("--metrics-port", Integer.toString(metricsPort)));
      cluster.awaitMembersUp(first, 2);
      cluster.awaitMembersUp(second, 2);
      String yaml = Files.readString(Path.of("..", "examples", "ultimatum-llm.yaml"))
          .replace("http://127.0.0.1:8000/v1", Specs.url(server))
          .replace("maxRounds: 40", "maxRounds: 6")
          .replace("size: 20", "size: 12");
      Path spec = Files.writeString(temp.resolve("llm.yaml"), yaml);
      Path local = temp.resolve("llm-local");
      cli("run", spec.toString(), "--durability", "none", "--seed", "5", "--out", local.toString(), "--quiet");
      Path onCluster = temp.resolve("llm-cluster");
      MetricsScrapes.Watch watch = MetricsScrapes.watch(metricsPort, List.of(
          l -> l.startsWith("norma_llm_calls_total{") && l.contains("run=\"") && !l.endsWith(" 0.0")));
      cli("run", spec.toString(), "--durability", "none", "--seed", "5", "--cluster", second.hostPort(),
          "--out", onCluster.toString(), "--quiet");
      watch.close();
      assertThat(Files.readString(onCluster.resolve("rounds.csv")))
          .isEqualTo(Files.readString(local.resolve("rounds.csv")));
      assertThat(RunFiles.gunzip(onCluster.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzip(local.resolve("interactions.csv.gz")));
      assertThat(RunFiles.callJournal(onCluster)).as("calls were made and fetched").isNotEmpty();
      assertThat(watch.seen(0)).as("the coordinator's node counted the run's calls under its run tag").isTrue();
    }
  }

  /** A sweep of encounter games places each run whole on one node (placement=node), as it does the naming games'. */
  private void sweep(ClusterNodes.Node via) throws Exception {
    List<String> args = List.of("sweep", Path.of("..", "examples", "ultimatum.yaml").toString(),
        "--vary", "population.size=[20,24]", "--set", "stop.maxRounds=10", "--seed", "11", "--quiet");
    Path onCluster = temp.resolve("sweep-cluster");
    List<String> clusterArgs = new ArrayList<>(args);
    clusterArgs.addAll(List.of("--out", onCluster.toString(), "--cluster", via.hostPort()));
    cli(clusterArgs.toArray(String[]::new));
    Path local = temp.resolve("sweep-local");
    List<String> localArgs = new ArrayList<>(args);
    localArgs.addAll(List.of("--out", local.toString()));
    cli(localArgs.toArray(String[]::new));
    for (String run : List.of("population.size=20_r00", "population.size=24_r00")) {
      assertThat(Files.readString(onCluster.resolve("runs").resolve(run).resolve("rounds.csv")))
          .isEqualTo(Files.readString(local.resolve("runs").resolve(run).resolve("rounds.csv")));
    }
  }

  private String cli(String... args) {
    norma.clear();
    assertThat(norma.run(args)).as(String.join(" ", args) + ": " + norma.err()).isZero();
    return norma.out();
  }
}
