package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.testing.JavaProcesses;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable encounter games killed hard (SIGKILL, mid-run: encounters in flight, some settled out of
 * order, a conversation part way) in a {@code norma run} JVM and resumed with
 * {@code norma run --resume DIR} end exactly as an uninterrupted run of the seed: the rule-based
 * ultimatum game and the crsec study with interventions as {@code EncounterLoop} writes them; the
 * language-model studies (ultimatum, CRSEC norm emergence, in-group identity read by a judge) as an
 * uninterrupted run on the same fake server (whose answers depend only on prompt and seed), file
 * for file, asking the endpoint again only for turns in flight at the kill.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EncounterResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Summary fields that count what the endpoint was asked and what the call journal answered: a
   * resumed run answers from its journal the turns of a conversation cut by the kill, and asks
   * again what was in flight.
   */
  private static final List<String> CALL_COUNTS = List.of("calls", "replayedCalls", "requests", "promptTokens",
      "completionTokens", "estimatedCost", "reissuedCalls");

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  /** 25 to 50 s on two shared cores (two durable sessions, one a JVM of its own): opt-in. */
  @Test
  @Tag("slow")
  void aKilledUltimatumStudyResumesToTheLoopsResult() throws Exception {
    Path dir = temp.resolve("run");
    Path loop = killResumeAndLoop(dir, "ultimatum.yaml", 79, "population.size=40", "stop.maxRounds=80",
        "schedule.inFlight=12", "game.settings.reputation=true");
    assertThat(Files.readString(dir.resolve("rounds.csv"))).isEqualTo(Files.readString(loop.resolve("rounds.csv")));
    assertThat(RunFiles.gunzip(dir.resolve("interactions.csv.gz")))
        .isEqualTo(RunFiles.gunzip(loop.resolve("interactions.csv.gz")));
    JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.path("status").asText()).isEqualTo("completed");
    assertThat(summary.path("interactions").asLong()).isEqualTo(40L * 80); // every agent proposes once a round
  }

  /**
   * A crsec study with interventions before the kill (agents leave, advocates are made ordinary) and
   * one after (advocates leave): the resumed run's
   * {@code interventions.csv}, rebuilt from the journal, equals the loop's. About 15 s: opt-in.
   */
  @Test
  @Tag("slow")
  void aKilledCrsecStudyResumesWithTheLoopsInterventions() throws Exception {
    Path dir = temp.resolve("run");
    Path loop = killResumeAndLoop(dir, "crsec.yaml", 44, "population.size=200", "stop.maxRounds=60",
        "interventions=[{at: {round: 1}, action: removeAgents, committed: false, count: 40}, {at: {round: 2},"
            + " action: uncommit, fraction: 0.5}, {at: {round: 45}, action: removeAgents, committed: true, count: 5}]");
    assertThat(Files.readString(dir.resolve("rounds.csv"))).isEqualTo(Files.readString(loop.resolve("rounds.csv")));
    assertThat(Files.readAllLines(dir.resolve("interventions.csv"))).hasSize(4)
        .isEqualTo(Files.readAllLines(loop.resolve("interventions.csv")));
    assertThat(dir.resolve("interventions.csv" + dev.norma.runtime.results.RunDirectory.REBUILDING)).doesNotExist();
  }

  /**
   * Runs {@code example} with {@code sets}, durable and seed 23, into {@code dir} in a JVM of its
   * own, kills it once {@code rounds.csv} has four lines (at most {@code lastKillRound} rounds,
   * no summary), resumes it here, and writes the loop of its recorded spec.
   *
   * @return the loop's run directory
   */
  private Path killResumeAndLoop(Path dir, String example, long lastKillRound, String... sets) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("run", Path.of("..", "examples", example).toString()));
    for (String set : sets) {
      args.addAll(List.of("--set", set));
    }
    args.addAll(List.of("--durability", "durable", "--seed", "23", "--out", dir.toString(), "--quiet"));
    Process run = JavaProcesses.start(temp.resolve("run.log"), List.of("-Xmx256m"), NormaCli.class, args, Map.of());
    JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), 4);
    long roundsBeforeKill = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
    assertThat(roundsBeforeKill).as("killed mid-run").isBetween(3L, lastKillRound);
    assertThat(dir.resolve("summary.json")).doesNotExist();

    assertThat(norma.run("run", "--resume", dir.toString(), "--quiet")).as(norma.err()).isZero();

    ExperimentSpec recorded = SpecLoader.load(dir.resolve("spec.yaml"), List.of());
    Path loop = temp.resolve("loop");
    EncounterRuns.writeLoop(recorded, EncounterRuns.gameOf(recorded), loop);
    return loop;
  }

  /** About 20 s on two shared cores: opt-in. */
  @Test
  @Tag("slow")
  void aKilledConversationResumesAskingOnlyWhatWasInFlight() throws Exception {
    // 3 ms steps: ten short rounds last long enough to be killed after the third.
    Path dir = killResumeAndReference("ultimatum-llm.yaml", Duration.ofMillis(3), 3, 12, "stop.maxRounds=10",
        "population.size=12");
    assertThat(RunFiles.summary(dir).path("interactions").asLong()).isEqualTo(12L * 10);
  }

  /**
   * The CRSEC study with language-model customers, 30 of them in 3 cafés, killed part way through
   * a period (norms being written, spoken of, scored) and resumed. About 20 s: opt-in.
   */
  @Test
  @Tag("slow")
  void aKilledCrsecConversationResumesAskingOnlyWhatWasInFlight() throws Exception {
    Path dir = killResumeAndReference("crsec-llm.yaml", Duration.ofMillis(1), 3, 30, "population.size=30",
        "schedule.inFlight=3", "stop.maxRounds=8", "game.settings.synthesisInterval=3");
    assertThat(Files.readString(dir.resolve(EncounterFiles.TRANSCRIPTS))).contains("\"role\":\"create\"");
  }

  /**
   * The in-group identity study read by a judge and by the word lists ({@code scoring: both}):
   * six debates in flight, the judge's verdicts turns of them, killed part way and resumed. About
   * 15 s: opt-in.
   */
  @Test
  @Tag("slow")
  void aKilledJudgedDebateResumesAskingOnlyWhatWasInFlight() throws Exception {
    Path dir = killResumeAndReference("identity-judge.yaml", Duration.ofMillis(1), 2, 12,
        "game.settings.scoring=both", "stop.maxRounds=6");
    assertThat(RunFiles.callJournal(dir)).as("the judge's verdicts are turns in the journal")
        .anyMatch(line -> line.path("role").asText().startsWith("judge-"));
  }

  /**
   * Runs language-model {@code example} with {@code sets} on a fake server twice, into directories
   * of the same name (the transcripts name it): once uninterrupted and not durable, the reference;
   * once durable in a JVM of its own, SIGKILLed once {@code rounds.csv} has {@code killAfterRounds}
   * rows (conversations in flight) and resumed here. The resumed run's files equal the
   * reference's, its summary too but for what the endpoint was asked; the endpoint answered no call
   * twice beyond {@code reissuedCalls}, which is at most {@code inFlight} (the calls that can be in
   * flight: one an agent).
   *
   * @return the resumed run's directory
   */
  private Path killResumeAndReference(String example, Duration step, int killAfterRounds, long inFlight,
                                      String... sets) throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().fixedStep(step).build())) {
      String yaml = Files.readString(Path.of("..", "examples", example))
          .replace("http://127.0.0.1:8000/v1", dev.norma.testkit.Specs.url(server));
      Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
      List<String> overrides = new java.util.ArrayList<>();
      for (String set : sets) {
        overrides.addAll(List.of("--set", set));
      }
      Path reference = temp.resolve("reference").resolve("run");
      assertThat(norma.run(command(spec, overrides, "--durability", "none", "--out", reference.toString())))
          .as(norma.err()).isZero();
      long referenceCalls = RunFiles.summary(reference).path("calls").asLong();
      long answeredForReference = server.stats().requests("chat", 200);

      Path dir = temp.resolve("run");
      Process run = JavaProcesses.start(temp.resolve("run.log"), List.of("-Xmx256m"), NormaCli.class,
          List.of(command(spec, overrides, "--durability", "durable", "--out", dir.toString())), Map.of());
      JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), killAfterRounds);
      long roundsBeforeKill = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
      long rounds = RunFiles.summary(reference).path("populationRounds").asLong();
      assertThat(roundsBeforeKill).as("killed mid-run").isBetween((long) killAfterRounds, rounds - 1);
      assertThat(dir.resolve("summary.json")).doesNotExist();

      assertThat(norma.run("run", "--resume", dir.toString(), "--quiet")).as(norma.err()).isZero();

      assertSameFiles(dir, reference);
      RunFiles.assertSameSummary(dir, reference, CALL_COUNTS);
      JsonNode summary = RunFiles.summary(dir);
      assertThat(summary.path("status").asText()).isEqualTo("completed");
      // A turn the endpoint answered twice was in flight at the kill (or its line not yet
      // flushed), and is counted as reissued.
      assertThat(RunFiles.callsAnsweredTwice(dir)).isLessThanOrEqualTo(summary.path("reissuedCalls").asLong());
      assertThat(summary.path("reissuedCalls").asLong()).as("only what was in flight").isLessThanOrEqualTo(inFlight);
      assertThat(referenceCalls).as("calls were made").isPositive();
      // The journal holds each of the reference's calls once, and again only those reissued; the
      // endpoint answered those and nothing more: a call in flight at the kill, which left no line
      // in the journal, was noted as sent (calls-sent.txt) and counts as reissued when sent again.
      assertThat(summary.path("calls").asLong()).isBetween(referenceCalls,
          referenceCalls + summary.path("reissuedCalls").asLong());
      long answered = server.stats().requests("chat", 200) - answeredForReference;
      assertThat(answered).isBetween(referenceCalls, referenceCalls + summary.path("reissuedCalls").asLong());
      System.out.printf("%s: %d calls, killed after %d rounds; resumed: %d replayed, %d reissued; the endpoint"
              + " answered %d more than the uninterrupted run%n", example, referenceCalls, roundsBeforeKill,
          summary.path("replayedCalls").asLong(), summary.path("reissuedCalls").asLong(), answered - referenceCalls);
      return dir;
    }
  }

  private static String[] command(Path spec, List<String> overrides, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("run", spec.toString()));
    args.addAll(overrides);
    args.addAll(List.of(options));
    args.add("--quiet");
    return args.toArray(String[]::new);
  }

  /**
   * {@code actual} holds the files {@code expected} does, with the same content: the result files
   * byte for byte (gzip ones once unpacked); the recorded spec but for where the run was written and
   * its durability; the report but for its wall seconds. Not the call journal, which also says how
   * and when each call was answered, nor the summary (see {@link RunFiles#assertSameSummary}).
   */
  private static void assertSameFiles(Path actual, Path expected) throws Exception {
    // Only a durable run notes the calls it sent (the reference is not durable).
    assertThat(actual.resolve(dev.norma.runtime.inference.SentCalls.FILE)).isRegularFile();
    java.util.SortedSet<String> names = fileNames(actual);
    names.remove(dev.norma.runtime.inference.SentCalls.FILE);
    assertThat(names).isEqualTo(fileNames(expected));
    for (String name : fileNames(expected)) {
      switch (name) {
        case "calls.jsonl.gz", "summary.json" -> {
        }
        case "spec.yaml" -> assertThat(runAside(actual.resolve(name), "^(  dir|durability): .*$"))
            .as(name).isEqualTo(runAside(expected.resolve(name), "^(  dir|durability): .*$"));
        case "report.html" -> assertThat(runAside(actual.resolve(name), "^<tr><th>wall seconds</th>.*$"))
            .as(name).isEqualTo(runAside(expected.resolve(name), "^<tr><th>wall seconds</th>.*$"));
        default -> {
          if (name.endsWith(".gz")) {
            assertThat(RunFiles.gunzip(actual.resolve(name))).as(name)
                .isEqualTo(RunFiles.gunzip(expected.resolve(name)));
          } else {
            assertThat(Files.readAllBytes(actual.resolve(name))).as(name)
                .isEqualTo(Files.readAllBytes(expected.resolve(name)));
          }
        }
      }
    }
  }

  /** The text of {@code file} without the lines that say how a run was run ({@code pattern}). */
  private static String runAside(Path file, String pattern) throws Exception {
    return java.util.regex.Pattern.compile(pattern, java.util.regex.Pattern.MULTILINE)
        .matcher(Files.readString(file)).replaceAll("");
  }

  private static java.util.SortedSet<String> fileNames(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
          .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
  }
}
