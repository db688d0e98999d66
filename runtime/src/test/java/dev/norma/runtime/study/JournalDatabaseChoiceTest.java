package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which database a local durable run journals to: the embedded H2 beside it, or the server named
 * by NORMA_DB_URL, which the run records so that a resume goes back to it.
 */
class JournalDatabaseChoiceTest {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/norma";
  private static final Map<String, String> NAMED = Map.of("NORMA_DB_URL", POSTGRES, "NORMA_DB_USER", "norma",
      "NORMA_DB_PASSWORD", "secret");

  @TempDir
  Path run;

  @Test
  void withoutNormaDbUrlTheJournalIsEmbeddedInTheRunDirectory() throws Exception {
    JournalDatabase database = DurableRuns.journalDatabase(run, Map.of());
    assertThat(database.embedded()).isTrue();
    assertThat(database.url()).contains(run.resolve("journal").toAbsolutePath().toString());
    assertThat(run.resolve("journal/database")).doesNotExist();
  }

  @Test
  void aNamedServerIsRecordedWithoutItsPasswordAndUsedOnResume() throws Exception {
    assertThat(DurableRuns.journalDatabase(run, NAMED)).isEqualTo(new JournalDatabase(POSTGRES, "norma", "secret"));
    String recorded = Files.readString(run.resolve("journal/database"));
    assertThat(recorded).contains(POSTGRES).contains("norma").doesNotContain("secret");

    // A resume without the variable goes back to the recorded server; with it, the same.
    assertThat(DurableRuns.journalDatabase(run, Map.of("NORMA_DB_PASSWORD", "secret")))
        .isEqualTo(new JournalDatabase(POSTGRES, "norma", "secret"));
    assertThat(DurableRuns.journalDatabase(run, NAMED)).isEqualTo(new JournalDatabase(POSTGRES, "norma", "secret"));
  }

  @Test
  void aResumeRefusesAnotherDatabaseThanTheRunsOwn() throws Exception {
    DurableRuns.journalDatabase(run, NAMED);
    assertThatThrownBy(() -> DurableRuns.journalDatabase(run,
        Map.of("NORMA_DB_URL", "jdbc:postgresql://127.0.0.1:5432/other")))
        .isInstanceOf(DurableRuns.OtherDatabase.class)
        .hasMessageContaining(POSTGRES).hasMessageContaining("/other");

    Path embedded = run.resolve("embedded");
    Files.createDirectories(embedded.resolve("journal"));
    Files.writeString(embedded.resolve("journal").resolve(JournalDatabase.H2_FILE), "");
    assertThatThrownBy(() -> DurableRuns.journalDatabase(embedded, NAMED))
        .isInstanceOf(DurableRuns.OtherDatabase.class)
        .hasMessageContaining("embedded");
  }
}
