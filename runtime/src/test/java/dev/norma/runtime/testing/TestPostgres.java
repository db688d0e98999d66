package dev.norma.runtime.testing;

import dev.norma.runtime.study.JournalDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The PostgreSQL server tests journal to: NORMA_TEST_PG_URL (default
 * jdbc:postgresql://127.0.0.1:5432/norma), user and password NORMA_TEST_PG_USER and
 * NORMA_TEST_PG_PASSWORD (default norma). Tests that need it are skipped without one, except in
 * CI ({@code CI=true}), whose script starts PostgreSQL, where its absence fails them.
 */
public final class TestPostgres {
  private TestPostgres() {
  }

  /** The server, if it answers; fails under CI=true if it does not. */
  public static Optional<JournalDatabase> find() {
    String url = envOr("NORMA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/norma");
    JournalDatabase database = new JournalDatabase(url, envOr("NORMA_TEST_PG_USER", "norma"),
        envOr("NORMA_TEST_PG_PASSWORD", "norma"));
    try (Connection ignored = DriverManager.getConnection(database.url(), database.user(), database.password())) {
      return Optional.of(database);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI must run the PostgreSQL tests, but " + url + " is unreachable", e);
      }
      return Optional.empty();
    }
  }

  private static String envOr(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }
}
