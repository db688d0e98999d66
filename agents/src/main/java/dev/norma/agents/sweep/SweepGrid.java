package dev.norma.agents.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The points of a sweep: every combination of the axes' values, the first axis varying slowest
 * (as nested loops in the order of the {@code --vary} options). Without an axis the one point is
 * the base spec, run as replicates alone.
 */
public record SweepGrid(List<SweepAxis> axes) {
  /** More runs than this in one sweep is a typo, not a study. */
  public static final long MAX_POINTS = 1_000_000;

  public SweepGrid {
    axes = List.copyOf(axes);
    Set<String> paths = new HashSet<>();
    long points = 1;
    for (SweepAxis axis : axes) {
      if (!paths.add(axis.path())) {
        throw new IllegalArgumentException("--vary " + axis.path() + ": the path is varied twice; give its values"
            + " in one --vary");
      }
      points *= axis.values().size();
      if (points > MAX_POINTS) {
        throw new IllegalArgumentException("--vary: the grid has more than " + MAX_POINTS + " points");
      }
    }
  }

  /** The grid of the {@code --vary} arguments, each read by {@link SweepAxis#parse}. */
  public static SweepGrid parse(List<String> options) {
    List<SweepAxis> axes = new ArrayList<>();
    for (String option : options) {
      axes.add(SweepAxis.parse(option));
    }
    return new SweepGrid(axes);
  }

  public List<String> paths() {
    return axes.stream().map(SweepAxis::path).toList();
  }

  /**
   * Every point in grid order.
   *
   * @throws IllegalArgumentException when two points would share a run directory's name (values
   *                                  that differ only in characters a file name cannot hold)
   */
  public List<SweepPoint> points() {
    List<SweepPoint> points = new ArrayList<>();
    int[] at = new int[axes.size()];
    int index = 0;
    while (true) {
      List<SweepValue> values = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        values.add(axes.get(a).values().get(at[a]));
      }
      points.add(new SweepPoint(index++, paths(), values));
      int a = axes.size() - 1;
      while (a >= 0 && ++at[a] == axes.get(a).values().size()) {
        at[a--] = 0;
      }
      if (a < 0) {
        break;
      }
    }
    Map<String, SweepPoint> names = new HashMap<>();
    for (SweepPoint point : points) {
      SweepPoint other = names.putIfAbsent(point.runName(0), point);
      if (other != null) {
        throw new IllegalArgumentException("--vary: the points " + other.label() + " and " + point.label()
            + " would share a run directory; their values differ only in characters a file name cannot hold");
      }
    }
    return points;
  }
}
