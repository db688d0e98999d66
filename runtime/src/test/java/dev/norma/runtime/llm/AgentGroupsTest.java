package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents with models of their own ({@code population.groups}): two real fake servers as two
 * endpoints; one group answered only by the first, with its own temperature and persona; one
 * drawn by count, answered only by the second, with its own answer cap; the rest by either. Every
 * call line must show the asking agent's group, the group's endpoint and parameters; the persona
 * must open the group's system texts; {@code groups.csv} and the group meters must agree with the
 * journal. For the naming game (the two-party engine) and the ultimatum game (an encounter game).
 */
class AgentGroupsTest {
  private static StudyRunner runner;

  @TempDir
  Path temp;

  @BeforeAll
  static void startNode() {
    runner = new StudyRunner();
  }

  @AfterAll
  static void stopNode() {
    runner.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"naming", "ultimatum"})
  void eachGroupAsksItsOwnEndpointsWithItsOwnSettings(String game) throws Exception {
    try (FakeLlmServer one = FakeLlmServer.start(FakeLlmSettings.fast().build());
         FakeLlmServer two = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      List<String> sets = new ArrayList<>(List.of(
          "population.size=12", "stop.maxRounds=3", "durability=none",
          "inference.endpoints=[{name: one, url: '" + Specs.url(one) + "', model: norma-fake-llm, maxInFlight: 8},"
              + " {name: two, url: '" + Specs.url(two) + "', model: norma-fake-llm, maxInFlight: 8}]",
          "population.groups=[{name: first, ids: 0-3, endpoints: [one], temperature: 0.2,"
              + " persona: 'You are a careful person.'}, {name: drawn, count: 4, endpoints: [two], maxTokens: 40}]"));
      ExperimentSpec spec = "naming".equals(game) ? SpecLoader.parse(Specs.llm(one), sets).resolved()
          : SpecLoader.load(Path.of("..", "examples", "ultimatum-llm.yaml"), sets).resolved();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Path dir = temp.resolve(game);
      StudyOptions options = new StudyOptions(null, meters);
      var encounters = EncounterRuns.gameOf(spec);
      Summary summary = encounters != null
          ? runner.runEncounters(spec, encounters, dir, ProgressListener.NONE, options)
          : runner.run(spec, dir, ProgressListener.NONE, options);
      assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);

      Map<Integer, String> groupOf = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve(LlmStudy.GROUPS_FILE)).subList(1, 9)) {
        groupOf.put(Integer.parseInt(line.split(",")[0]), line.split(",")[1]);
      }
      assertThat(Files.readAllLines(dir.resolve(LlmStudy.GROUPS_FILE))).hasSize(9).first().isEqualTo("agent,group");
      for (int id = 0; id < 4; id++) {
        assertThat(groupOf).containsEntry(id, "first");
      }
      assertThat(groupOf.values().stream().filter("drawn"::equals)).hasSize(4);

      List<JsonNode> journal = RunFiles.callJournal(dir);
      Map<String, String> systems = new HashMap<>();
      journal.stream().filter(line -> "system".equals(line.path("type").asText()))
          .forEach(line -> systems.put(line.path("sha256").asText(), line.path("text").asText()));
      Map<String, Integer> answered = new HashMap<>();
      Map<String, java.util.Set<String>> endpoints = new HashMap<>();
      for (JsonNode call : journal) {
        if (!"call".equals(call.path("type").asText())) {
          continue;
        }
        String group = groupOf.getOrDefault(call.path("agent").asInt(), "");
        assertThat(call.path("group").asText("")).isEqualTo(group);
        endpoints.computeIfAbsent(group, g -> new java.util.TreeSet<>()).add(call.path("endpoint").asText());
        answered.merge(group, 1, Integer::sum);
        String system = systems.get(call.path("systemSha256").asText());
        assertThat(system.startsWith("You are a careful person.\n\n")).isEqualTo("first".equals(group));
        assertThat(call.path("params").path("temperature").asDouble())
            .isEqualTo("first".equals(group) ? 0.2 : spec.policy().llm().temperature());
        assertThat(call.path("params").path("maxTokens").asInt())
            .isEqualTo("drawn".equals(group) ? 40 : spec.policy().llm().maxTokens());
      }
      assertThat(endpoints.get("first")).containsExactly("one");
      assertThat(endpoints.get("drawn")).containsExactly("two");
      assertThat(answered.get("")).isPositive();
      for (String group : List.of("first", "drawn")) {
        double counted = meters.find("norma.llm.group.calls").tag("group", group).counters().stream()
            .mapToDouble(c -> c.count()).sum();
        assertThat(counted).isEqualTo(answered.get(group).doubleValue());
      }
    }
  }
}
