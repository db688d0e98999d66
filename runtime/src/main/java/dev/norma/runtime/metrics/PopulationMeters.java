package dev.norma.runtime.metrics;

import dev.norma.runtime.study.ProgressListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The population measures as gauges, fed by the run's progress reports: {@code norma_population_round},
 * {@code norma_population_success_rate} and {@code norma_population_top_share} (of the latest
 * finished round), {@code norma_interactions} recorded and {@code norma_interactions_per_second}.
 * No tags for {@code norma run} (one run per process); on a cluster node, the tag {@code run},
 * registered on the node whose coordinator reports (the first report), since a node may hold
 * several studies. The names themselves stay in the run's result files.
 */
public final class PopulationMeters implements ProgressListener {
  private final AtomicReference<Snapshot> latest =
      new AtomicReference<>(new Snapshot(0, 0, 0, 0, "", 0, 0));

  private final MeterRegistry registry;
  private final Tags tags;
  private volatile boolean registered;

  public PopulationMeters(MeterRegistry registry) {
    this(registry, Tags.empty());
    register();
  }

  /** Meters with these tags (a cluster node's {@code run}), registered with the first report. */
  public PopulationMeters(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  private synchronized void register() {
    if (registered) {
      return;
    }
    registered = true;
    Gauge.builder("norma.population.round", latest, s -> s.get().round()).tags(tags)
        .description("population rounds finished").register(registry);
    Gauge.builder("norma.population.success.rate", latest, s -> s.get().successRate()).tags(tags)
        .description("success rate of the latest finished round").register(registry);
    Gauge.builder("norma.population.top.share", latest, s -> s.get().topShare()).tags(tags)
        .description("share of the most produced name in the latest finished round").register(registry);
    Gauge.builder("norma.interactions", latest, s -> s.get().interactions()).tags(tags)
        .description("interactions recorded").register(registry);
    Gauge.builder("norma.interactions.per.second", latest, s -> s.get().perSecond()).tags(tags)
        .description("interactions per second since the start").register(registry);
  }

  @Override
  public void update(Snapshot snapshot) {
    latest.set(snapshot);
    register();
  }

  /** Both listeners, in order. */
  public static ProgressListener alongside(ProgressListener first, ProgressListener second) {
    return new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        first.update(snapshot);
        second.update(snapshot);
      }

      @Override
      public void finished(dev.norma.protocols.run.Summary summary) {
        first.finished(summary);
        second.finished(summary);
      }
    };
  }
}
