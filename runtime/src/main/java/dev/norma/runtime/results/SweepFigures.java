package dev.norma.runtime.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.agents.game.FigureGroup;
import dev.norma.agents.measure.CollectiveBias;
import dev.norma.agents.measure.Intervals;
import dev.norma.agents.measure.TippingPoint;
import dev.norma.agents.sweep.SweepPoint;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The figures of a sweep, from its {@code sweep.json} and {@code runs.csv}: the tipping curve
 * (the probability of a flip, with Wilson's 95% interval, and the mean time to flip, with a
 * bootstrap 95% interval, against the varied parameter; one curve per value of a second varied
 * parameter), the collective bias (the share of replicates won by each name beside the individual
 * prior) and the convergence times by parameter value; a game's own measures, grouped as its
 * module groups them (its conditions side by side, each the mean over runs with an interval
 * across them) and the rest one figure each. Only completed runs count. In a sweep without a
 * committed minority the event is convergence instead of a flip.
 */
public final class SweepFigures {
  private SweepFigures() {
  }

  /** What a curve counts: a flip of a committed minority, or else convergence. */
  public record Event(String column, String timeColumn, String noun) {
    static final Event FLIP = new Event("flipped", "flipRound", "flip");
    static final Event CONVERGENCE = new Event("converged", "convergenceRound", "convergence");
  }

  /** One point of a curve: the runs at one value of the varied parameter. */
  public record CurvePoint(String x, long runs, long events, Intervals.Interval probability,
                           Intervals.Interval time) {
  }

  /** The curve of one value of the second varied parameter (null: there is none). */
  public record Curve(String group, List<CurvePoint> points) {
  }

  /** The individual prior over names, and where it came from. */
  public record Prior(String source, Map<String, Double> shares) {
  }

  /** The completed runs of a sweep and how to read them. */
  public record Sweep(JsonNode manifest, Csv.Table runs, String xPath, String groupPath) {
    public List<Map<String, String>> completed() {
      return runs.rows().stream().filter(row -> "completed".equals(row.get("status"))).toList();
    }

    public Event event() {
      return completed().stream().anyMatch(row -> row.get("flipped") != null) ? Event.FLIP : Event.CONVERGENCE;
    }

    public long seed() {
      return manifest.path("seed").asLong(0);
    }
  }

  /** The varied paths of {@code sweep.json}, in order. */
  public static List<String> variedPaths(JsonNode manifest) {
    List<String> paths = new ArrayList<>();
    for (JsonNode vary : manifest.path("vary")) {
      paths.add(vary.path("path").asText());
    }
    return paths;
  }

  /**
   * Reads a sweep against its x path ({@code requestedX}, else the first varied path), the
   * second varied path grouping the curves. A sweep that varies nothing has no x path: its one
   * point, the base spec, is the x axis's one category.
   *
   * @throws IllegalArgumentException naming {@code --x} when the path was not varied
   */
  public static Sweep sweep(JsonNode manifest, Csv.Table runs, String requestedX) {
    List<String> varied = variedPaths(manifest);
    if (varied.isEmpty() && requestedX == null) {
      return new Sweep(manifest, runs, null, null);
    }
    String x = requestedX != null ? requestedX : varied.get(0);
    if (!varied.contains(x)) {
      throw new IllegalArgumentException("--x " + x + ": not a varied path of the sweep; expected one of " + varied);
    }
    for (String path : varied) {
      if (!runs.header().contains(path)) {
        throw new IllegalArgumentException("runs.csv: no column " + path + " for the varied path");
      }
    }
    String group = varied.stream().filter(path -> !path.equals(x)).findFirst().orElse(null);
    return new Sweep(manifest, runs, x, group);
  }

