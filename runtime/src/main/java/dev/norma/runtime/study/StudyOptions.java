package dev.norma.runtime.study;

import dev.norma.runtime.inference.CallJournalReader;
import dev.norma.runtime.inference.ReplayBook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How a study is run, beyond its spec.
 *
 * @param replay         the answers of a recorded run's call journal, which answer the
 *                       language-model calls they match (null: every call goes to the endpoints)
 * @param meters         where the run's metrics go (a Prometheus registry when they are scraped)
 * @param journalReading how a resumed run reads its own call journal: whether damage is accepted,
 *                       and where notes about it go
 */
public record StudyOptions(ReplayBook replay, MeterRegistry meters, CallJournalReader.Reading journalReading) {
  public static StudyOptions defaults() {
    return new StudyOptions(null, new SimpleMeterRegistry());
  }

  public StudyOptions(ReplayBook replay, MeterRegistry meters) {
    this(replay, meters, CallJournalReader.Reading.STRICT);
  }

  public StudyOptions {
    meters = meters == null ? new SimpleMeterRegistry() : meters;
    journalReading = journalReading == null ? CallJournalReader.Reading.STRICT : journalReading;
  }
}
