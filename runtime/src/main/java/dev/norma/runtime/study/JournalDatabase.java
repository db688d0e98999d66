package dev.norma.runtime.study;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The database behind durable studies, reached through pekko-persistence-jdbc: an H2 file for a
 * local run (inside the run directory, zero setup) or for a one-node cluster, PostgreSQL for a
 * cluster of several nodes (every node must reach the same database). Gives the config that
 * points the journal, snapshot store and read journal at it, and creates the tables it needs.
 *
 * @param url      a JDBC URL: {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
 * @param user     the database user
 * @param password the password (may be empty)
 */
public record JournalDatabase(String url, String user, String password) {

  /**
   * An embedded H2 database in {@code dir} (created when absent).
   *
   * <p>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would close the database while the
   * actor system still writes to it (Ctrl-C, SIGTERM), failing every write in flight and, through
   * the coordinator's rebuilds, the run directory with them; the owner closes it with
   * {@link #shutdown()} once the actors are gone. {@code LOCK_TIMEOUT}: a journal write that
   * waits on another for longer than H2's default of 2 s fails, which a CPU-starved process
   * reaches easily; a write is never worth failing for waiting.
   */
  public static JournalDatabase h2(Path dir) {
    return new JournalDatabase("jdbc:h2:file:" + dir.toAbsolutePath().resolve(H2_NAME)
        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT_MILLIS, "sa", "");
  }

  private static final int H2_LOCK_TIMEOUT_MILLIS = 60_000;
  private static final String H2_NAME = "norma";
  /** The file an embedded database keeps in its folder once it has been opened. */
  public static final String H2_FILE = H2_NAME + ".mv.db";

  /**
   * An H2 database this process opens itself (a file), as opposed to one served to many
   * processes (an H2 TCP server, PostgreSQL): only such a database is this process's to close,
   * and only there does one connection serve.
   */
  public boolean embedded() {
    return url.startsWith("jdbc:h2:file:");
  }

  /** The file of an embedded database ({@code NAME.mv.db}), or null for a server's. */
  Path embeddedFile() {
    if (!embedded()) {
      return null;
    }
    String path = url.substring("jdbc:h2:file:".length());
    int options = path.indexOf(';');
    return Path.of((options < 0 ? path : path.substring(0, options)) + ".mv.db");
  }

  /**
   * Makes an embedded journal left by a killed process writable again before it is used: see
   * {@link UnfinishedTransactions}. Returns what was repaired, for the user, or null.
   */
  public String finishRecovery() throws Unavailable {
    try {
      return UnfinishedTransactions.repair(this);
    } catch (SQLException | IOException | RuntimeException e) {
      throw new Unavailable("cannot open the journal database " + this + ": " + e.getMessage(), e);
    }
  }

  /**
   * Closes an embedded database, writing what it still holds in memory to its file; call it once
   * nothing uses the database any more (its actor system has terminated). A server database is
   * left alone. Never throws: the journal is crash-safe, and a close that fails is a crash.
   */
  public void shutdown() {
    if (!embedded()) {
      return;
    }
    // IFEXISTS: a database whose files are gone (a test's temporary folder) is not made again.
    try (Connection connection = DriverManager.getConnection(url + ";IFEXISTS=TRUE", user, password);
         Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } catch (SQLException closedOrBroken) {
      // Already closed, or unreadable: either way nothing more can be saved.
    }
  }

  /** The database named by the environment ({@code NORMA_DB_URL}, {@code _USER}, {@code _PASSWORD}), else an H2 file in {@code fallbackDir}. */
  public static JournalDatabase fromEnvironment(Path fallbackDir) {
    String url = System.getenv("NORMA_DB_URL");
    if (url == null || url.isBlank()) {
      return h2(fallbackDir);
    }
    return at(url);
  }

  /** The server database at {@code url}, its user and password from {@code NORMA_DB_USER} and {@code NORMA_DB_PASSWORD}. */
  public static JournalDatabase at(String url) {
    return new JournalDatabase(url, envOr("NORMA_DB_USER", ""), envOr("NORMA_DB_PASSWORD", ""));
  }

  private static String envOr(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null ? otherwise : value;
  }

  public boolean postgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** Config that points Pekko Persistence at this database; use it in front of the node's config. */
  public Config config() {
    String prefix = "pekko-persistence-jdbc.shared-databases.norma.";
    Map<String, Object> values = new HashMap<>();
    values.put(prefix + "profile", postgres() ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$");
    values.put(prefix + "db.url", url);
    values.put(prefix + "db.driver", postgres() ? "org.postgresql.Driver" : "org.h2.Driver");
    values.put(prefix + "db.user", user);
    values.put(prefix + "db.password", password);
    if (embedded()) {
      // One connection: H2 runs every statement of the journal in turn. Concurrent H2 transactions
      // on one table were where the damaged-index and lock-timeout failures of a contended run
      // grew, and one connection is no slower (4,000 agents, 12 rounds, side by side on 2 cores:
      // 2,012 and 2,179 interactions/s with one, 1,857 and 1,671 with eight). Statements waiting
      // for it queue; a recovering population can queue many.
      values.put(prefix + "db.numThreads", 1);
      values.put(prefix + "db.maxConnections", 1);
      values.put(prefix + "db.minConnections", 1);
      values.put(prefix + "db.queueSize", 200_000);
      // One batch written at a time, since one connection takes them in turn anyway: the events
      // that arrive meanwhile gather into the next batch instead of into many small transactions
      // queued behind it, each with its own commit.
      values.put("jdbc-journal.parallelism", 1);
    }
    return ConfigFactory.parseMap(values);
  }

  /**
   * Creates the journal, tag and snapshot tables unless they exist, with the statements that
   * pekko-persistence-jdbc ships for this database.
   */
  public void ensureSchema() throws SQLException, IOException {
    String script = postgres() ? "schema/postgres/postgres-create-schema.sql" : "schema/h2/h2-create-schema.sql";
    String sql;
    try (InputStream in = JournalDatabase.class.getClassLoader().getResourceAsStream(script)) {
      if (in == null) {
        throw new IOException("pekko-persistence-jdbc's schema " + script + " is not on the class path");
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = DriverManager.getConnection(url, user, password);
         Statement statement = connection.createStatement()) {
      for (String part : sql.split(";")) {
        String ddl = part.strip();
        // Durable state is not used; its indexes are built CONCURRENTLY, which some servers refuse.
        if (ddl.isEmpty() || ddl.contains("durable_state") || ddl.contains("state_tag_idx")
            || ddl.contains("state_global_offset_idx") || ddl.contains("global_offset_seq")) {
          continue;
        }
        // H2's table already indexes "ordering" (its UNIQUE constraint); a second unique index on
        // the same column would be kept up to date on every insert for nothing. Journals made
        // before keep theirs, which costs them time but changes nothing they hold.
        if (!postgres() && ddl.contains("event_journal_ordering_idx")) {
          continue;
        }
        try {
          statement.execute(ddl);
        } catch (SQLException e) {
          if (!alreadyExists(e)) {
            throw e;
          }
        }
      }
    }
  }

  private static boolean alreadyExists(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    // H2: 42111 (index exists); PostgreSQL: 42P07 (relation exists).
    return message.contains("already exists") || "42P07".equals(e.getSQLState()) || e.getErrorCode() == 42111;
  }

  /** The database cannot be reached or prepared; the message names it (never its password). */
  public static final class Unavailable extends IOException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The URL without credentials, for messages. */
  @Override
  public String toString() {
    return url;
  }
}
