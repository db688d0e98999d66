package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code endpoint}: from its round a seeded draw of the agents calls another endpoint (here: the
 * endpoints of another model, a second fake server over real HTTP), in a run and in a replay of a
 * run recorded without it, which reuses every recorded answer before it and none of the switched
 * agents' after.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class EndpointInterventionTest {
  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  private static String spec(FakeLlmServer small, FakeLlmServer large) {
    return """
        name: switch
        seed: 11
        population:
          size: 24
          groups: [{name: all, fraction: 1.0, endpoints: [small]}]
        game: {names: [Q, M, X, "Y", F], memory: 5}
        policy:
          kind: llm
          llm: {temperature: 0.5, maxTokens: 32, seed: 5}
        inference:
          endpoints:
            - {name: small, url: '%s', model: m-small, maxInFlight: 32}
            - {name: large, url: '%s', model: m-large, maxInFlight: 32}
        stop: {maxRounds: 5, onConvergence: false}
        """.formatted(Specs.url(small), Specs.url(large));
  }

  @Test
  void switchedAgentsCallTheOtherModelFromTheInterventionOnInARunAndInAReplay() throws Exception {
    Path recorded = temp.resolve("recorded");
    Path replayed = temp.resolve("replayed");
    try (FakeLlmServer small = FakeLlmServer.start(FakeLlmSettings.fast().build());
         FakeLlmServer large = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path spec = Files.writeString(temp.resolve("spec.yaml"), spec(small, large));
      assertThat(norma.run("run", spec.toString(), "--out", recorded.toString(), "--quiet", "--no-report")).as(norma.err()).isZero();
      assertThat(large.stats().requests("chat", 200)).isZero();
      assertThat(norma.run("run", "--replay", recorded.toString(), "--out", replayed.toString(), "--quiet", "--no-report",
          "--set", "interventions=[{at: {round: 2}, action: endpoint, fraction: 0.5, model: m-large}]"))
          .as(norma.err()).isZero();
      assertThat(large.stats().requests("chat", 200)).isPositive();
    }
    List<String> rows = Files.readAllLines(replayed.resolve("interventions.csv"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("48,2,endpoint,model m-large,12,");
    Set<Integer> switched = Arrays.stream(rows.get(1).split(",")[5].split(" ")).map(Integer::valueOf)
        .collect(Collectors.toSet());
    List<JsonNode> calls = RunFiles.callJournal(replayed).stream()
        .filter(e -> e.path("type").asText().equals("call")).toList();
    assertThat(calls.stream().filter(e -> e.path("index").asLong() < 48)).isNotEmpty()
        .allMatch(e -> e.path("replayed").asBoolean() && e.path("endpoint").asText().equals("small"));
    List<JsonNode> later = calls.stream().filter(e -> e.path("index").asLong() >= 48).toList();
    assertThat(later).filteredOn(e -> switched.contains(e.path("agent").asInt())).isNotEmpty()
        .allMatch(e -> !e.path("replayed").asBoolean() && e.path("endpoint").asText().equals("large"));
    assertThat(later).filteredOn(e -> !switched.contains(e.path("agent").asInt())).isNotEmpty()
        .allMatch(e -> e.path("endpoint").asText().equals("small"));
  }
}
