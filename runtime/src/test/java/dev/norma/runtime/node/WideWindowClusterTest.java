package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.CliRun;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study with many interactions in flight on two nodes (two actor systems in this JVM, Artery
 * over loopback). The matchmaker's first burst sends thousands of plays to the other node at
 * once: with Pekko's send queue of 3,072 messages Artery dropped some, silently, and the run
 * crawled from one re-drive to the next (or, in memory, waited for an answer that never came).
 * With the node's queue it runs through and equals the plain loop; with a small queue the loss
 * is counted on the node's metrics (and warned of in its log), and the run does not wait for
 * what was lost for good.
 */
class WideWindowClusterTest {
  private static final Pattern LOST = Pattern.compile("norma_node_messages_lost_total(?:\\{[^}]*\\})? ([0-9.E]+)");

  @TempDir
  Path temp;

  @Test
  void aWideWindowAcrossTwoNodesLosesNoMessageAndEqualsThePlainLoop() throws Exception {
    try (NormaNode first = node("one", List.of(), ConfigFactory.load());
         NormaNode second = node("two", List.of(hostPort(first)), ConfigFactory.load())) {
      String runId = submit(first, 20_000);
      JsonNode status = awaitEnd(first, runId, Duration.ofMinutes(2));
      assertThat(status.get("state").asText()).as(status.toPrettyString()).isEqualTo("completed");

      Path fetched = temp.resolve("fetched");
      cli("fetch", runId, "--to", first.url().substring("http://".length()), "--out", fetched.toString());
      ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
      OracleRuns.write(spec, temp.resolve("plain"));
      RunFiles.assertSameResults(fetched, temp.resolve("plain"));
      assertThat(lost(first) + lost(second)).as("study messages dropped between the nodes").isZero();
      // Their agents' messages for each other crossed in deliveries of many (Crossings).
      for (NormaNode node : List.of(first, second)) {
        String scrape = get("http://127.0.0.1:" + node.metricsPort() + "/metrics");
        double crossings = counter(scrape, "norma_node_crossings_sent_total");
        double deliveries = counter(scrape, "norma_node_crossing_deliveries_sent_total");
        assertThat(deliveries).as("deliveries sent").isPositive();
        assertThat(crossings / deliveries).as("agent messages per delivery").isGreaterThan(2);
      }
      // Over, each node lets go of its part of the run (registry, shard region), told by the run's
      // coordinator on the first, and still says which shards it held.
      int held = 0;
      for (NormaNode node : List.of(first, second)) {
        JsonNode shards = awaitReleased(node, runId);
        assertThat(shards.get("shards").size()).as("shards held on " + node.url()).isPositive();
        assertThat(shards.get("entities").asInt()).isZero();
        held += shards.get("shards").size();
      }
      assertThat(held).as("shards over both nodes").isEqualTo(100);
    }
  }

  private static JsonNode awaitReleased(NormaNode node, String runId) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonNode shards = null;
    while (Instant.now().isBefore(deadline)) {
      shards = new ObjectMapper().readTree(get(node.url() + "/runs/" + runId + "/shards"));
      if (shards.path("released").asBoolean()) {
        return shards;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(node.url() + " still holds its part of run " + runId + ": " + shards);
  }

  private static double counter(String scrape, String name) {
    Matcher m = Pattern.compile(name + "(?:\\{[^}]*\\})? ([0-9.E]+)").matcher(scrape);
    assertThat(m.find()).as(name + " on the scrape").isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * With a small queue, messages are dropped: the nodes count them, and the run ends instead of
   * waiting for good — a lost answer cannot be played again in memory, so it fails and says why
   * (a run whose losses the re-drives did mend completes).
   */
  @Test
  void messagesDroppedOnTheWayToAnotherNodeAreCountedAndTheRunDoesNotWaitForThemForGood() throws Exception {
    Config smallQueue = ConfigFactory.parseString("""
            pekko.remote.artery.advanced.outbound-message-queue-size = 256
            norma.recovery.stall-timeout = 500ms
            norma.recovery.in-memory-give-up = 3s
            """).withFallback(ConfigFactory.load());
    try (NormaNode first = node("one", List.of(), smallQueue);
         NormaNode second = node("two", List.of(hostPort(first)), smallQueue)) {
      String runId = submit(first, 20_000);
      JsonNode status = awaitEnd(first, runId, Duration.ofMinutes(1));
      assertThat(lost(first) + lost(second)).as("dropped study messages counted").isPositive();
      if (!status.get("state").asText().equals("completed")) {
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.get("summary").get("stopReason").asText())
            .contains("messages between the nodes were lost").contains("durability: durable");
      }
    }
  }

  private NormaNode node(String name, List<String> seeds, Config base) throws Exception {
    return NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, seeds, temp.resolve(name), null,
        JournalDatabase.h2(temp.resolve("journal-" + name)), null, new NormaNode.Metrics("127.0.0.1", 0)), base);
  }

  private static String hostPort(NormaNode node) {
    return node.address().substring(node.address().indexOf('@') + 1);
  }

  /** A one-round, in-memory naming game of 40,000 agents with {@code inFlight} interactions in flight. */
  private String submit(NormaNode via, int inFlight) throws Exception {
    Path specFile = temp.resolve("wide.yaml");
    Files.writeString(specFile, "name: wide\npopulation: {size: 40000}\n"
        + "schedule: {kind: sequential, inFlight: " + inFlight + "}\n"
        + "stop: {maxRounds: 1, onConvergence: false}\n");
    awaitUp(via);
    return cli("submit", specFile.toString(), "--to", via.url().substring("http://".length()), "--seed", "11",
        "--durability", "none").strip();
  }

  private static void awaitUp(NormaNode node) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      long up = java.util.stream.StreamSupport.stream(
              org.apache.pekko.cluster.Cluster.get(node.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up()).count();
      if (up == 2) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the two nodes did not form a cluster");
  }

  private static JsonNode awaitEnd(NormaNode via, String runId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode status = null;
    while (Instant.now().isBefore(deadline)) {
      status = new ObjectMapper().readTree(get(via.url() + "/runs/" + runId));
      if (status.has("summary") && !status.get("summary").isNull()) {
        return status;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the run did not end; last status " + status);
  }

  /** The node's count of dropped study messages, from a Prometheus scrape of it. */
  private static double lost(NormaNode node) throws Exception {
    Matcher m = LOST.matcher(get("http://127.0.0.1:" + node.metricsPort() + "/metrics"));
    assertThat(m.find()).as("norma_node_messages_lost_total on the scrape").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String cli(String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run.out();
  }
}
