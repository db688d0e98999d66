package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded journal's table as Norma makes it: keyed by {@code ordering}, with (persistence id,
 * sequence number) unique.
 */
class EmbeddedJournalLayoutTest {
  @TempDir
  Path dir;

  @Test
  void theShippedJournalTableIsKeyedByOrdering() throws Exception {
    JournalDatabase database = JournalDatabase.h2(dir);
    database.ensureSchema();
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
         Statement statement = connection.createStatement()) {
      List<String> indexes = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT i.INDEX_TYPE_NAME, c.COLUMN_NAME"
          + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
          + " ON i.INDEX_NAME = c.INDEX_NAME AND i.TABLE_NAME = c.TABLE_NAME"
          + " WHERE i.TABLE_NAME = 'event_journal' ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION")) {
        while (rows.next()) {
          indexes.add(rows.getString(1) + " " + rows.getString(2));
        }
      }
      // The key, and one unique index: nothing else to update per event.
      assertThat(indexes).containsExactlyInAnyOrder("PRIMARY KEY ordering", "UNIQUE INDEX persistence_id",
          "UNIQUE INDEX sequence_number");

      String insert = "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
          + " VALUES ('agent-r|1', %d, 'w', 0, '', X'00', 7301, '')";
      statement.execute(String.format(insert, 1));
      statement.execute(String.format(insert, 2));
      assertThatThrownBy(() -> statement.execute(String.format(insert, 2)))
          .isInstanceOf(SQLException.class).hasMessageContaining("event_journal_pid_seq");
    }
    database.shutdown();
  }

  @Test
  void otherStatementsAreLeftAsShipped() {
    String snapshot = "CREATE TABLE IF NOT EXISTS PUBLIC.\"snapshot\" (\"persistence_id\" VARCHAR(255) NOT NULL,"
        + " PRIMARY KEY(\"persistence_id\",\"sequence_number\"))";
    assertThat(JournalDatabase.h2JournalKeyedByOrdering(snapshot)).isEqualTo(snapshot);
  }
}
