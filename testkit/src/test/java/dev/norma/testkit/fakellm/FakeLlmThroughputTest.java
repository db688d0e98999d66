package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.agents.Streams;
import dev.norma.agents.games.naming.MemoryPolicy;
import dev.norma.agents.games.naming.NamingGame;
import dev.norma.agents.games.naming.NamingMind;
import dev.norma.agents.games.naming.NamingPrompt;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many naming-game requests per second the fake server answers with its default capacity
 * model, client in the same JVM. Opt-in ({@code -Dsurefire.excludedGroups= -Dgroups=slow}): it
 * measures the machine as much as the server.
 */
@Tag("slow")
class FakeLlmThroughputTest {

  @Test
  void servesSeveralHundredRequestsPerSecond() throws Exception {
    int requests = Integer.getInteger("fakellm.requests", 20_000);
    int concurrency = Integer.getInteger("fakellm.concurrency", 256);
    NamingGame game = new NamingGame(List.of("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D"), 5, 100, -50,
        new MemoryPolicy(10, 0.1, null), -1);
    NamingPrompt prompt = NamingPrompt.forGame(game);
    List<ObjectNode> bodies = new ArrayList<>();
    for (int id = 0; id < 64; id++) {
      NamingMind mind = game.newMind(id, 7);
      for (int i = 0; i < id % 6; i++) {
        game.remember(mind, mind.nextInt(10), mind.nextInt(10), i);
      }
      bodies.add(TestClient.chatBody(prompt.render(mind, new Streams.RandomStream(7, id))));
    }
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.builder().build())) {
      TestClient client = new TestClient(server);
      for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up
        int n = pass == 0 ? requests / 4 : requests;
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          inFlight.acquire();
          calls.add(client.postAsync("/v1/chat/completions", bodies.get(i % bodies.size()))
              .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          assertThat(call.join().statusCode()).isEqualTo(200);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        FakeLlmStats stats = server.stats();
        System.out.printf("pass %d: %d requests in %.2f s = %.0f req/s; mean batch %.1f, utilisation %.2f, "
                + "prefix-cache hits %.0f%% of prompt tokens%n", pass, n, seconds, n / seconds,
            stats.meanBatchSequences(), stats.utilisation(),
            100.0 * stats.prefixCacheHitTokens() / stats.promptTokens());
        if (pass == 1) {
          assertThat(n / seconds).isGreaterThan(300);
        }
      }
    }
  }
}
