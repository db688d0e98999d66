package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.testing.ClusterNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code norma sweep --cluster} against two nodes in JVMs of their own: each run made whole on one
 * node, runs on both nodes, the sweep directory equal to a local sweep's of the same design but for
 * the clock, a resume that makes only the missing run, and a run a node refuses recorded as failed.
 * ({@code NodeApiTest} sweeps on one node in the default suite.)
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("slow") // two node JVMs and a local sweep beside: 70 s on 2 busy cores
class ClusterSweepTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "naming-game-24.yaml");
  /** runs.csv's columns of the clock, which differ from run to run. */
  private static final List<String> CLOCK = List.of("wallSeconds", "interactionsPerSecond");

  @TempDir
  static Path temp;

  private static Server database;
  private static ClusterNodes cluster;
  private static ClusterNodes.Node first;
  private static ClusterNodes.Node second;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @BeforeAll
  static void startCluster() throws Exception {
    database = Server.createTcpServer("-tcpPort", Integer.toString(ClusterNodes.freePort()), "-ifNotExists",
        "-baseDir", temp.resolve("db").toString()).start();
    cluster = new ClusterNodes(temp, "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/cluster", Map.of());
    first = cluster.start();
    second = cluster.start();
    cluster.awaitMembersUp(first, 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (database != null) {
      database.stop();
    }
  }

  private int norma(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static String[] sweep(Path dir, String... more) {
    List<String> args = new ArrayList<>(List.of("sweep", EXAMPLE.toString(), "--vary", "population.size=[12,16]",
        "--replicates", "2", "--set", "stop.maxRounds=20", "--seed", "11", "--out", dir.toString(), "--quiet"));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  /** runs.csv without the columns of the clock. */
  private static List<String> timeless(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> rows = new ArrayList<>();
    for (String line : lines) {
      String[] cells = line.split(",", -1);
      StringBuilder kept = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        if (!CLOCK.contains(header.get(i))) {
          kept.append(cells[i]).append(',');
        }
      }
      rows.add(kept.toString());
    }
    return rows;
  }

  /** The run directories a node wrote, one per run it hosted. */
  private static long runsOn(ClusterNodes.Node node, int index) throws Exception {
    Path runs = temp.resolve("node" + index).resolve("runs");
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(runs)) {
      return list.count();
    }
  }

  @Test
  void aSweepOnTwoNodesEqualsTheSameSweepOnThisMachineAndResumesWhatIsMissing() throws Exception {
    Path onCluster = temp.resolve("on-cluster");
    long before = runsOn(first, 1) + runsOn(second, 2);
    int code = norma(sweep(onCluster, "--cluster", first.hostPort()));
    assertThat(code).as(err.toString()).isZero();
    JsonNode manifest = new ObjectMapper().readTree(onCluster.resolve("sweep.json").toFile());
    assertThat(manifest.get("cluster").asText()).isEqualTo(first.hostPort());
    assertThat(manifest.get("parallel").asInt()).isEqualTo(4); // two in flight on each node
    assertThat(runsOn(first, 1) + runsOn(second, 2) - before).isEqualTo(4);
    assertThat(runsOn(first, 1)).isPositive();
    assertThat(runsOn(second, 2)).isPositive();

    Path local = temp.resolve("local");
    assertThat(norma(sweep(local, "--parallel", "2"))).as(err.toString()).isZero();
    List<String> rows = timeless(onCluster);
    assertThat(rows).hasSize(5).isEqualTo(timeless(local));
    for (String run : List.of("population.size=12_r00", "population.size=16_r01")) {
      assertThat(Files.readString(onCluster.resolve("runs").resolve(run).resolve("rounds.csv")))
          .isEqualTo(Files.readString(local.resolve("runs").resolve(run).resolve("rounds.csv")));
      assertThat(onCluster.resolve("runs").resolve(run).resolve("report.png")).isRegularFile();
      assertThat(Files.readString(onCluster.resolve("runs").resolve(run).resolve("spec.yaml")))
          .isEqualTo(Files.readString(local.resolve("runs").resolve(run).resolve("spec.yaml"))
              .replace(local.toString(), onCluster.toString()));
    }
    assertThat(onCluster.resolve("runs.parquet")).isRegularFile();
    assertThat(onCluster.resolve("report.html")).isRegularFile();

    // A run lost (as after Ctrl-C): the resume goes to the cluster sweep.json names and makes only it.
    dev.norma.runtime.sweep.SweepExecution.clear(onCluster.resolve("runs").resolve("population.size=16_r00"));
    long made = runsOn(first, 1) + runsOn(second, 2);
    assertThat(norma("sweep", "--resume", onCluster.toString(), "--quiet")).as(err.toString()).isZero();
    assertThat(runsOn(first, 1) + runsOn(second, 2) - made).isEqualTo(1);
    assertThat(timeless(onCluster)).isEqualTo(rows);
  }

  @Test
  void aRunANodeRefusesIsRecordedAsFailedAndTheOthersGoOn() throws Exception {
    Path dir = temp.resolve("refused");
    // The client leaves memory to the nodes: a population no node's heap holds is refused there.
    int code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12,50000000]", "--set",
        "stop.maxRounds=5", "--seed", "3", "--out", dir.toString(), "--quiet", "--cluster", second.hostPort());
    assertThat(code).as(err.toString()).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(err.toString()).contains("1 of 2 runs failed");
    String csv = Files.readString(dir.resolve("runs.csv"));
    assertThat(csv).contains("population.size=12_r00").contains("completed");
    assertThat(csv).contains("population.size=50000000_r00").contains("population.size");
  }

  @Test
  void aRunPlacedOnOneNodeHasAllItsAgentsThere() throws Exception {
    // Long enough to be asked while it runs; cancelled after.
    Path spec = Files.writeString(temp.resolve("long.yaml"), Files.readString(EXAMPLE)
        .replaceAll("(?m)^  size: .*$", "  size: 200"));
    String yaml = dev.norma.protocols.spec.SpecLoader.toYaml(dev.norma.protocols.spec.SpecLoader.load(spec,
        List.of("stop.maxRounds=100000", "stop.onConvergence=false", "durability=none")).resolved().withSeed(5));
    ClusterClient client = new ClusterClient(second.hostPort(), null);
    String runId = client.submit(dev.norma.protocols.spec.SpecLoader.parse(yaml, List.of()), true);
    cluster.awaitInteractions(first, runId, 1000);
    JsonNode there = cluster.get(second, "/runs/" + runId + "/shards");
    JsonNode elsewhere = cluster.get(first, "/runs/" + runId + "/shards");
    client.cancel(runId);
    assertThat(there.get("entities").asInt()).isEqualTo(200);
    assertThat(elsewhere.get("entities").asInt()).isZero();
    assertThat(cluster.get(first, "/cluster").get("members").findValuesAsText("http"))
        .containsExactlyInAnyOrder(first.url(), second.url());
  }
}
