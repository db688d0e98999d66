package dev.norma.runtime.metrics;

import dev.norma.agents.measure.RoundRow;
import dev.norma.runtime.study.ProgressListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The population measures as gauges, fed by the run's progress reports: {@code norma_population_round},
 * {@code norma_population_success_rate} and {@code norma_population_top_share} (of the latest
 * finished round), {@code norma_interactions} recorded and {@code norma_interactions_per_second};
 * and, of the naming games' latest finished round, {@code norma_population_share} by {@code rank}
 * ({@code first}, {@code second}, {@code third}: by rank, never by name, so tags stay bounded),
 * {@code norma_population_entropy}, {@code norma_population_distinct_names} and
 * {@code norma_population_committed_share} (the committed name's share, the flip's progress; NaN
 * without a committed minority).
 * No tags for {@code norma run} (one run per process); on a cluster node, the tag {@code run},
 * registered on the node whose coordinator reports (the first report), since a node may hold
 * several studies. The names themselves stay in the run's result files.
 */
public final class PopulationMeters implements ProgressListener {
  /** The ranks whose shares are meters: bounded, whatever names a study invents. */
  static final List<String> RANKS = List.of("first", "second", "third");

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
    for (int rank = 0; rank < RANKS.size(); rank++) {
      int index = rank;
      Gauge.builder("norma.population.share", latest, s -> shareOfRank(s.get().latest(), index))
          .tags(tags).tag("rank", RANKS.get(rank))
          .description("share of the name of this rank in the latest finished round").register(registry);
    }
    Gauge.builder("norma.population.entropy", latest, s -> latestOr(s, RoundRow::entropyBits)).tags(tags)
        .description("entropy of the names produced in the latest finished round, in bits (Miller-Madow)")
        .register(registry);
    Gauge.builder("norma.population.distinct.names", latest, s -> latestOr(s, row -> row.distinctNames()))
        .tags(tags).description("names produced in the latest finished round").register(registry);
    Gauge.builder("norma.population.committed.share", latest, s -> latestOr(s, RoundRow::committedShare))
        .tags(tags).description("the committed name's share of the latest finished round (NaN without one)")
        .register(registry);
    Gauge.builder("norma.interactions", latest, s -> s.get().interactions()).tags(tags)
        .description("interactions recorded").register(registry);
    Gauge.builder("norma.interactions.per.second", latest, s -> s.get().perSecond()).tags(tags)
        .description("interactions per second since the start").register(registry);
  }

  private static double shareOfRank(RoundRow row, int rank) {
    return row == null ? Double.NaN : rank < row.ranked().size() ? row.ranked().get(rank).share() : 0;
  }

  private static double latestOr(AtomicReference<Snapshot> snapshot, ToDoubleFunction<RoundRow> figure) {
    RoundRow row = snapshot.get().latest();
    return row == null ? Double.NaN : figure.applyAsDouble(row);
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
