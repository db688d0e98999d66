package dev.norma.runtime.study;

import java.util.Collections;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.concurrent.Future;

/**
 * A journal that keeps nothing: for the coordinator of a non-durable study, on one machine or a
 * cluster, which runs the same event-sourced code as a durable one without paying for a
 * database. Writes succeed at once and recovery finds nothing, so nothing survives its process,
 * as the study asked.
 */
public final class TransientJournal extends AsyncWriteJournal {
  /** The plugin id under which {@code persistence.conf} configures this journal. */
  public static final String PLUGIN_ID = "norma.transient-journal";

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    return Futures.successful(Collections.emptyList());
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return Futures.successful(null);
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr,
                                            long max, Consumer<PersistentRepr> replayCallback) {
    return Futures.successful(null);
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return Futures.successful(0L);
  }
}
