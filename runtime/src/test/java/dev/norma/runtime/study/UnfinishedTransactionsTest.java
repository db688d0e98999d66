package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded journal left with a transaction H2 cannot end holds its rows locked for good; a
 * resume repairs it from the rows committed before anything writes to it. The transaction here
 * is a prepared one (two-phase commit) cut off by an abrupt close: H2 keeps it across a restart
 * on purpose, which makes the lasting lock reproducible; the kill of a process in the middle of
 * H2's commit leaves one that H2 keeps without meaning to (a committed transaction it never ends).
 */
class UnfinishedTransactionsTest {
  @TempDir
  Path temp;

  @Test
  void aTransactionLeftHoldingLocksIsRepairedFromTheCommittedRows() throws Exception {
    JournalDatabase database = JournalDatabase.h2(temp.resolve("journal"));
    database.ensureSchema();
    try (Connection connection = open(database); Statement statement = connection.createStatement()) {
      for (int seq = 1; seq <= 3; seq++) {
        insert(statement, "agent-1", seq);
      }
      connection.setAutoCommit(false);
      insert(statement, "agent-1", 4);
      statement.execute("PREPARE COMMIT cut");
      try (Connection other = open(database); Statement close = other.createStatement()) {
        close.execute("SHUTDOWN IMMEDIATELY"); // no clean-up, as when the process is killed
      }
    } catch (SQLException closedUnderIt) {
      // The first connection finds its database gone.
    }

    // What a resumed run met: the row is locked by a transaction no one will end.
    try (Connection connection = open(database); Statement statement = connection.createStatement()) {
      statement.execute("SET LOCK_TIMEOUT 300");
      assertThatThrownBy(() -> insert(statement, "agent-1", 4)).hasMessageContaining("Timeout trying to lock table");
      statement.execute("SHUTDOWN");
    }

    String repaired = database.finishRecovery();

    assertThat(repaired).contains("held 1 transaction that H2 could not end", "rebuilt it from its committed rows");
    try (Connection connection = open(database); Statement statement = connection.createStatement()) {
      assertThat(count(statement)).as("the committed rows are kept, the unfinished one is not").isEqualTo(3);
      insert(statement, "agent-1", 4);
      assertThat(count(statement)).isEqualTo(4);
      statement.execute("SHUTDOWN");
    }
    assertThat(database.finishRecovery()).as("nothing left to repair").isNull();
    try (var files = Files.list(temp.resolve("journal"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("the repair leaves no files of its own").allMatch(name -> name.startsWith("norma."));
    }
  }

  @Test
  void aJournalClosedInOrderOrNotYetMadeIsLeftAlone() throws Exception {
    JournalDatabase database = JournalDatabase.h2(temp.resolve("journal"));
    assertThat(database.finishRecovery()).isNull();
    assertThat(temp.resolve("journal")).doesNotExist();
    database.ensureSchema();
    try (Connection connection = open(database); Statement statement = connection.createStatement()) {
      insert(statement, "agent-1", 1);
    }
    assertThat(database.finishRecovery()).isNull();
    assertThat(new JournalDatabase("jdbc:h2:tcp://127.0.0.1:1/none", "sa", "").finishRecovery())
        .as("a server's database is not this process's to repair").isNull();
  }

  private static Connection open(JournalDatabase database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  private static void insert(Statement statement, String id, int seq) throws SQLException {
    statement.executeUpdate("insert into \"event_journal\" (\"deleted\", \"persistence_id\", \"sequence_number\","
        + " \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
        + " \"event_ser_manifest\") values (false, '" + id + "', " + seq + ", 'w', 0, '', X'00', 1, '')");
  }

  private static long count(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("select count(*) from \"event_journal\"")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
