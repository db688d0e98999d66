package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.runtime.testing.OracleRuns;
import dev.norma.testkit.RunFiles;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable runs that an earlier Norma started and that were killed with SIGKILL mid-run resume
 * with today's code to the uninterrupted result. Their run directories, journal included, are
 * kept as written under {@code src/test/resources/journals/} (see the README there): what they
 * hold is the journal format of that commit (event and snapshot type ids, field names, the
 * call journal's lines), which moving or renaming classes must not break.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OldJournalsTest {
  /** The endpoint the language-model run was written against; it moves to this test's server. */
  private static final String RECORDED_ENDPOINT = "http://127.0.0.1:18766/v1";
  /** Summary fields that count what was sent to the endpoint: a resume sends again what was in flight. */
  private static final List<String> CALL_COUNTS = List.of("calls", "replayedCalls", "requests", "promptTokens",
      "completionTokens", "retries", "errors", "failedCalls", "invalidAnswers", "estimatedCost", "reissuedCalls");

  @TempDir
  Path temp;

  private final NormaConsole norma = new NormaConsole();

  /** A fresh copy of the fixture {@code name}, so the kept files are never written to. */
  private Path copyOf(String name) throws IOException, URISyntaxException {
    Path fixture = Path.of(OldJournalsTest.class.getResource("/journals/" + name).toURI());
    Path copy = temp.resolve(name);
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(fixture.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return copy;
  }

  @Test
  void aNamingGameRunKilledUnderAnEarlierVersionResumesToThePlainLoop() throws Exception {
    Path run = copyOf("naming-killed-10990da");
    assertThat(run.resolve("summary.json")).as("killed: no summary yet").doesNotExist();

    assertThat(norma.run("run", "--resume", run.toString(), "--quiet")).as(norma.err()).isZero();
    assertWentOnInTheSameJournal(run, 48);

    Path plain = temp.resolve("plain");
    OracleRuns.write(SpecLoader.load(run.resolve("spec.yaml"), List.of()), plain);
    RunFiles.assertSameResults(run, plain);
    Path uninterrupted = temp.resolve("uninterrupted");
    assertThat(norma.run("run", run.resolve("spec.yaml").toString(), "--durability", "none",
        "--out", uninterrupted.toString(), "--quiet")).as(norma.err()).isZero();
    RunFiles.assertSameSummary(run, uninterrupted, List.of());
  }

  @Test
  void aLanguageModelRunKilledUnderAnEarlierVersionResumesToTheUninterruptedRun() throws Exception {
    Path run = copyOf("llm-killed-10990da");
    assertThat(run.resolve("summary.json")).as("killed: no summary yet").doesNotExist();
    // The fake model answers from the prompt and the request seed only, so a server of today
    // answers as the one the run started with did.
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      String spec = Files.readString(run.resolve("spec.yaml"));
      assertThat(spec).contains(RECORDED_ENDPOINT);
      Files.writeString(run.resolve("spec.yaml"), spec.replace(RECORDED_ENDPOINT, Specs.url(server)));

      assertThat(norma.run("run", "--resume", run.toString(), "--quiet")).as(norma.err()).isZero();
      assertWentOnInTheSameJournal(run, 24);

      Path uninterrupted = temp.resolve("uninterrupted");
      assertThat(norma.run("run", run.resolve("spec.yaml").toString(), "--durability", "none",
          "--out", uninterrupted.toString(), "--quiet")).as(norma.err()).isZero();
      RunFiles.assertSameResults(run, uninterrupted);
      RunFiles.assertSameSummary(run, uninterrupted, CALL_COUNTS);
      // Every decision of the uninterrupted run is in the resumed run's call journal, the ones
      // the earlier version asked for and the ones asked after the resume, and no other.
      assertThat(decisions(run)).isEqualTo(decisions(uninterrupted));
      JsonNode summary = RunFiles.summary(run);
      long answeredNotReissued = answeredByTheEndpoint(RunFiles.callJournal(run))
          - summary.path("reissuedCalls").asLong();
      assertThat(answeredNotReissued).as("calls the endpoint answered, less those asked again after the kill")
          .isLessThanOrEqualTo(RunFiles.summary(uninterrupted).path("calls").asLong());
    }
  }

  /**
   * The resumed run wrote under the persistence ids the earlier version wrote: at most one an agent
   * and one for the coordinator. (A rule-based run that started again from nothing, under ids of
   * its own, would end with the same files; the ids tell the two apart.)
   */
  private static void assertWentOnInTheSameJournal(Path run, int agents) throws SQLException {
    JournalDatabase journal = JournalDatabase.h2(run.resolve(DurableRuns.JOURNAL_DIR));
    List<String> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(journal.url(), journal.user(), journal.password());
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("select distinct \"persistence_id\" from \"event_journal\"")) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    assertThat(ids).as("persistence ids in the journal").hasSizeLessThanOrEqualTo(agents + 1)
        .filteredOn(id -> id.startsWith("coordinator")).hasSize(1);
  }

  /** Each decision (agent, interaction, role, attempt) the call journal of {@code run} has an answer for. */
  private static Set<String> decisions(Path run) throws IOException {
    Set<String> decisions = new TreeSet<>();
    for (JsonNode line : RunFiles.callJournal(run)) {
      String outcome = line.path("outcome").asText();
      if ("call".equals(line.path("type").asText()) && ("ok".equals(outcome) || "invalid".equals(outcome))) {
        decisions.add(line.path("agent").asInt() + "|" + line.path("index").asLong() + "|"
            + line.path("role").asText() + "|" + line.path("attempt").asInt());
      }
    }
    return decisions;
  }

  private static long answeredByTheEndpoint(List<JsonNode> journal) {
    return journal.stream().filter(line -> "call".equals(line.path("type").asText())
        && !line.path("replayed").asBoolean(false)
        && ("ok".equals(line.path("outcome").asText()) || "invalid".equals(line.path("outcome").asText())))
        .count();
  }
}
