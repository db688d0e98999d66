package dev.norma.runtime.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.tx.TransactionStore;

/**
 * Ends what H2 leaves unfinished in an embedded journal after its process was killed.
 *
 * <p>H2 rolls back, when it opens a file, the transactions a killed process left open. But a
 * process killed while H2 was committing a batch can leave a transaction marked committed whose
 * commit H2 never completes: opening the file again, rolling it back or committing it through
 * H2's own transaction store all leave it in place, and the rows it wrote stay locked for good.
 * Every later write of those agents and of the coordinator then waits for the lock and fails, and
 * the run can never go on (the crash-loop soak met this at 10,000 agents after 12 kills). Reading
 * is unaffected, and the locked rows are invisible to readers: they were never acknowledged, so
 * no agent acted on them.
 *
 * <p>So before a durable run resumes on an embedded journal, H2 opens and closes the file (its own
 * recovery runs), then the file is checked for transactions still open; if there are any, the
 * journal is rebuilt from what it holds committed (H2's {@code SCRIPT} and {@code RUNSCRIPT}, compacted),
 * into a new file that replaces the old one in one atomic move, so a kill during the repair
 * leaves the old file to repair again.
 */
final class UnfinishedTransactions {
  private UnfinishedTransactions() {
  }

  /**
   * Repairs the embedded journal of {@code database} if H2's recovery left transactions in it;
   * returns what was done, for the user, or null when nothing needed doing.
   */
  static String repair(JournalDatabase database) throws SQLException, IOException {
    Path file = database.embeddedFile();
    if (file == null || !Files.exists(file)) {
      return null;
    }
    try (Connection connection = DriverManager.getConnection(database.url() + ";IFEXISTS=TRUE",
        database.user(), database.password()); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
    int unfinished = count(file);
    if (unfinished == 0) {
      return null;
    }
    long start = System.nanoTime();
    Path dir = file.getParent();
    Path script = dir.resolve("repair.sql.lzf");
    String rebuiltName = "rebuilt";
    Path rebuilt = dir.resolve(rebuiltName + ".mv.db");
    Files.deleteIfExists(rebuilt);
    try (Connection connection = DriverManager.getConnection(database.url() + ";IFEXISTS=TRUE",
        database.user(), database.password()); Statement statement = connection.createStatement()) {
      // LZF: the dump is only read back at once; it is faster than GZIP here (265 MB journal,
      // side by side: 44 s against 63 s for the whole repair).
      statement.execute("SCRIPT TO '" + quoted(script) + "' COMPRESSION LZF");
      statement.execute("SHUTDOWN");
    }
    String rebuiltUrl = "jdbc:h2:file:" + dir.resolve(rebuiltName).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    try (Connection connection = DriverManager.getConnection(rebuiltUrl, database.user(), database.password());
         Statement statement = connection.createStatement()) {
      statement.execute("RUNSCRIPT FROM '" + quoted(script) + "' COMPRESSION LZF");
      statement.execute("SHUTDOWN COMPACT");
    }
    Files.move(rebuilt, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(script);
    Files.deleteIfExists(dir.resolve(rebuiltName + ".trace.db"));
    return String.format(java.util.Locale.ROOT, "the journal %s held %d transaction%s that H2 could not end after"
        + " the process was killed (its rows locked for good); rebuilt it from its committed rows in %.1f s",
        file, unfinished, unfinished == 1 ? "" : "s", (System.nanoTime() - start) / 1e9);
  }

  /** Transactions the file holds open, read without changing it; call it while no one has it open. */
  static int count(Path file) {
    MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      TransactionStore transactions = new TransactionStore(store);
      transactions.init();
      return transactions.getOpenTransactions().size();
    } finally {
      store.close();
    }
  }

  private static String quoted(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
