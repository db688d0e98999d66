package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code norma run --replay RUN_DIR}: a recorded run of language-model agents is re-run from its
 * call journal, exactly and with no endpoint; with an intervention the recorded answers are used
 * up to where the runs diverge and only later calls go to the endpoint.
 */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One recorded run serves every test; a test that changes it works on its own copy. */
  @TempDir
  static Path shared;

  private static Path recording;

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  @BeforeAll
  static void record() throws Exception {
    recording = shared.resolve("recorded");
    StringWriter errors = new StringWriter();
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path spec = Files.writeString(shared.resolve("spec.yaml"), Specs.llm(server));
      assertThat(NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(errors, true),
          "run", spec.toString(), "--out", recording.toString(), "--quiet")).as(errors.toString()).isZero();
    }
  }

  /** A copy of the recorded run in this test's own directory. */
  private Path recordedRun() throws Exception {
    Path copy = temp.resolve("recorded");
    try (var files = Files.walk(recording)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(recording.relativize(file).toString()));
      }
    }
    return copy;
  }

  @Test
  void aReplayReproducesTheRecordedRunExactlyWithNoEndpoint() throws Exception {
    Path recorded = recordedRun();
    // The server is gone: any call that reached for it would fail and show.
    Path replayed = temp.resolve("replayed");
    assertThat(norma.run("run", "--replay", recorded.toString(), "--out", replayed.toString(), "--quiet"))
        .as(norma.err()).isZero();

    assertThat(Files.readString(replayed.resolve("rounds.csv"))).isEqualTo(Files.readString(recorded.resolve("rounds.csv")));
    assertThat(RunFiles.gunzipLines(replayed.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzipLines(recorded.resolve("interactions.csv.gz")));
    JsonNode summary = JSON.readTree(replayed.resolve("summary.json").toFile());
    JsonNode original = JSON.readTree(recorded.resolve("summary.json").toFile());
    assertThat(summary.path("calls").asLong()).isZero();
    assertThat(summary.path("replayedCalls").asLong()).isPositive();
    assertThat(summary.path("winner").asText()).isEqualTo(original.path("winner").asText());
    // Every answer the results rest on was replayed. Only an interaction admitted past the stop
    // point may have asked for a call the recorded run never journaled; it counts for nothing.
    long recordedInteractions = original.path("interactions").asLong();
    List<JsonNode> journal = RunFiles.callJournal(replayed);
    assertThat(journal.stream().filter(e -> e.path("type").asText().equals("call")
        && e.path("index").asLong() < recordedInteractions))
        .isNotEmpty().allMatch(e -> e.path("replayed").asBoolean());
    assertThat(journal.stream().filter(e -> e.path("type").asText().equals("call") && !e.path("replayed").asBoolean()))
        .allMatch(e -> e.path("index").asLong() >= recordedInteractions);
  }

  @Test
  void anInterventionReusesRecordedAnswersUntilTheRunsDivergeThenCallsTheEndpoint() throws Exception {
    Path recorded = recordedRun();
    // A minority introduced at round 3, and the same as the spec's interventions list.
    List<List<String>> interventions = List.of(
        List.of("--set", "committed.count=6", "--set", "committed.introduce=atRound 3", "--set", "stop.maxRounds=8"),
        List.of("--set", "interventions=[{at: {round: 3}, action: commit, count: 6, name: Q}]", "--set",
            "stop.maxRounds=8"));
    for (int i = 0; i < interventions.size(); i++) {
      Path changed = temp.resolve("changed" + i);
      replayChanged(recorded, changed, interventions.get(i));
      List<String> before = Files.readAllLines(recorded.resolve("rounds.csv"));
      List<String> after = Files.readAllLines(changed.resolve("rounds.csv"));
      // Header and rounds 0..2 play alike; only committedShare, the share of a name the recorded
      // study did not commit anyone to, is new to the changed study's rows from its first round.
      assertThat(withoutCommittedShare(after.subList(0, 4))).isEqualTo(withoutCommittedShare(before.subList(0, 4)));
      assertThat(after).isNotEqualTo(before);
      JsonNode summary = JSON.readTree(changed.resolve("summary.json").toFile());
      assertThat(summary.path("replayedCalls").asLong()).isPositive();
      assertThat(summary.path("calls").asLong()).isPositive();
      // Before the minority's introduction every answer is the recorded one.
      answeredFromTheJournalBefore(changed, 3 * 24);
    }
    assertThat(Files.readAllLines(temp.resolve("changed1").resolve("interventions.csv")))
        .hasSize(2).element(1).asString().startsWith("72,3,commit,Q,6,");
  }

  /**
   * Asserts that every answered call of {@code run} before interaction {@code index} came from the
   * journal and every other from an endpoint, some of each; the answered calls.
   */
  private static List<JsonNode> answeredFromTheJournalBefore(Path run, long index) throws Exception {
    List<JsonNode> calls = RunFiles.callJournal(run).stream()
        .filter(e -> e.path("type").asText().equals("call") && e.path("outcome").asText().equals("ok")).toList();
    assertThat(calls.stream().filter(e -> e.path("index").asLong() < index))
        .isNotEmpty().allMatch(e -> e.path("replayed").asBoolean());
    assertThat(calls.stream().filter(e -> !e.path("replayed").asBoolean()))
        .isNotEmpty().allMatch(e -> e.path("index").asLong() >= index);
    return calls;
  }

  @Test
  void aChangeOfTheGameReusesEveryRecordedAnswerBeforeItThenCallsTheEndpoint() throws Exception {
    Path recorded = recordedRun();
    Path changed = temp.resolve("changed");
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      assertThat(norma.run("run", "--replay", recorded.toString(), "--out", changed.toString(), "--quiet",
          "--set", "stop.maxRounds=8", "--set", "interventions=[{at: {round: 3}, action: addNames, names: [K, L]}, "
              + "{at: {round: 5}, action: relabel, from: Q, to: M}, {at: {round: 6}, action: payoff, success: 50}]",
          "--set", "inference.endpoints=[{name: fake, url: '" + server.baseUri() + "/v1', model: norma-fake-llm}]"))
          .as(norma.err()).isZero();
      assertThat(server.stats().requests("chat", 200)).isPositive();
    }
    List<String> before = Files.readAllLines(recorded.resolve("rounds.csv"));
    List<String> after = Files.readAllLines(changed.resolve("rounds.csv"));
    assertThat(after.subList(0, 4)).isEqualTo(before.subList(0, 4)); // header and rounds 0..2
    List<JsonNode> calls = answeredFromTheJournalBefore(changed, 3 * 24);
    // The added names are offered (and played) from round 3, Q never after round 5, and the payoff
    // columns follow the change at round 6.
    List<String[]> rows = RunFiles.gunzipLines(changed.resolve("interactions.csv.gz")).stream().skip(1)
        .map(line -> line.split(",")).toList();
    assertThat(rows).filteredOn(r -> Long.parseLong(r[0]) < 72).noneMatch(r -> List.of("K", "L").contains(r[6]) || List.of("K", "L").contains(r[7]));
    assertThat(rows).filteredOn(r -> Long.parseLong(r[0]) >= 120).noneMatch(r -> r[6].equals("Q") || r[7].equals("Q"));
    assertThat(rows).filteredOn(r -> Long.parseLong(r[0]) >= 144 && r[8].equals("true")).isNotEmpty()
        .allMatch(r -> r[10].equals("50"));
    assertThat(rows).filteredOn(r -> Long.parseLong(r[0]) < 144 && r[8].equals("true")).isNotEmpty()
        .allMatch(r -> r[10].equals("100"));
    assertThat(calls.stream().filter(e -> e.path("index").asLong() >= 72 && !e.path("replayed").asBoolean()))
        .anyMatch(e -> e.path("choice").asText().equals("K") || e.path("choice").asText().equals("L"));
    assertThat(Files.readAllLines(changed.resolve("interventions.csv"))).containsExactly(
        "index,round,action,name,count,agents", "72,3,addNames,K L,0,", "120,5,relabel,Q\u2192M,0,",
        "144,6,payoff,success 50,0,");
  }

  @Test
  void agentsLeavingAndARewiringReuseRecordedAnswersUntilTheirRound() throws Exception {
    Path recorded = recordedRun();
    Path changed = temp.resolve("changed");
    replayChanged(recorded, changed, List.of("--set", "interventions=[{at: {round: 3}, action: removeAgents, count: 6},"
        + " {at: {round: 3}, action: rewire, topology: {kind: ring, k: 2}}]",
        // Enough rounds after the change to see it; a shorter run keeps the test quick.
        "--set", "stop.maxRounds=8"));
    List<String> before = Files.readAllLines(recorded.resolve("rounds.csv"));
    List<String> after = Files.readAllLines(changed.resolve("rounds.csv"));
    assertThat(after.subList(0, 4)).isEqualTo(before.subList(0, 4));
    assertThat(after).isNotEqualTo(before);
    answeredFromTheJournalBefore(changed, 3 * 24);
    List<String> log = Files.readAllLines(changed.resolve("interventions.csv"));
    assertThat(log).hasSize(3);
    assertThat(log.get(1)).startsWith("72,3,removeAgents,,6,");
    assertThat(log.get(2)).isEqualTo("72,3,rewire,ring k=2,0,");
    java.util.Set<String> left = java.util.Set.of(log.get(1).substring(log.get(1).lastIndexOf(',') + 1).split(" "));
    // From round 3 on, only agents still present meet, and only neighbours on the ring.
    List<String> played = RunFiles.gunzipLines(changed.resolve("interactions.csv.gz")).stream().skip(1 + 3 * 24).toList();
    assertThat(played).isNotEmpty().allSatisfy(line -> {
      String[] cells = line.split(",");
      assertThat(left).doesNotContain(cells[2], cells[3]);
      int gap = Math.abs(Integer.parseInt(cells[2]) - Integer.parseInt(cells[3]));
      assertThat(gap == 1 || gap == 23).as(line).isTrue();
    });
  }

  /** Replays {@code recorded} into {@code changed} with the extra {@code --set}s, a new server answering new calls. */
  private void replayChanged(Path recorded, Path changed, List<String> sets) throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      // The recorded spec names the recorded server; this one listens elsewhere.
      String url = server.baseUri() + "/v1";
      List<String> args = new java.util.ArrayList<>(List.of("run", "--replay", recorded.toString(), "--out",
          changed.toString(), "--quiet"));
      args.addAll(sets);
      args.addAll(List.of("--set", "inference.endpoints=[{name: fake, url: '" + url + "', model: norma-fake-llm}]"));
      assertThat(norma.run(args.toArray(String[]::new))).as(norma.err()).isZero();
      assertThat(server.stats().requests("chat", 200)).isPositive();
    }
  }

  @Test
  void aDamagedJournalStopsTheReplayNamingTheLineUnlessTheFlagAcceptsIt() throws Exception {
    Path recorded = recordedRun();
    Path journal = recorded.resolve("calls.jsonl.gz");
    List<String> lines = new java.util.ArrayList<>(RunFiles.gunzipLines(journal));
    lines.add(99, "{\"type\":\"call\",\"index\": 1"); // a line cut in the middle, at line 100
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(journal))) {
      out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Path refused = temp.resolve("refused");
    assertThat(norma.run("run", "--replay", recorded.toString(), "--out", refused.toString(), "--quiet"))
        .isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(norma.err()).contains(journal + " line 100: not a JSON object", "--accept-damaged-journal");
    assertThat(norma.err().lines()).hasSize(1);
    assertThat(refused).as("nothing written").doesNotExist();

    // Accepted, the bad line is skipped and counted; every answer is still there. The server is
    // gone: a call that reached for it would fail and show.
    norma.clear();
    Path accepted = temp.resolve("accepted");
    assertThat(norma.run("run", "--replay", recorded.toString(), "--accept-damaged-journal", "--out",
        accepted.toString(), "--quiet")).as(norma.err()).isZero();
    assertThat(norma.err()).contains("warning: " + journal + " is damaged: read " + (lines.size() - 1)
        + " lines, skipped 1");
    assertThat(Files.readString(accepted.resolve("rounds.csv"))).isEqualTo(Files.readString(recorded.resolve("rounds.csv")));
  }

  /** Rows of rounds.csv without the committedShare column. */
  private static List<String> withoutCommittedShare(List<String> rows) {
    int column = java.util.Arrays.asList(rows.get(0).split(",", -1)).indexOf("committedShare");
    return rows.stream().map(row -> {
      List<String> cells = new java.util.ArrayList<>(java.util.Arrays.asList(row.split(",", -1)));
      cells.remove(column);
      return String.join(",", cells);
    }).toList();
  }
}
