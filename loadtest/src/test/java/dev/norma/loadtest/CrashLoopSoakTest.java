package dev.norma.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short crash-loop soak: a durable study of 800 agents is killed (SIGKILL), resumed,
 * interrupted (SIGINT), resumed to its end, and must equal the plain loop of its seed, every stop
 * leaving what it must. On the embedded journal, and on PostgreSQL when a server answers (see
 * {@link TestPostgres}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashLoopSoakTest {
  /** Rounds of tens of milliseconds at a durable rule-based run's pace, so that each stop lands mid-run. */
  private static final int AGENTS = 800;
  private static final int ROUNDS = 24;

  @TempDir
  Path temp;

  @Test
  void aKilledThenInterruptedRunResumesToThePlainLoop() throws Exception {
    soak(null, Map.of());
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // half a minute; by default PostgresJournalTest runs a durable study on PostgreSQL and recovers from it
  void onPostgresToo() throws Exception {
    JournalDatabase database = TestPostgres.find().orElse(null);
    assumeTrue(database != null, "no PostgreSQL for the soak");
    soak(database.url(), Map.of("NORMA_DB_USER", database.user(), "NORMA_DB_PASSWORD", database.password()));
  }

  @Test
  void theChecksSeeADifferenceAndATrace() throws Exception {
    assertThat(CrashLoopSoak.firstDifference("rounds.csv", List.of("h", "1,a", "2,b"), List.of("h", "1,a", "2,c")))
        .isEqualTo("rounds.csv line 3: 2,c, the uninterrupted run has 2,b");
    assertThat(CrashLoopSoak.firstDifference("rounds.csv", List.of("h", "1,a"), List.of("h")))
        .contains("line 2: (end of file)");
    assertThat(CrashLoopSoak.firstDifference("rounds.csv", List.of("h", "1,a"), List.of("h", "1,a"))).isNull();

    Path quiet = Files.writeString(temp.resolve("quiet.err"),
        "norma: stopping; what is finished is kept (Ctrl-C again to stop at once)\n");
    assertThat(CrashLoopSoak.trouble(quiet)).isNull();
    Path traced = Files.writeString(temp.resolve("traced.err"), "norma: stopping\nsomething failed\n"
        + "\tat org.h2.mvstore.MVStore.write(MVStore.java:10)\n");
    assertThat(CrashLoopSoak.trouble(traced)).startsWith("at org.h2.mvstore.MVStore.write");
    assertThat(CrashLoopSoak.trouble(Files.writeString(temp.resolve("error.err"), "12:00 ERROR journal\n")))
        .isEqualTo("12:00 ERROR journal");
  }

  private void soak(String dbUrl, Map<String, String> environment) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CrashLoopSoak.Outcome outcome = CrashLoopSoak.run(new CrashLoopSoak.Settings(2, 5, AGENTS, ROUNDS, false, false,
        dbUrl, environment, "256m", temp), new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = printed.toString(StandardCharsets.UTF_8);

    assertThat(outcome.firstDifference()).as(report).isNull();
    // SIGTERM where the test's JVM was started with SIGINT ignored (a background job of a script).
    assertThat(outcome.cycles().get(0).signal()).isEqualTo("SIGKILL");
    assertThat(outcome.cycles().get(1).signal()).isIn("SIGINT", "SIGTERM");
    assertThat(outcome.cycles()).extracting(CrashLoopSoak.Cycle::exitCode).containsExactly(137, 130);
    assertThat(outcome.cycles().get(1).stopSeconds()).isLessThanOrEqualTo(5.0);
    assertThat(outcome.cycles()).allSatisfy(cycle -> {
      assertThat(cycle.roundsAtStop()).as("stopped mid-run").isBetween(1, ROUNDS - 1);
      assertThat(cycle.roundsAfter()).as("the resume recorded a new round").isGreaterThan(cycle.roundsAtStop());
    });
    assertThat(outcome.interactions()).isEqualTo(AGENTS * ROUNDS);
    assertThat(report).contains("PASS");
  }
}