  /** The tipping curves: per group, per x value in the order of {@code sweep.json}. */
  public static List<Curve> tippingCurves(Sweep sweep) {
    Event event = sweep.event();
    List<Map<String, String>> completed = sweep.completed();
    List<Curve> curves = new ArrayList<>();
    int seedOffset = 0;
    for (String group : values(sweep, sweep.groupPath())) {
      List<CurvePoint> points = new ArrayList<>();
      for (String x : values(sweep, sweep.xPath())) {
        List<Map<String, String>> runs = completed.stream()
            .filter(row -> Objects.equals(row.get(sweep.xPath()), x))
            .filter(row -> group == null || Objects.equals(row.get(sweep.groupPath()), group))
            .toList();
        if (runs.isEmpty()) {
          continue;
        }
        long events = runs.stream().filter(row -> "true".equals(row.get(event.column()))).count();
        double[] times = runs.stream().filter(row -> "true".equals(row.get(event.column())))
            .map(row -> Csv.number(row.get(event.timeColumn()))).filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue).toArray();
        points.add(new CurvePoint(x, runs.size(), events, Intervals.wilson(events, runs.size()),
            Intervals.bootstrapMean(times, sweep.seed() + seedOffset++)));
      }
      curves.add(new Curve(group, points));
    }
    return curves;
  }

  /**
   * The values a path took: those of {@code sweep.json} in its order (as {@code runs.csv} writes
   * them), then any others {@code runs.csv} holds; a single null without a path.
   */
  static List<String> values(Sweep sweep, String path) {
    if (path == null) {
      return java.util.Collections.singletonList(null);
    }
    Set<String> values = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Map<String, String> row : sweep.runs().rows()) {
      seen.add(row.get(path));
    }
    for (JsonNode vary : sweep.manifest().path("vary")) {
      if (path.equals(vary.path("path").asText())) {
        for (JsonNode value : vary.path("values")) {
          // runs.csv writes 0.0 as 0.0 or 0: match by number where both are numbers.
          String text = value.isTextual() ? value.asText() : value.toString();
          values.add(seen.stream().filter(cell -> sameValue(cell, text)).findFirst().orElse(text));
        }
      }
    }
    values.addAll(seen);
    values.remove(null);
    return new ArrayList<>(values);
  }

  private static boolean sameValue(String cell, String value) {
    Double a = Csv.number(cell);
    Double b = Csv.number(value);
    return Objects.equals(cell, value) || a != null && a.equals(b);
  }

  /** The x axis's categories: the values, the one point of a sweep that varies nothing named as such. */
  static List<String> labels(List<String> values) {
    return values.stream().map(SweepFigures::label).toList();
  }

  /** An x value as the axis names it: the one point of a sweep that varies nothing is the base spec. */
  static String label(String value) {
    return value == null ? SweepPoint.BASE : value;
  }

  /** The x axis's title: the x path, or the base spec. */
  static String axis(Sweep sweep) {
    return sweep.xPath() == null ? SweepPoint.BASE : sweep.xPath();
  }

  /** Whether every value is a number, so the axis can be numeric. */
  static boolean numeric(List<String> values) {
    return values.stream().allMatch(value -> Csv.number(value) != null);
  }

  /**
   * The individual prior over the names: for the memory policy its {@code policy.bias} weights
   * over the pool, normalised (missing names weigh 1); for language models the first choices a
   * probe counted ({@code probe.json}'s {@code counts}), else uniform; null when the game invents
   * its names.
   */
  public static Prior prior(ExperimentSpec base, Map<String, Long> probeCounts) {
    List<String> pool = base.game().resolvedNames();
    String policy = base.policy().resolvedKind(base.game());
    Map<String, Double> weights = new LinkedHashMap<>();
    String source;
    if (PolicySpec.MEMORY.equals(policy)) {
      weights.putAll(CollectiveBias.normalisedBias(pool, base.policy().bias()));
      source = base.policy().bias().isEmpty() ? "memory policy, no bias: uniform" : "memory policy's bias";
    } else if (PolicySpec.LLM.equals(policy) && probeCounts != null && !probeCounts.isEmpty()) {
      probeCounts.forEach((name, count) -> weights.put(name, count.doubleValue()));
      source = "probe: first choices with an empty memory";
    } else {
      pool.forEach(name -> weights.put(name, 1.0));
      source = PolicySpec.LLM.equals(policy) ? "no probe.json: uniform" : "uniform";
    }
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    if (weights.isEmpty() || total <= 0) {
      return null;
    }
    weights.replaceAll((name, weight) -> weight / total);
    return new Prior(source, weights);
  }

  /** Runs won by each name (names of the prior first), among completed runs with a winner. */
  public static Map<String, Long> wins(Sweep sweep, Prior prior) {
    return wins(sweep.completed(), prior);
  }

  private static Map<String, Long> wins(List<Map<String, String>> completed, Prior prior) {
    Map<String, Long> wins = new LinkedHashMap<>();
    if (prior != null) {
      prior.shares().keySet().forEach(name -> wins.put(name, 0L));
    }
    for (Map<String, String> row : completed) {
      if (row.get("winner") != null) {
        wins.merge(row.get("winner"), 1L, Long::sum);
      }
    }
    return wins;
  }

  /**
   * The collective bias at one point of the sweep: the winners of its completed runs against the
   * individual prior there (a varied {@code policy.bias} or pool changes the prior from point to
   * point, and a committed minority changes who wins, so points are never pooled).
   *
   * @param label  the point's {@code path=value} pairs, for people
   * @param wins   runs won by each name, names of the prior first
   * @param prior  the individual prior at this point, or null when the game invents its names
   */
  public record PointBias(String label, Map<String, Long> wins, Prior prior) {
    public long decided() {
      return wins.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The χ² test against the prior and the divergence, or null when there is none to make. */
    public CollectiveBias test() {
      if (prior == null || prior.shares().size() < 2 || !prior.shares().keySet().containsAll(wins.keySet())
          || decided() == 0) {
        return null;
      }
      return CollectiveBias.of(List.copyOf(prior.shares().keySet()), wins, prior.shares());
    }
  }

  /**
   * The collective bias of each point of the sweep that has completed runs, in the order of
   * {@code runs.csv}.
   *
   * @param priorAt the individual prior at a point, from its {@code path=value} overrides of the
   *                base spec (null when there is none)
   */
  public static List<PointBias> biasByPoint(Sweep sweep, Function<List<String>, Prior> priorAt) {
    List<String> varied = variedPaths(sweep.manifest());
    Map<List<String>, List<Map<String, String>>> byPoint = new LinkedHashMap<>();
    for (Map<String, String> row : sweep.completed()) {
      List<String> overrides = varied.stream().map(path -> path + "=" + row.get(path)).toList();
      byPoint.computeIfAbsent(overrides, k -> new ArrayList<>()).add(row);
    }
    List<PointBias> points = new ArrayList<>();
    byPoint.forEach((overrides, rows) -> {
      Prior prior = priorAt.apply(overrides);
      points.add(new PointBias(String.join(", ", overrides), wins(rows, prior), prior));
    });
    return points;
  }

  /** The figures with the same prior at every point (a sweep that varies nothing the prior depends on). */
  public static List<Figure> of(Sweep sweep, Prior prior) {
    return of(sweep, biasByPoint(sweep, overrides -> prior));
  }

  /** The figures of a sweep whose game groups none of its measures. */
  public static List<Figure> of(Sweep sweep, List<PointBias> bias) {
    return of(sweep, bias, List.of());
  }

  /** Points at most drawn side by side in the collective-bias figure; more are only in the table. */
  static final int MAX_BIAS_POINTS_DRAWN = 8;

  /**
   * The sweep's figures: the tipping curve and the time to the event, the collective bias (one
   * point: its winners against its prior, the test in the title; up to
   * {@value #MAX_BIAS_POINTS_DRAWN} points: the winners' shares side by side, each point's test in
   * the report's table), the convergence times, and the game's own measures: first as its
   * {@code groups} say ({@link #groups}), then each other one against x ({@link #measures}).
   *
   * @param groups the game's groups of its {@code rounds.csv} columns ({@code GameModule.figureGroups}
   *               of the {@code measure.*} columns without their prefix); none for a game without
   */
  public static List<Figure> of(Sweep sweep, List<PointBias> bias, List<FigureGroup> groups) {
    List<Figure> figures = new ArrayList<>();
    Event event = sweep.event();
    List<Curve> curves = tippingCurves(sweep);
    List<String> xValues = values(sweep, sweep.xPath());
    boolean numericX = numeric(xValues);
    List<Figure.Series> probability = new ArrayList<>();
    List<Figure.Series> time = new ArrayList<>();
    for (Curve curve : curves) {
      String name = curve.group() == null ? "P(" + event.noun() + ")" : sweep.groupPath() + " = " + curve.group();
      List<CurvePoint> points = curve.points();
      double[] x = points.stream().mapToDouble(p -> numericX ? Csv.number(p.x()) : xValues.indexOf(p.x())).toArray();
      probability.add(new Figure.Series(name, Figure.Kind.LINE, x,
          points.stream().mapToDouble(p -> p.probability().estimate()).toArray(),
          points.stream().mapToDouble(p -> p.probability().low()).toArray(),
          points.stream().mapToDouble(p -> p.probability().high()).toArray(), null, null));
      time.add(new Figure.Series(curve.group() == null ? "mean round of " + event.noun() : name, Figure.Kind.LINE, x,
          points.stream().mapToDouble(p -> p.time().estimate()).toArray(),
          points.stream().mapToDouble(p -> p.time().low()).toArray(),
          points.stream().mapToDouble(p -> p.time().high()).toArray(), null, null));
    }
    List<String> categories = numericX ? null : labels(xValues);
    String critical = numericX ? criticalValues(sweep, curves) : "";
    // A game that never converges but has measures of its own (CRSEC's norms, a debate) gets those instead.
    boolean noEvent = event == Event.CONVERGENCE && curves.stream().flatMap(curve -> curve.points().stream())
        .allMatch(point -> point.events() == 0);
    boolean ownMeasures = sweep.runs().header().stream().anyMatch(column -> column.startsWith(MEASURE_PREFIX));
    if (!(noEvent && ownMeasures)) {
      figures.add(new Figure("tipping", "Probability of a " + event.noun() + " against " + axis(sweep)
          + " (Wilson 95% intervals)" + critical, axis(sweep), "P(" + event.noun() + ")", Figure.SHARE_MIN,
          Figure.SHARE_MAX, categories, probability, List.of()));
      figures.add(new Figure("time", "Time to " + event.noun() + " against " + axis(sweep)
          + " (mean over runs with a " + event.noun() + ", bootstrap 95% intervals)", axis(sweep),
          "population round", 0.0, null, categories, time, List.of()));
    }
    Figure biasFigure = biasFigure(bias);
    if (biasFigure != null) {
      figures.add(biasFigure);
    }
    Figure times = convergenceTimes(sweep);
    if (times != null) {
      figures.add(times);
    }
    Set<String> grouped = new java.util.HashSet<>();
    figures.addAll(groups(sweep, groups, grouped));
    figures.addAll(measures(sweep, grouped));
    return figures;
  }

  /**
   * The groups {@code game}'s module makes of a sweep's measures (the {@code measure.*} columns of
   * {@code runs.csv}'s {@code header}, without the prefix); none for an unknown game or none named.
   */
  public static List<FigureGroup> gameGroups(String game, List<String> header) {
    if (game == null || !dev.norma.agents.game.Games.kinds().contains(game)) {
      return List.of();
    }
    return dev.norma.agents.game.Games.forKind(game).figureGroups(header.stream()
        .filter(column -> column.startsWith(MEASURE_PREFIX)).map(column -> column.substring(MEASURE_PREFIX.length()))
        .toList());
  }

  /**
   * {@code runs.csv}'s {@code header} with its {@code measure.*} columns in the order of a run's
   * {@code rounds.csv} header ({@code runOrder}; {@code runs.csv} sorts them), so a game's groups
   * keep its categories in the spec's order; columns the run lacks keep their place after those it has.
   */
  public static List<String> inRunOrder(List<String> header, List<String> runOrder) {
    List<String> ordered = new ArrayList<>(header);
    ordered.sort(java.util.Comparator.comparingInt(column -> {
      int at = column.startsWith(MEASURE_PREFIX) ? runOrder.indexOf(column.substring(MEASURE_PREFIX.length())) : -1;
      return at < 0 ? Integer.MAX_VALUE : at;
    }));
    return ordered;
  }

  /** Points of the sweep drawn at most side by side in a group's figure; the table has every run. */
  static final int MAX_GROUP_POINTS_DRAWN = 8;

  /**
   * A game's groups of measures across the runs: for each group, each measure with a column per
   * category is a bar per category, the mean of that column over the completed runs (at their last
   * round) with a seeded bootstrap 95% interval across them; one bar series per measure and sweep
   * point (up to {@value #MAX_GROUP_POINTS_DRAWN} points, the varied values joined). Runs without
   * a number in a column leave it out. A measure whose columns an earlier group drew is not drawn
   * again (a group by round repeats the one at the last round); a measure of one column for all
   * categories is left to {@link #measures}. The columns drawn, their intervals within a run
   * included, are added to {@code drawn}.
   */
  static List<Figure> groups(Sweep sweep, List<FigureGroup> groups, Set<String> drawn) {
    List<String> varied = variedPaths(sweep.manifest());
    Map<String, List<Map<String, String>>> byPoint = new LinkedHashMap<>();
    for (Map<String, String> row : sweep.completed()) {
      String label = String.join(", ", varied.stream().map(path -> path + "=" + row.get(path)).toList());
      byPoint.computeIfAbsent(label, k -> new ArrayList<>()).add(row);
    }
    List<String> points = byPoint.keySet().stream().limit(MAX_GROUP_POINTS_DRAWN).toList();
    List<Figure> figures = new ArrayList<>();
    long seed = sweep.seed();
    for (FigureGroup group : groups) {
      List<FigureGroup.Measure> measures = group.byCategory().stream()
          .filter(measure -> !drawn.containsAll(measure.columns())).toList();
      if (measures.isEmpty() || points.isEmpty()) {
        continue;
      }
      double[] index = new double[group.categories().size()];
      Arrays.setAll(index, i -> i);
      List<Figure.Series> series = new ArrayList<>();
      for (String point : points) {
        for (FigureGroup.Measure measure : measures) {
          Intervals.Interval[] means = new Intervals.Interval[index.length];
          for (int c = 0; c < index.length; c++) {
            String column = MEASURE_PREFIX + measure.columns().get(c);
            double[] ys = byPoint.get(point).stream().map(row -> Csv.number(row.get(column)))
                .filter(Objects::nonNull).filter(y -> !y.isNaN()).mapToDouble(Double::doubleValue).toArray();
            means[c] = Intervals.bootstrapMean(ys, seed++);
          }
          String name = points.size() == 1 ? measure.name()
              : measures.size() == 1 ? point : measure.name() + " · " + point;
          series.add(new Figure.Series(name, Figure.Kind.BAR, index,
              Arrays.stream(means).mapToDouble(Intervals.Interval::estimate).toArray(),
              Arrays.stream(means).mapToDouble(Intervals.Interval::low).toArray(),
              Arrays.stream(means).mapToDouble(Intervals.Interval::high).toArray(), null, null));
        }
      }
      group.byCategory().forEach(measure -> drawn.addAll(measure.drawn()));
      String shown = byPoint.size() > points.size() ? "; the first " + points.size() + " of " + byPoint.size()
          + " sweep points" : "";
      figures.add(new Figure(group.id() + "-runs", group.title() + " by condition at each run's last round: the"
          + " mean over runs (bootstrap 95% interval across replicates" + shown + ")", "condition", group.yLabel(),
          group.yMin(), group.yMax(), group.categories(), series, List.of()));
    }
    return figures;
  }

  /** The prefix of {@code runs.csv}'s columns that hold a game's own measures at a run's last round. */
  static final String MEASURE_PREFIX = "measure.";
  /** Game measures drawn at most; the rest are in the table of every run. */
  static final int MAX_MEASURES_DRAWN = 16;

  /**
   * A game's own measures (the {@code measure.*} columns of {@code runs.csv}: an encounter game's
   * {@code rounds.csv} columns at each run's last round) against x: the mean over the completed
   * runs at each value, with a seeded bootstrap 95% interval, one curve per group.
   */
  static List<Figure> measures(Sweep sweep) {
    return measures(sweep, Set.of());
  }

  /** {@link #measures(Sweep)} but those the game's groups drew ({@code grouped}, without the prefix). */
  static List<Figure> measures(Sweep sweep, Set<String> grouped) {
    List<String> xValues = values(sweep, sweep.xPath());
    boolean numericX = numeric(xValues);
    List<Figure> figures = new ArrayList<>();
    List<String> columns = sweep.runs().header().stream().filter(column -> column.startsWith(MEASURE_PREFIX))
        .filter(column -> !grouped.contains(column.substring(MEASURE_PREFIX.length())))
        .filter(column -> sweep.completed().stream().anyMatch(row -> Csv.number(row.get(column)) != null))
        .limit(MAX_MEASURES_DRAWN).toList();
    long seed = sweep.seed();
    for (String column : columns) {
      List<Figure.Series> series = new ArrayList<>();
      boolean nonNegative = true;
      for (String group : values(sweep, sweep.groupPath())) {
        List<Double> x = new ArrayList<>();
        List<Intervals.Interval> means = new ArrayList<>();
        for (String value : xValues) {
          double[] ys = sweep.completed().stream()
              .filter(row -> Objects.equals(row.get(sweep.xPath()), value))
              .filter(row -> group == null || Objects.equals(row.get(sweep.groupPath()), group))
              .map(row -> Csv.number(row.get(column))).filter(Objects::nonNull)
              .filter(y -> !y.isNaN()).mapToDouble(Double::doubleValue).toArray();
          if (ys.length == 0) {
            continue;
          }
          nonNegative &= Arrays.stream(ys).allMatch(y -> y >= 0);
          x.add(numericX ? Csv.number(value) : xValues.indexOf(value));
          means.add(Intervals.bootstrapMean(ys, seed++));
        }
        if (!x.isEmpty()) {
          series.add(new Figure.Series(group == null ? "mean over runs" : sweep.groupPath() + " = " + group,
              Figure.Kind.LINE, x.stream().mapToDouble(Double::doubleValue).toArray(),
              means.stream().mapToDouble(Intervals.Interval::estimate).toArray(),
              means.stream().mapToDouble(Intervals.Interval::low).toArray(),
              means.stream().mapToDouble(Intervals.Interval::high).toArray(), null, null));
        }
      }
      if (series.isEmpty()) {
        continue;
      }
      String name = column.substring(MEASURE_PREFIX.length());
      figures.add(new Figure("measure-" + name.replaceAll("[^A-Za-z0-9_-]", "-"), name + " at each run's last round"
          + " against " + axis(sweep) + " (mean over runs, bootstrap 95% intervals)", axis(sweep), name,
          nonNegative ? 0.0 : null, null, numericX ? null : labels(xValues), series, List.of()));
    }
    return figures;
  }

  private static Figure biasFigure(List<PointBias> points) {
    List<PointBias> decided = points.stream().filter(point -> point.decided() > 0).toList();
    if (decided.isEmpty() || decided.size() > MAX_BIAS_POINTS_DRAWN) {
      return null;
    }
    Set<String> allNames = new LinkedHashSet<>();
    decided.forEach(point -> allNames.addAll(point.wins().keySet()));
    List<String> names = new ArrayList<>(allNames);
    double[] index = new double[names.size()];
    Arrays.setAll(index, i -> i);
    List<Figure.Series> bars = new ArrayList<>();
    for (PointBias point : decided) {
      List<Intervals.Interval> shares = names.stream()
          .map(name -> Intervals.wilson(point.wins().getOrDefault(name, 0L), point.decided())).toList();
      bars.add(new Figure.Series(decided.size() == 1 ? "share of runs won" : point.label(), Figure.Kind.BAR, index,
          shares.stream().mapToDouble(Intervals.Interval::estimate).toArray(),
          shares.stream().mapToDouble(Intervals.Interval::low).toArray(),
          shares.stream().mapToDouble(Intervals.Interval::high).toArray(), null, null));
    }
    if (decided.size() == 1) {
      PointBias point = decided.get(0);
      if (point.prior() != null) {
        bars.add(new Figure.Series("individual prior (" + point.prior().source() + ")", Figure.Kind.BAR, index,
            names.stream().mapToDouble(name -> point.prior().shares().getOrDefault(name, 0.0)).toArray(),
            null, null, null, null));
      }
      return new Figure("bias", "Collective bias: the name each of " + point.decided()
          + " runs converged on, against the individual prior" + biasTest(point), "name", "share",
          Figure.SHARE_MIN, Figure.SHARE_MAX, names, bars, List.of());
    }
    return new Figure("bias", "Collective bias by sweep point: the share of runs won by each name (Wilson 95%"
        + " intervals); each point's test against its individual prior is in the table below", "name", "share",
        Figure.SHARE_MIN, Figure.SHARE_MAX, names, bars, List.of());
  }

  /**
   * The critical value of x where P(event) = ½, by a logistic fit over the completed runs of each
   * curve ({@link TippingPoint}), as a title's last words: ". Critical value (logistic fit):
   * 0.0981 [0.0950, 0.1012]", per group with several curves.
   */
  static String criticalValues(Sweep sweep, List<Curve> curves) {
    List<String> parts = new ArrayList<>();
    for (Curve curve : curves) {
      List<Map<String, String>> runs = sweep.completed().stream()
          .filter(row -> curve.group() == null || sameValue(row.get(sweep.groupPath()), curve.group()))
          .filter(row -> Csv.number(row.get(sweep.xPath())) != null && row.get(sweep.event().column()) != null)
          .toList();
      if (runs.isEmpty()) {
        continue;
      }
      double[] x = runs.stream().mapToDouble(row -> Csv.number(row.get(sweep.xPath()))).toArray();
      boolean[] events = new boolean[runs.size()];
      for (int i = 0; i < events.length; i++) {
        events[i] = "true".equals(runs.get(i).get(sweep.event().column()));
      }
      String fit = describe(TippingPoint.fit(x, events));
      parts.add(curve.group() == null ? fit : sweep.groupPath() + " = " + curve.group() + ": " + fit);
    }
    return parts.isEmpty() ? "" : ". Critical value (logistic fit, 95% interval): " + String.join("; ", parts);
  }

  static String describe(TippingPoint tipping) {
    Intervals.Interval at = tipping.criticalFraction();
    return switch (tipping.status()) {
      case FITTED -> String.format(Locale.ROOT, "%.4g [%.4g, %.4g]", at.estimate(), at.low(), at.high());
      case NOT_CONVERGED -> "the fit did not converge";
      case SEPARATED -> at.low() == at.high()
          ? String.format(Locale.ROOT, "at %.4g (outcomes mix only there: no slope to fit)", at.low())
          : String.format(Locale.ROOT, "between %.4g and %.4g (no outcomes overlap)", at.low(), at.high());
      case ALL_FLIPPED -> String.format(Locale.ROOT, "below %.4g (every run)", at.high());
      case NONE_FLIPPED -> String.format(Locale.ROOT, "above %.4g (no run)", at.low());
    };
  }

  /** The winners against the prior, as a title's last words: χ², its p-value, entropy and divergence. */
  static String biasTest(PointBias point) {
    CollectiveBias bias = point.test();
    if (bias == null) {
      return "";
    }
    return String.format(Locale.ROOT, ". Winners against the prior: \u03c7\u00b2 = %.2f, %d d.f., p = %.3g%s;"
            + " winners' entropy %.2f bits; divergence from the prior %.3f bits",
        bias.test().statistic(), bias.test().degreesOfFreedom(), bias.test().pValue(),
        bias.minExpected() < 5 ? " (few runs: expected counts below 5)" : "", bias.entropyBits(), bias.klBits());
  }

  /** Box plots of the convergence round of converged runs, per parameter value (and group). */
  private static Figure convergenceTimes(Sweep sweep) {
    List<String> categories = new ArrayList<>();
    List<double[]> boxes = new ArrayList<>();
    for (String group : values(sweep, sweep.groupPath())) {
      for (String x : values(sweep, sweep.xPath())) {
        double[] rounds = sweep.completed().stream()
            .filter(row -> Objects.equals(row.get(sweep.xPath()), x))
            .filter(row -> group == null || Objects.equals(row.get(sweep.groupPath()), group))
            .filter(row -> "true".equals(row.get("converged")))
            .map(row -> Csv.number(row.get("convergenceRound"))).filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue).sorted().toArray();
        if (rounds.length > 0) {
          categories.add(label(x) + (group == null ? "" : " · " + group));
          boxes.add(new double[] {rounds[0], Intervals.percentile(rounds, 0.25), Intervals.percentile(rounds, 0.5),
              Intervals.percentile(rounds, 0.75), rounds[rounds.length - 1], rounds.length});
        }
      }
    }
    if (categories.isEmpty()) {
      return null;
    }
    double[] index = new double[categories.size()];
    Arrays.setAll(index, i -> i);
    Figure.Series box = new Figure.Series("convergence round", Figure.Kind.BOXPLOT, index,
        boxes.stream().mapToDouble(b -> b[2]).toArray(), boxes.stream().mapToDouble(b -> b[0]).toArray(),
        boxes.stream().mapToDouble(b -> b[4]).toArray(), boxes.stream().mapToDouble(b -> b[1]).toArray(),
        boxes.stream().mapToDouble(b -> b[3]).toArray());
    return new Figure("convergence", "Convergence time of converged runs (box: quartiles, whiskers: range) by "
        + axis(sweep) + (sweep.groupPath() == null ? "" : " · " + sweep.groupPath()), axis(sweep),
        "population round", 0.0, null, categories, List.of(box), List.of());
  }
}
