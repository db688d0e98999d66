package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-node cluster with a token, driven through its HTTP API by the CLI's cluster commands.
 * ({@link NodeSecretsTest} sends it hostile specs.)
 */
class NodeApiTest {
  @TempDir
  static Path temp;

  private static NormaNode node;
  private static String to;

  @BeforeAll
  static void startNode() throws Exception {
    // Its endpoints may be called, though nothing answers there: studies using them are refused before.
    node = NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), temp.resolve("data"), "s3cret",
        JournalDatabase.h2(temp.resolve("data/journal"))), com.typesafe.config.ConfigFactory.parseMap(
            java.util.Map.of("norma.node.allow-endpoints", List.of("http://127.0.0.1:9/v1")))
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    to = node.url().substring("http://".length());
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private record Result(int code, String out, String err) {
  }

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path spec(String name, String yaml) throws Exception {
    Path file = temp.resolve(name + ".yaml");
    Files.writeString(file, "name: " + name + "\n" + yaml);
    return file;
  }

  @Test
  void aNodeThatJoinsAClusterWithoutItsDatabaseRefusesToStart() {
    Result result = cli("node", "--port", "0", "--http-port", "0", "--seed-nodes", "127.0.0.1:1",
        "--data", temp.resolve("lonely").toString(), "--db-url", "");
    assertThat(result.code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("needs the cluster's database");
  }

  @Test
  void aNodeRefusesToStartWithAnAllowedDirectoryOrEndpointItCannotUse() {
    Result dir = cli("node", "--port", "0", "--http-port", "0", "--data", temp.resolve("unstarted").toString(),
        "--allow-dir", temp.resolve("no-such-dir").toString());
    assertThat(dir.code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(dir.err().strip()).isEqualTo("norma: --allow-dir " + temp.resolve("no-such-dir") + ": no such directory");
    Result endpoint = cli("node", "--port", "0", "--http-port", "0", "--data", temp.resolve("unstarted").toString(),
        "--allow-endpoint", "gpu-1:8000/v1");
    assertThat(endpoint.code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(endpoint.err().strip()).isEqualTo("norma: --allow-endpoint gpu-1:8000/v1: is not an http or https URL"
        + " with a host");
  }

  @Test
  void submittingWithoutTheTokenIsRefused() throws Exception {
    Result result = cli("submit", spec("refused", "").toString(), "--to", to);
    assertThat(result.code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("401").contains("token");
    assertThat(cli("cancel", "nosuchrun", "--to", to).code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
  }

  @Test
  void readsNeedTheTokenButHealthDoesNot() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/runs", "/runs/nosuchrun", "/runs/nosuchrun/shards", "/runs/nosuchrun/files/calls.jsonl.gz",
        "/cluster")) {
      for (String authorization : new String[] {null, "Bearer wrong", "Bearer s3cret2", "s3cret", "Bearer "}) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url() + path));
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        var response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + authorization).isEqualTo(401);
        assertThat(response.body()).contains("needs a token").doesNotContain("s3cret");
      }
    }
    assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url() + "/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url() + "/runs"))
        .header("Authorization", "Bearer s3cret").build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    Result status = cli("status", "nosuchrun", "--to", to);
    assertThat(status.err()).contains("401");
  }

  @Test
  void withPublicReadsOnlySubmittingAndCancellingNeedTheToken() throws Exception {
    try (NormaNode open = NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), temp.resolve("open"),
        "s3cret", JournalDatabase.h2(temp.resolve("open/journal"))), com.typesafe.config.ConfigFactory.parseMap(
            java.util.Map.of("norma.node.public-reads", true)).withFallback(com.typesafe.config.ConfigFactory.load()))) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      for (String path : List.of("/runs", "/cluster")) {
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.url() + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
      }
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.url() + "/runs"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("seed: 1\n")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.url() + "/runs/x/cancel"))
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aLanguageModelStudyWhoseCredentialTheNodeDoesNotHoldIsRefusedBeforeItStarts() throws Exception {
    Path llm = spec("llm-without-key", "policy: {kind: llm}\ninference:\n  endpoints: [{name: local, "
        + "url: 'http://127.0.0.1:9/v1', model: m, credential: nobody-holds-this}]\n");
    Result result = cli("submit", llm.toString(), "--to", to, "--token", "s3cret", "--seed", "4");
    assertThat(result.code()).as(result.err()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("400").contains("inference.endpoints[0].credential: no credential nobody-holds-this")
        .contains("NORMA_CREDENTIAL_NOBODY_HOLDS_THIS").doesNotContain("inference.endpoints[0].url");
  }

  @Test
  void submitAndRunOnAClusterRefuseAKeyFileOrVariableBeforeAskingTheNode() throws Exception {
    Path keyFile = Files.writeString(temp.resolve("key.txt"), "sk-never-sent-0b7d\n");
    Path llm = spec("llm-key-file", "policy: {kind: llm}\ninference:\n  endpoints: [{name: local, "
        + "url: 'http://127.0.0.1:9/v1', model: m, apiKeyFile: '" + keyFile + "'}]\n");
    for (Result result : List.of(cli("submit", llm.toString(), "--to", to, "--token", "s3cret", "--seed", "4"),
        cli("run", llm.toString(), "--cluster", to, "--token", "s3cret", "--seed", "4", "--set",
            "inference.endpoints=[{name: e, url: 'http://127.0.0.1:9/v1', model: m, apiKeyEnv: PATH}]"))) {
      assertThat(result.code()).as(result.err()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
      assertThat(result.err()).contains("invalid spec").containsPattern("inference\\.endpoints\\[0]\\.apiKey(File|Env): a spec"
          + " submitted to a cluster cannot name").contains("credential: NAME").doesNotContain("answered")
          .doesNotContain("sk-never-sent");
    }
  }

  @Test
  void studiesShareTheClusterAndFetchTheSameRunDirectoryAsALocalRun() throws Exception {
    Path durable = spec("shared-durable", "population: {size: 300}\nstop: {maxRounds: 12, onConvergence: false}\n");
    Path inMemory = spec("shared-memory", "game: {kind: minimal-naming}\npopulation: {size: 400}\n");
    String first = cli("submit", durable.toString(), "--to", to, "--token", "s3cret", "--seed", "4",
        "--durability", "durable").out().strip();
    String second = cli("submit", inMemory.toString(), "--to", to, "--token", "s3cret", "--seed", "5").out().strip();
    assertThat(first).isNotEqualTo(second).hasSize(12);

    for (String runId : List.of(first, second)) {
      Result status = cli("status", runId, "--to", to, "--token", "s3cret", "--wait", "--json");
      assertThat(status.code()).as(status.err()).isZero();
      JsonNode json = new ObjectMapper().readTree(status.out());
      assertThat(json.get("state").asText()).isEqualTo("completed");
      assertThat(json.get("durable").asBoolean()).isEqualTo(runId.equals(first));

      Path fetched = temp.resolve("fetched-" + runId);
      assertThat(cli("fetch", runId, "--to", to, "--token", "s3cret", "--out", fetched.toString()).code()).isZero();
      ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
      OracleRuns.write(spec, temp.resolve("plain-" + runId));
      RunFiles.assertSameResults(fetched, temp.resolve("plain-" + runId));
      assertThat(new ObjectMapper().readTree(fetched.resolve("summary.json").toFile()).get("reissuedCalls").asLong())
          .isZero();
      assertAgentsAreStopped(runId);
      assertPartReleased(runId);
    }
  }

  /**
   * A finished run's part on the node is let go (its registry and shard region stop), so that a
   * node serving study after study does not keep them all; the shards it held are still listed.
   */
  private static void assertPartReleased(String runId) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 10_000_000_000L;
    JsonNode shards = null;
    while (System.nanoTime() < deadline) {
      shards = new ObjectMapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          node.url() + "/runs/" + runId + "/shards")).header("Authorization", "Bearer s3cret").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      if (shards.path("released").asBoolean()) {
        assertThat(shards.get("entities").asInt()).isZero();
        assertThat(shards.get("shards")).as("the shards this one node held").hasSize(100);
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + "'s part is still held after it ended: " + shards);
  }

  @Test
  void anEncounterGameRunsThroughTheNodeEqualsItsLoopAndCanBeCancelled() throws Exception {
    String ultimatum = Path.of("..", "examples", "ultimatum.yaml").toString();
    String runId = cli("submit", ultimatum, "--to", to, "--token", "s3cret", "--seed", "8", "--set",
        "population.size=20", "--set", "stop.maxRounds=10").out().strip();
    Result status = cli("status", runId, "--to", to, "--token", "s3cret", "--wait", "--json");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(new ObjectMapper().readTree(status.out()).get("state").asText()).isEqualTo("completed");
    Path fetched = temp.resolve("fetched-" + runId);
    assertThat(cli("fetch", runId, "--to", to, "--token", "s3cret", "--out", fetched.toString()).code()).isZero();
    ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
    Path loop = temp.resolve("loop-" + runId);
    dev.norma.runtime.encounter.EncounterRuns.writeLoop(spec, dev.norma.runtime.encounter.EncounterRuns.gameOf(spec),
        loop);
    assertThat(Files.readString(fetched.resolve("rounds.csv"))).isEqualTo(Files.readString(loop.resolve("rounds.csv")));
    assertAgentsAreStopped(runId);

    String endless = cli("submit", ultimatum, "--to", to, "--token", "s3cret", "--seed", "8", "--set",
        "stop.maxRounds=1000000").out().strip();
    Result cancelled = cli("cancel", endless, "--to", to, "--token", "s3cret");
    assertThat(cancelled.code()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).contains(endless + " cancelled");
  }

  /** A finished run's agents are stopped, so that studies after it have the memory. */
  private static void assertAgentsAreStopped(String runId) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 10_000_000_000L;
    long entities = -1;
    while (System.nanoTime() < deadline) {
      String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url() + "/runs/" + runId
          + "/shards")).header("Authorization", "Bearer s3cret").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      entities = new ObjectMapper().readTree(body).get("entities").asLong();
      if (entities == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(entities + " agents of run " + runId + " still live after it ended");
  }

  @Test
  void aCancelledRunEndsAndSaysSo() throws Exception {
    Path endless = spec("endless", "population: {size: 2000}\nstop: {maxRounds: 100000, onConvergence: false}\n");
    String runId = cli("submit", endless.toString(), "--to", to, "--token", "s3cret", "--seed", "6").out().strip();
    Result cancelled = cli("cancel", runId, "--to", to, "--token", "s3cret");
    assertThat(cancelled.code()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).contains(runId + " cancelled");
    JsonNode status = new ObjectMapper().readTree(cli("status", runId, "--to", to, "--token", "s3cret", "--json").out());
    assertThat(status.get("summary").get("status").asText()).isEqualTo("cancelled");
    assertThat(status.get("interactions").asLong()).isLessThan(2000L * 100000);
  }

  @Test
  void aSweepOnTheClusterMakesEachRunAsThePlainLoopDoesAndResumesWhatIsMissing() throws Exception {
    Path dir = temp.resolve("sweep");
    String[] sweep = {"sweep", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--vary",
        "population.size=[12,16]", "--set", "stop.maxRounds=20", "--seed", "9", "--out", dir.toString(), "--quiet",
        "--cluster", to};
    Result refused = cli(sweep);
    assertThat(refused.code()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(refused.err()).contains("answered 401").contains("token");
    assertThat(dir).doesNotExist();

    String[] withToken = java.util.stream.Stream.concat(java.util.Arrays.stream(sweep), java.util.stream.Stream.of(
        "--token", "s3cret")).toArray(String[]::new);
    Result result = cli(withToken);
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()).get("cluster").asText()).isEqualTo(to);
    for (String run : List.of("population.size=12_r00", "population.size=16_r00")) {
      Path fetched = dir.resolve("runs").resolve(run);
      ExperimentSpec spec = SpecLoader.load(fetched.resolve("spec.yaml"), List.of());
      assertThat(spec.output().dir()).isEqualTo(fetched.toString());
      OracleRuns.write(spec, temp.resolve("plain-" + run));
      RunFiles.assertSameResults(fetched, temp.resolve("plain-" + run));
    }
    List<String> rows = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(rows).hasSize(3);

    dev.norma.runtime.sweep.SweepExecution.clear(dir.resolve("runs").resolve("population.size=16_r00"));
    long runsBefore = Files.list(temp.resolve("data/runs")).count();
    Result resumed = cli("sweep", "--resume", dir.toString(), "--token", "s3cret", "--quiet");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(Files.list(temp.resolve("data/runs")).count()).isEqualTo(runsBefore + 1);
    // The run made again has the row it had, up to the figures of the clock.
    int clock = List.of(rows.get(0).split(",")).indexOf("wallSeconds");
    assertThat(Files.readAllLines(dir.resolve("runs.csv"))).hasSize(3)
        .extracting(row -> List.of(row.split(",", -1)).subList(0, clock))
        .isEqualTo(rows.stream().map(row -> List.of(row.split(",", -1)).subList(0, clock)).toList());
    assertThat(rows.get(2)).contains("population.size=16_r00").contains("completed");
  }

  @Test
  void runClusterSubmitsFollowsAndFetchesInOneCommand() throws Exception {
    Path dir = temp.resolve("one-command");
    Result result = cli("run", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--cluster", to,
        "--token", "s3cret", "--seed", "42", "--out", dir.toString(), "--quiet");
    assertThat(result.code()).as(result.err()).isZero();
    Path local = temp.resolve("local");
    assertThat(cli("run", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--seed", "42",
        "--out", local.toString(), "--quiet").code()).isZero();
    RunFiles.assertSameResults(dir, local);
  }
}
