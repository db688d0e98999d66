package dev.norma.runtime.study;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * How a study is run, beyond its spec.
 *
 * @param replayFrom a recorded run directory whose call journal answers the language-model calls
 *                   it holds (null: every call goes to the endpoints)
 * @param meters     where the run's metrics go (a Prometheus registry when they are scraped)
 */
public record StudyOptions(Path replayFrom, MeterRegistry meters) {
  public static StudyOptions defaults() {
    return new StudyOptions(null, new SimpleMeterRegistry());
  }

  public StudyOptions {
    meters = meters == null ? new SimpleMeterRegistry() : meters;
  }
}
