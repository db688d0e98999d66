package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.ReplayBook;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRSEC study with language-model customers ({@code examples/crsec-llm.yaml}, 100 agents in 10
 * rooms) on the actor engine, every turn a call through the real fake server over HTTP: the run
 * writes what {@code EncounterLoop} writes with the same stand-in answering, its journal holds
 * every module's turns, and a replay of the journal writes the same files with no endpoint.
 */
class CrsecStudyRunTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "crsec-llm.yaml");
  private static final int PERIODS = 2;
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

  /** The fake server's answers, given in the loop: the stand-in reads the same prompt text. */
  private static EncounterLoop.Model standIn() {
    FakeAnswers fake = Games.forKind("crsec").fakeAnswers();
    return new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        ParsedChoice parsed = turn.parser().parse(fake.answer(turn.prompt().text(), bound -> 0));
        return parsed instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        return fake.answer(turn.prompt().text(), bound -> 0);
      }
    };
  }

  /** A column of {@code rounds.csv}, by period. */
  private static List<Double> column(Path dir, String name) throws Exception {
    List<String> rows = Files.readAllLines(dir.resolve("rounds.csv"));
    int at = List.of(rows.get(0).split(",")).indexOf(name);
    return rows.subList(1, rows.size()).stream().map(row -> Double.parseDouble(row.split(",")[at])).toList();
  }

  /**
   * Over ten periods the advocates' norms reach those who heard them often enough, who then comply,
   * and conflicts fall: the figures of the README's section, made with the fake server (~40 s).
   */
  @Test
  @org.junit.jupiter.api.Tag("slow")
  void overTenPeriodsTheNormsSpreadAndConflictsFall() throws Exception {
    ExperimentSpec spec;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      spec = SpecLoader.load(EXAMPLE, List.of("inference.endpoints[0].url=" + Specs.url(server))).resolved();
      assertThat(run(spec, temp.resolve("run"), null).status()).isEqualTo(RunOutcome.COMPLETED);
    }
    EncounterEngineTest.Expected expected = EncounterEngineTest.expected(EncounterRuns.gameOf(spec),
        spec.population().size(), spec.stop().maxRounds(), standIn());
    assertThat(Files.readString(temp.resolve("run/rounds.csv"))).isEqualTo(expected.rounds());
    List<Double> conflicts = column(temp.resolve("run"), "conflicts");
    assertThat(conflicts.get(conflicts.size() - 1)).isLessThan(conflicts.get(0) / 2);
    assertThat(column(temp.resolve("run"), "active.smoking").get(conflicts.size() - 1)).isGreaterThan(0.5);
    assertThat(RunFiles.callJournal(temp.resolve("run"))).anyMatch(line -> line.path("role").asText()
        .startsWith("comply:"));
  }

  @Test
  void aHundredLanguageModelCustomersRunAsTheLoopAndAReplayNeedsNoEndpoint() throws Exception {
    ExperimentSpec spec;
    Summary recorded;
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      spec = SpecLoader.load(EXAMPLE, List.of("inference.endpoints[0].url=" + Specs.url(server),
          "stop.maxRounds=" + PERIODS, "output.interactions=true",
          // The second period is a synthesis period: the advocates sum up their norms of consideration.
          "game.settings.synthesisInterval=" + PERIODS)).resolved();
      recorded = run(spec, temp.resolve("recorded"), null);
    }
    assertThat(recorded.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(recorded.policy()).isEqualTo("llm");

    EncounterEngineTest.Expected expected = EncounterEngineTest.expected(EncounterRuns.gameOf(spec),
        spec.population().size(), PERIODS, standIn());
    assertThat(Files.readString(temp.resolve("recorded/rounds.csv"))).isEqualTo(expected.rounds());
    assertThat(RunFiles.gunzip(temp.resolve("recorded/interactions.csv.gz"))).isEqualTo(expected.interactions());

    List<JsonNode> calls = RunFiles.callJournal(temp.resolve("recorded")).stream()
        .filter(line -> "call".equals(line.path("type").asText())).toList();
    Map<String, Long> byPart = calls.stream().collect(Collectors.groupingBy(
        line -> line.path("role").asText().replaceAll(":\\d+$", ""), Collectors.counting()));
    // The 30 advocates write their norms once; the other modules asked; the stand-in's answers all
    // usable. (Compliance is asked once a norm is held against a habit: later than these periods.)
    assertThat(byPart).containsEntry("create", 30L).containsKeys("speak-up", "speak", "identify", "evaluate",
        "describe", "synthesise");
    assertThat(calls).allSatisfy(line -> assertThat(line.path("outcome").asText()).isEqualTo("ok"));
    assertThat(recorded.inference().calls()).isEqualTo(calls.size());
    // At most 2T + 5 calls an agent and period (T = 3 themes), 30 creations, and two an agent for
    // the one abstract norm at the synthesis period.
    assertThat(calls.size()).isLessThanOrEqualTo(30 + 100 * PERIODS * (2 * 3 + 5) + 100 * 2);

    assertThat(column(temp.resolve("recorded"), "invalidTurns")).containsOnly(0.0);

    List<String> transcripts = Files.readAllLines(temp.resolve("recorded/transcripts.jsonl"));
    assertThat(transcripts).anyMatch(line -> line.contains("\"role\":\"create\"")
        && line.contains("Norm: Customers should not smoke indoors."));
    // The abstract norm the model wrote at the synthesis period passed the checks and its utility:
    // no advocate proposed it, and it is held.
    assertThat(transcripts).anyMatch(line -> line.contains("\"role\":\"synthesise\"")
        && line.contains("Norm: Customers should show consideration for others."));
    assertThat(column(temp.resolve("recorded"), "unproposedNorms").get(PERIODS - 1)).isPositive();

    // The server is gone: every answer must come from the journal.
    Summary replayed = run(spec, temp.resolve("replayed"), ReplayBook.read(temp.resolve("recorded")));
    assertThat(replayed.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(replayed.inference().calls()).isZero();
    assertThat(replayed.inference().replayedCalls()).isEqualTo(calls.size());
    assertThat(Files.readString(temp.resolve("replayed/rounds.csv")))
        .isEqualTo(Files.readString(temp.resolve("recorded/rounds.csv")));
    // Each line names its run (the directory): the same lines, but for that.
    assertThat(Files.readString(temp.resolve("replayed/transcripts.jsonl")).replace("\"run\":\"replayed\"", "\"run\":\"recorded\""))
        .isEqualTo(Files.readString(temp.resolve("recorded/transcripts.jsonl")));
  }
}
