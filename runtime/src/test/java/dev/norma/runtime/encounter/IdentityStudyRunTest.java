package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.ReplayBook;
import dev.norma.runtime.results.ParquetTables;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-group identity study ({@code game.kind: identity}) on the actor engine: with rule-based
 * debaters an actor run writes what {@code EncounterLoop} writes, transcripts included; with
 * language-model debaters every turn is a free-text call through the real fake server (HTTP),
 * whose stand-in drifts towards "we", and the test reads that drift from the run's figures; a
 * replay of the call journal writes every transcript again with no endpoint. A judge model's
 * verdicts are calls of the debate through the same gateway, to the judge's endpoint, journaled,
 * counted and replayed; on the stand-in's text they give the rules' figures.
 */
class IdentityStudyRunTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final ObjectMapper JSON = new ObjectMapper();
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

  private static Summary run(ExperimentSpec spec, Path dir, ReplayBook replay) throws Exception {
    return EncounterRuns.start(runner.system(), spec, EncounterRuns.gameOf(spec), dir, ProgressListener.NONE,
        new StudyOptions(replay, null)).done().get(120, TimeUnit.SECONDS);
  }

  private static List<JsonNode> transcripts(Path dir) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("transcripts.jsonl"))) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** The last row of {@code rounds.csv}, by column. */
  private static java.util.Map<String, Double> lastRow(Path dir) throws Exception {
    List<String> rows = Files.readAllLines(dir.resolve("rounds.csv"));
    String[] header = rows.get(0).split(",");
    String[] last = rows.get(rows.size() - 1).split(",");
    java.util.Map<String, Double> row = new java.util.LinkedHashMap<>();
    for (int c = 0; c < header.length; c++) {
      row.put(header[c], Double.parseDouble(last[c]));
    }
    return row;
  }

  @Test
  void ruleBasedDebatersOnActorsWriteWhatTheLoopWrites() throws Exception {
    ExperimentSpec spec = SpecLoader.load(EXAMPLES.resolve("identity.yaml"), List.of("population.size=24",
        "schedule.inFlight=7", "output.interactions=true")).resolved();
    Summary summary = run(spec, temp.resolve("actors/run"), null);
    EncounterRuns.writeLoop(spec, EncounterRuns.gameOf(spec), temp.resolve("loop/run"));

    assertThat(summary.status()).isEqualTo(RunOutcome.COMPLETED);
    for (String file : List.of("rounds.csv", "transcripts.jsonl")) {
      assertThat(Files.readString(temp.resolve("actors/run").resolve(file))).as(file)
          .isEqualTo(Files.readString(temp.resolve("loop/run").resolve(file)));
    }
    assertThat(RunFiles.gunzip(temp.resolve("actors/run/interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(temp.resolve("loop/run/interactions.csv.gz")));
    List<JsonNode> lines = transcripts(temp.resolve("actors/run"));
    // 12 pairs, 3 rounds, 6 turns and 4 completions a debate
    assertThat(lines).hasSize(12 * 3 * 10);
    assertThat(lines.get(0).path("run").asText()).isEqualTo("run");
    assertThat(lines.get(0).path("model").asText()).isEqualTo("rule");
    List<String> fields = new ArrayList<>();
    lines.get(0).fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("run", "encounter", "turn", "agent", "role", "model", "text", "tokens");
    assertThat(ParquetTables.rowCount(temp.resolve("actors/run/transcripts.parquet"))).isEqualTo(lines.size());
    assertThat(summary.measures()).containsKeys("assistant_wePer1k", "unique_weDrift");
  }

  @Test
  void languageModelDebatersDriftTowardsWeAndAReplayNeedsNoEndpoint() throws Exception {
    ExperimentSpec spec;
    Summary recorded;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      spec = SpecLoader.load(EXAMPLES.resolve("identity-llm.yaml"), List.of(
          "inference.endpoints[0].url=" + Specs.url(server), "inference.endpoints[1].url=" + Specs.url(server),
          "stop.maxRounds=1")).resolved();
      recorded = run(spec, temp.resolve("recorded/run"), null);
    }
    assertThat(recorded.status()).isEqualTo(RunOutcome.COMPLETED);
    List<JsonNode> calls = RunFiles.callJournal(temp.resolve("recorded/run")).stream()
        .filter(line -> "call".equals(line.path("type").asText())).toList();
    // 6 debates of 6 turns and 4 completions, each a call; the stand-in always answers
    assertThat(calls).hasSize(60).allSatisfy(line -> assertThat(line.path("freeText").asBoolean()).isTrue());
    assertThat(calls).extracting(line -> line.path("role").asText()).contains("debater:0", "debater:5", "we-are:6",
        "they-are:9");
    assertThat(recorded.inference().calls()).isEqualTo(60);

    List<JsonNode> lines = transcripts(temp.resolve("recorded/run"));
    assertThat(lines).hasSize(60);
    assertThat(lines).extracting(line -> line.path("model").asText()).containsOnly("model-a", "model-b");
    // Encounter 1 is a mixed pair: agent 2 of group a opens, agent 8 of group b answers.
    assertThat(lines.stream().filter(line -> line.path("encounter").asLong() == 1).limit(2)
        .map(line -> line.path("model").asText())).containsExactly("model-a", "model-b");

    // The drift the stand-in was built with, measured from the transcripts: more "we" late than
    // early. By hand, a debate's first half (turns 1-3) has 2 forms in 49 tokens, its last half
    // 12 in 102 (about +77 per 1,000 tokens), and only 6 in 75 under the unique identity (+39).
    java.util.Map<String, Double> row = lastRow(temp.resolve("recorded/run"));
    for (String condition : List.of("same", "mixed", "mixedUnique")) {
      assertThat(row.get(condition + "_weDrift")).as(condition).isGreaterThan(condition.equals("mixedUnique") ? 30 : 60);
      assertThat(row.get(condition + "_invalid")).isZero();
    }
    assertThat(row.get("mixed_wePer1k")).isGreaterThan(row.get("mixedUnique_wePer1k"));
    assertThat(row.get("mixed_weDrift")).isGreaterThan(row.get("mixedUnique_weDrift"));

    // The server is gone: every text must come from the journal.
    Summary replayed = run(spec, temp.resolve("replayed/run"), ReplayBook.read(temp.resolve("recorded/run")));
    assertThat(replayed.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(replayed.inference().calls()).isZero();
    assertThat(replayed.inference().replayedCalls()).isEqualTo(60);
    assertThat(Files.readString(temp.resolve("replayed/run/transcripts.jsonl")))
        .isEqualTo(Files.readString(temp.resolve("recorded/run/transcripts.jsonl")));
    assertThat(Files.readString(temp.resolve("replayed/run/rounds.csv")))
        .isEqualTo(Files.readString(temp.resolve("recorded/run/rounds.csv")));
  }

  @Test
  void aJudgeModelsVerdictsAreCallsOfTheDebateThatAgreeWithTheRulesAndReplay() throws Exception {
    ExperimentSpec spec;
    Summary recorded;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      List<String> overrides = new ArrayList<>(List.of("stop.maxRounds=1"));
      for (int e = 0; e < 3; e++) {
        overrides.add("inference.endpoints[" + e + "].url=" + Specs.url(server));
      }
      spec = SpecLoader.load(EXAMPLES.resolve("identity-judge.yaml"), overrides).resolved();
      recorded = run(spec, temp.resolve("judged/run"), null);
    }
    assertThat(recorded.status()).isEqualTo(RunOutcome.COMPLETED);
    List<JsonNode> calls = RunFiles.callJournal(temp.resolve("judged/run")).stream()
        .filter(line -> "call".equals(line.path("type").asText())).toList();
    List<JsonNode> verdicts = calls.stream().filter(line -> line.path("role").asText().startsWith("judge-")).toList();
    // 6 debates of 10 lines, each line a debater's call and a judge's verdict, every verdict to the judge
    assertThat(calls).hasSize(120);
    assertThat(verdicts).hasSize(60).allSatisfy(line -> {
      assertThat(line.path("endpoint").asText()).isEqualTo("judge");
      assertThat(line.path("group").asText()).isEqualTo("judge");
      assertThat(line.path("outcome").asText()).isEqualTo("ok");
    });
    assertThat(calls.stream().filter(line -> !line.path("role").asText().startsWith("judge-")))
        .allSatisfy(line -> assertThat(line.path("endpoint").asText()).isIn("model-a", "model-b"));
    assertThat(verdicts).extracting(line -> line.path("choice").asText()).contains("cooperative", "adversarial",
        "positive", "negative");
    assertThat(recorded.inference().calls()).isEqualTo(120);
    assertThat(recorded.inference().promptTokens()).isPositive();

    // The debaters' answers replayed, read by the word rules: the judge's figures, row for row.
    Path rulesDir = temp.resolve("rules/run");
    Summary byRules = run(SpecLoader.load(EXAMPLES.resolve("identity-judge.yaml"), List.of("stop.maxRounds=1",
        "game.settings.scoring=rules")).resolved(), rulesDir, ReplayBook.read(temp.resolve("judged/run")));
    assertThat(byRules.inference().calls()).isZero();
    assertThat(byRules.inference().replayedCalls()).isEqualTo(60);
    assertThat(Files.readString(rulesDir.resolve("rounds.csv")))
        .isEqualTo(Files.readString(temp.resolve("judged/run/rounds.csv")));

    // The server is gone: every verdict too comes from the journal.
    Summary replayed = run(spec, temp.resolve("replayed/run"), ReplayBook.read(temp.resolve("judged/run")));
    assertThat(replayed.inference().calls()).isZero();
    assertThat(replayed.inference().replayedCalls()).isEqualTo(120);
    assertThat(Files.readString(temp.resolve("replayed/run/rounds.csv")))
        .isEqualTo(Files.readString(temp.resolve("judged/run/rounds.csv")));
    assertThat(Files.readString(temp.resolve("replayed/run/transcripts.jsonl")))
        .isEqualTo(Files.readString(temp.resolve("judged/run/transcripts.jsonl")));
  }

  /**
   * {@code scoring: both} over HTTP: the judge asked as under {@code judge} (60 verdicts beside 60
   * debaters' calls), and the rules' reading beside its own in {@code rounds.csv}. The stand-in
   * judge reads by the default phrases, so the two agree on every judged message (share 1, kappa
   * 1); the rules' columns are what a replay under {@code rules} writes, and a replay with the
   * server gone writes the same rows.
   */
  @Test
  void bothScoringsWriteTheJudgesAndTheRulesReadingsWithTheirAgreementAndReplay() throws Exception {
    List<String> overrides = new ArrayList<>(List.of("stop.maxRounds=1", "game.settings.scoring=both"));
    Summary recorded;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      List<String> live = new ArrayList<>(overrides);
      for (int e = 0; e < 3; e++) {
        live.add("inference.endpoints[" + e + "].url=" + Specs.url(server));
      }
      recorded = run(SpecLoader.load(EXAMPLES.resolve("identity-judge.yaml"), live).resolved(),
          temp.resolve("both/run"), null);
      assertThat(server.stats().requests("chat", 200)).isEqualTo(120);
    }
    assertThat(recorded.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(recorded.inference().calls()).isEqualTo(120);
    assertThat(RunFiles.callJournal(temp.resolve("both/run")).stream()
        .filter(line -> line.path("role").asText().startsWith("judge-"))).hasSize(60);
    java.util.Map<String, Double> both = lastRow(temp.resolve("both/run"));

    Path rulesDir = temp.resolve("rules/run");
    run(SpecLoader.load(EXAMPLES.resolve("identity-judge.yaml"), List.of("stop.maxRounds=1",
        "game.settings.scoring=rules")).resolved(), rulesDir, ReplayBook.read(temp.resolve("both/run")));
    java.util.Map<String, Double> byRules = lastRow(rulesDir);
    for (String condition : List.of("same", "mixed", "mixedUnique")) {
      assertThat(both.get(condition + "_stanceAgreement")).as(condition).isEqualTo(1.0);
      assertThat(both.get(condition + "_stanceKappa")).as(condition).isEqualTo(1.0);
      for (String figure : List.of("cooperative", "adversarial", "weAre", "theyAre")) {
        assertThat(both.get(condition + "_" + figure + "Rules")).as(condition + "_" + figure)
            .isEqualTo(byRules.get(condition + "_" + figure)).isEqualTo(both.get(condition + "_" + figure));
      }
    }
    assertThat(both.get("same_cooperative")).isPositive();

    // The server is gone: the verdicts and the rows come from the journal.
    Summary replayed = run(SpecLoader.load(EXAMPLES.resolve("identity-judge.yaml"), overrides).resolved(),
        temp.resolve("replayed/run"), ReplayBook.read(temp.resolve("both/run")));
    assertThat(replayed.inference().calls()).isZero();
    assertThat(replayed.inference().replayedCalls()).isEqualTo(120);
    assertThat(Files.readString(temp.resolve("replayed/run/rounds.csv")))
        .isEqualTo(Files.readString(temp.resolve("both/run/rounds.csv")));
  }
}
