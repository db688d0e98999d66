package dev.norma.runtime.study;

import dev.norma.protocols.journal.CoordinatorEvent;
import dev.norma.protocols.run.Summary;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.results.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A run's directory as a projection of its coordinator's events: the interactions and round rows
 * of every recorded stretch, a cluster run's call lines, and the summary once the run ended. The
 * coordinator hands it the {@link RunLedger.Change}s of the events it stored; a recovered run's
 * files are rebuilt beside the old ones and replace them once the whole journal has been read
 * ({@link #journalRead()}).
 */
final class RunProjection implements AutoCloseable {
  /** The run directory's writers; null once released (the files are final). */
  private RunDirectory output;
  /** A cluster run's call journal, written from the nodes' call lines; null otherwise. */
  private final CallJournal calls;
  private final Path dir;
  private boolean closed;

  /**
   * @param output the run directory, opened for a new run or to be rebuilt
   * @param shippedCalls whether the run's call lines arrive from cluster nodes (and are written here)
   */
  RunProjection(RunDirectory output, boolean shippedCalls) throws IOException {
    this.output = output;
    this.dir = output.path();
    this.calls = shippedCalls ? new CallJournal(dir) : null;
  }

  /**
   * Writes {@code changes} in order; {@code summarize} makes the summary of a run that ended.
   *
   * @return the summary, if one of the changes ended the run; else null
   */
  Summary write(List<RunLedger.Change> changes, Function<CoordinatorEvent.Ended, Summary> summarize) {
    Summary summary = null;
    for (RunLedger.Change change : changes) {
      if (change instanceof RunLedger.Rows rows) {
        writeRows(rows);
      } else if (change instanceof RunLedger.Calls shipped) {
        writeCalls(shipped);
      } else if (change instanceof RunLedger.Closed closedRun) {
        summary = summarize.apply(closedRun.ended());
        writeSummary(summary);
      }
    }
    return summary;
  }

  private void writeRows(RunLedger.Rows rows) {
    if (output == null) {
      return;
    }
    int next = 0;
    for (int i = 0; i < rows.count(); i++) {
      output.writeInteraction(rows.records().get(rows.firstIndex(), i));
      // A round row follows the interaction that finished its round.
      if (next < rows.rounds().size() && rows.rounds().get(next).position() == i) {
        output.writeRound(rows.rounds().get(next++).row());
      }
    }
  }

  private void writeCalls(RunLedger.Calls shipped) {
    if (calls != null && !shipped.afterEnd()) {
      calls.writeShipped(shipped.lines());
    } else if (calls != null) {
      // A chunk sent again after the end still belongs to the run's calls.
      CallJournal.appendShipped(dir, shipped.lines());
    }
  }

  /** The journal has been read back whole: the rebuilt files may replace the old ones. */
  void journalRead() {
    if (output == null) {
      return;
    }
    try {
      output.journalRead();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run directory " + dir, e);
    }
  }

  /** Writes the summary of a run that ended or stopped; the result files are final after it. */
  void writeSummary(Summary summary) {
    if (output == null) {
      return;
    }
    try {
      if (calls != null) {
        calls.close();
      }
      // Summaries are written once the journal has been read up to the run's end.
      output.commitRebuild();
      output.close();
      output.writeReport(summary);
      output.writeTables();
      output.writeSummary(summary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run directory " + dir, e);
    }
  }

  /**
   * A run that nothing will build again (it has no journal) failed: its files are closed and
   * their Parquet copies made from what was written, as far as that can be done.
   */
  void closeFailed() {
    close();
    try {
      output.writeTables();
    } catch (IOException | RuntimeException ignored) {
      // The run has failed already; its CSV files are kept.
    }
  }

  /**
   * Lets go of the writers and their buffers once the run is over and its files final, for a
   * coordinator that stays to answer status: a node keeps nothing of the files it wrote.
   */
  void release() {
    close();
    output = null;
  }

  /** Lets go of the files; a run directory not yet rebuilt whole is left as it was. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (calls != null) {
        calls.close();
      }
      if (output != null) {
        output.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // Stopping; the files are rebuilt from the journal on the next start.
    }
  }
}
