package dev.norma.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.CliRun;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's limits and answers over real HTTP: a study too large for its heap is refused and the
 * node lives on; a run that failed says why and exits 1; an unknown run fetches nothing; and a
 * node restarted on the same data folder serves its earlier runs again.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeLimitsTest {
  @TempDir
  Path temp;

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  private Path spec(String name, String yaml) throws Exception {
    return Files.writeString(temp.resolve(name + ".yaml"), "name: " + name + "\n" + yaml);
  }

  private int journals;

  private NormaNode start(Path data, int deadPort) throws Exception {
    // A dead endpoint fails a run after 1 s here, not the 60 s of production; the node lets
    // studies call it.
    Config config = ConfigFactory.parseString("norma.inference.unreachable-after = 1s\n"
            + "norma.node.allow-endpoints = [\"http://127.0.0.1:" + deadPort + "/\"]")
        .withFallback(ConfigFactory.load());
    // A journal of each node's own: in one JVM the first node's database closes after it has
    // gone, whenever that is (a restarted node is a new process, where this does not arise).
    return NormaNode.start(new NormaNode.Settings("127.0.0.1", 0, 0, List.of(), data, null,
        JournalDatabase.h2(temp.resolve("journal-" + journals++))), config);
  }

  private static String get(NormaNode node, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void refusesTooLargeStudiesSaysWhyRunsFailedAndServesEarlierRunsAfterARestart() throws Exception {
    Path data = temp.resolve("data");
    String completed;
    String failed;
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    NormaNode node = start(data, deadPort);
    try {
      String to = node.url().substring("http://".length());

      CliRun huge = cli("submit", spec("huge", "population: {size: 2000000000}\n").toString(), "--to", to);
      assertThat(huge.code()).as(huge.err()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
      assertThat(huge.err()).contains("answered 400").contains("population.size: 2,000,000,000 agents need about")
          .contains("max heap");
      assertThat(get(node, "/health")).isEqualTo("ok");

      Path never = temp.resolve("never");
      CliRun unknown = cli("fetch", "nosuchrun", "--to", to, "--out", never.toString());
      assertThat(unknown.code()).as(unknown.err()).isEqualTo(NormaCli.EXIT_BAD_INPUT);
      assertThat(unknown.err()).contains("404").contains("nosuchrun");
      assertThat(never).doesNotExist();

      failed = cli("submit", spec("dead-endpoint", "policy: {kind: llm}\ndurability: none\ninference:\n"
          + "  endpoints: [{name: gone, url: 'http://127.0.0.1:" + deadPort + "/v1', model: m}]\n").toString(),
          "--to", to, "--seed", "3").out().strip();
      CliRun status = cli("status", failed, "--to", to, "--wait");
      assertThat(status.code()).as(status.out() + status.err()).isEqualTo(NormaCli.EXIT_ERROR);
      assertThat(status.out()).contains("failed").contains("no endpoint has answered")
          .contains("endpoint gone at 127.0.0.1:" + deadPort);

      completed = cli("submit", spec("small", "population: {size: 50}\nstop: {maxRounds: 5}\n").toString(),
          "--to", to, "--seed", "4").out().strip();
      assertThat(cli("status", completed, "--to", to, "--wait").code()).isZero();
    } finally {
      node.close();
    }

    NormaNode again = start(data, deadPort);
    try {
      String to = again.url().substring("http://".length());
      JsonNode runs = new ObjectMapper().readTree(get(again, "/runs"));
      assertThat(runs.path(completed).asText()).isEqualTo("small");
      assertThat(runs.path(failed).asText()).isEqualTo("dead-endpoint");

      CliRun done = cli("status", completed, "--to", to, "--json");
      assertThat(done.code()).as(done.err()).isZero();
      assertThat(new ObjectMapper().readTree(done.out()).path("state").asText()).isEqualTo("completed");
      CliRun stillFailed = cli("status", failed, "--to", to);
      assertThat(stillFailed.code()).isEqualTo(NormaCli.EXIT_ERROR);
      assertThat(stillFailed.out()).contains("no endpoint has answered");

      Path fetched = temp.resolve("fetched");
      assertThat(cli("fetch", completed, "--to", to, "--out", fetched.toString()).code()).isZero();
      assertThat(fetched.resolve("summary.json")).exists();
      assertThat(fetched.resolve("rounds.csv")).exists();
    } finally {
      again.close();
    }
  }
}
