package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.testing.ClusterNodes;
import dev.norma.runtime.testing.MetricsScrapes;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language-model agents on a cluster: two {@code norma node} JVMs on loopback, each with its own
 * inference gateway holding its share of the endpoint's limits, ask the fake server over real
 * HTTP; their call lines reach the run's one call journal, and the fetched run replays on one
 * machine with no endpoint.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("slow") // two- and three-node clusters of JVMs against the fake server, about a minute and a half
class ClusterLlmStudyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IN_FLIGHT = 6;

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  @Test
  void twoNodesShareTheEndpointsLimitsAndWriteOneCallJournalThatReplays() throws Exception {
    Server database = Server.createTcpServer("-tcpPort", Integer.toString(ClusterNodes.freePort()), "-ifNotExists",
        "-baseDir", temp.resolve("db").toString()).start();
    Path run = temp.resolve("run");
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build());
         ClusterNodes cluster = new ClusterNodes(temp, "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/cluster",
             Map.of("NORMA_ALLOW_ENDPOINTS", Specs.url(server)))) {
      int metricsPort = ClusterNodes.freePort();
      ClusterNodes.Node first = cluster.start(List.of("--metrics-port", Integer.toString(metricsPort)));
      cluster.start();
      cluster.awaitMembersUp(first, 2);
      // The first node's gateway meters, tagged with the run, while the run lasts; the coordinator
      // (a singleton on the oldest node, this one) reports the population.
      MetricsScrapes.Watch watch = MetricsScrapes.watch(metricsPort, List.of(
          l -> l.startsWith("norma_llm_calls_total{") && l.contains("run=\"") && !l.endsWith(" 0.0"),
          l -> l.startsWith("norma_interactions{run=\"") && !l.endsWith(" 0.0")));
      Path spec = Files.writeString(temp.resolve("spec.yaml"), Specs.llm(server)
          .replace("maxInFlight: 32", "maxInFlight: " + MAX_IN_FLIGHT));

      assertThat(norma.run("run", spec.toString(), "--cluster", first.hostPort(), "--out", run.toString(), "--quiet"))
          .as(norma.err()).isZero();
      watch.close();
      assertThat(watch.seen(0)).as("the node's scrape had its gateway's calls, tagged with the run").isTrue();
      assertThat(watch.seen(1)).as("the node's scrape had the run's population measures").isTrue();
      // Once the run is over the node closes its gateway and drops the run's meters.
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(15);
      String scrape;
      do {
        Thread.sleep(200);
        scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } while (scrape.contains("norma_llm_") && java.time.Instant.now().isBefore(deadline));
      assertThat(scrape).as("the run's gateway meters are gone").doesNotContain("norma_llm_");

      JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
      assertThat(summary.path("status").asText()).isEqualTo("completed");
      assertThat(summary.path("converged").asBoolean()).as("converged").isTrue();
      long interactions = summary.path("interactions").asLong();
      List<JsonNode> answered = RunFiles.callJournal(run).stream()
          .filter(e -> "call".equals(e.path("type").asText()))
          .filter(e -> Set.of("ok", "invalid").contains(e.path("outcome").asText()))
          .toList();
      // Every recorded interaction rests on two decisions, each answered and journaled.
      assertThat(answered.size()).isGreaterThanOrEqualTo((int) (2 * interactions));
      assertThat(summary.path("calls").asLong()).isGreaterThanOrEqualTo(2 * interactions);
      assertThat(server.stats().requests("chat", 200)).isGreaterThanOrEqualTo(summary.path("calls").asLong());
      Set<String> nodes = answered.stream().map(e -> e.path("node").asText()).collect(Collectors.toSet());
      assertThat(nodes).as("both nodes' agents asked through their own gateway").hasSize(2);
      // Each node keeps its share (3 of 6): together they never exceed the endpoint's limit.
      assertThat(server.stats().maxBatchSequences()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
    } finally {
      database.stop();
    }

    // The fetched run replays on one machine from its call journal, with the server gone.
    Path replayed = temp.resolve("replayed");
    assertThat(norma.run("run", "--replay", run.toString(), "--out", replayed.toString(), "--quiet"))
        .as(norma.err()).isZero();
    assertThat(Files.readString(replayed.resolve("rounds.csv"))).isEqualTo(Files.readString(run.resolve("rounds.csv")));
    assertThat(RunFiles.gunzipLines(replayed.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzipLines(run.resolve("interactions.csv.gz")));
  }

  @Test
  void aLanguageModelStudyThatLosesANodeEndsAsAnUninterruptedRunWould() throws Exception {
    Server database = Server.createTcpServer("-tcpPort", Integer.toString(ClusterNodes.freePort()), "-ifNotExists",
        "-baseDir", temp.resolve("db").toString()).start();
    // Answers depend only on the prompt and the request seed: every run of the seed is the same.
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fixedStep(java.time.Duration.ofMillis(2)).build());
         ClusterNodes cluster = new ClusterNodes(temp, "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/cluster",
             Map.of("NORMA_ALLOW_ENDPOINTS", Specs.url(server)))) {
      Path spec = Files.writeString(temp.resolve("spec.yaml"), Specs.llm(server)
          .replace("stop: {maxRounds: 120}", "stop: {maxRounds: 24, onConvergence: false}"));
      Path reference = temp.resolve("reference");
      assertThat(norma.run("run", spec.toString(), "--durability", "none", "--out", reference.toString(), "--quiet"))
          .as(norma.err()).isZero();

      ClusterNodes.Node first = cluster.start();
      ClusterNodes.Node second = cluster.start();
      ClusterNodes.Node third = cluster.start();
      cluster.awaitMembersUp(first, 3);
      norma.clear();
      assertThat(norma.run("submit", spec.toString(), "--to", first.hostPort())).as(norma.err()).isZero();
      String runId = norma.out().strip();
      // The coordinator is a singleton on the oldest node, the first; the third holds agents and
      // their decisions in flight.
      cluster.awaitInteractions(second, runId, 24 * 24 / 4);
      third.process().destroyForcibly(); // SIGKILL

      JsonNode status = cluster.awaitEnd(second, runId, java.time.Duration.ofMinutes(3));
      assertThat(status.path("state").asText()).as(status.toPrettyString()).isEqualTo("completed");
      Path fetched = temp.resolve("fetched");
      assertThat(norma.run("fetch", runId, "--to", second.hostPort(), "--out", fetched.toString()))
          .as(norma.err()).isZero();
      assertThat(Files.readString(fetched.resolve("rounds.csv")))
          .isEqualTo(Files.readString(reference.resolve("rounds.csv")));
      assertThat(RunFiles.gunzipLines(fetched.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzipLines(reference.resolve("interactions.csv.gz")));
      assertThat(RunFiles.callJournal(fetched).stream().map(e -> e.path("node").asText())
          .filter(node -> !node.isEmpty()).distinct().count()).as("calls from the three nodes").isEqualTo(3);
    } finally {
      database.stop();
    }
  }
}
