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
 * ultimatum game and the crsec study with interventions as {@code EncounterLoop} writes them, the
 * language-model one as an uninterrupted
 * run on the same fake server (whose answers depend only on prompt and seed), asking the endpoint
 * again only for turns in flight at the kill.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EncounterResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /** About a minute on two cores: opt-in. */
  @Test
  @Tag("slow")
  void aKilledConversationResumesAskingOnlyWhatWasInFlight() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast()
        .fixedStep(Duration.ofMillis(3)).build())) {
      String yaml = Files.readString(Path.of("..", "examples", "ultimatum-llm.yaml"))
          .replace("http://127.0.0.1:8000/v1", dev.norma.testkit.Specs.url(server))
          .replace("maxRounds: 40", "maxRounds: 10")
          .replace("size: 20", "size: 12");
      Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
      Path reference = temp.resolve("reference");
      assertThat(norma.run("run", spec.toString(), "--durability", "none", "--out", reference.toString(), "--quiet"))
          .as(norma.err()).isZero();

      Path dir = temp.resolve("run");
      Process run = JavaProcesses.start(temp.resolve("run.log"), List.of("-Xmx256m"), NormaCli.class,
          List.of("run", spec.toString(), "--durability", "durable", "--out", dir.toString(), "--quiet"), Map.of());
      JavaProcesses.killAfterLines(run, dir.resolve("rounds.csv"), 3);
      long roundsBeforeKill = Files.readAllLines(dir.resolve("rounds.csv")).size() - 1;
      assertThat(roundsBeforeKill).as("killed mid-run").isBetween(2L, 9L);

      assertThat(norma.run("run", "--resume", dir.toString(), "--quiet")).as(norma.err()).isZero();

      assertThat(Files.readString(dir.resolve("rounds.csv")))
          .isEqualTo(Files.readString(reference.resolve("rounds.csv")));
      assertThat(RunFiles.gunzip(dir.resolve("interactions.csv.gz")))
          .isEqualTo(RunFiles.gunzip(reference.resolve("interactions.csv.gz")));
      JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.path("status").asText()).isEqualTo("completed");
      // A turn the endpoint answered twice was in flight at the kill (or its line not yet
      // flushed), and is counted as reissued.
      assertThat(RunFiles.callsAnsweredTwice(dir)).isLessThanOrEqualTo(summary.path("reissuedCalls").asLong());
      assertThat(summary.path("reissuedCalls").asLong()).as("only what was in flight").isLessThanOrEqualTo(12);
      assertThat(RunFiles.callJournal(dir)).as("calls were made").isNotEmpty();
    }
  }
}
