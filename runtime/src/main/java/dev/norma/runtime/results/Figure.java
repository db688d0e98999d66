package dev.norma.runtime.results;

import java.util.List;

/**
 * One plot of a report, independent of how it is drawn: {@link HtmlReport} turns it into an
 * ECharts chart, {@link RunReport} into a panel of {@code report.png}. Data preparation builds
 * figures from the result files and is tested on its own.
 *
 * @param id         a stable identifier (the chart's element id in the page)
 * @param title      what the plot shows, in a few words (it says which name won where that applies)
 * @param xLabel     the x axis's title
 * @param yLabel     the y axis's title
 * @param yMin       the y axis's fixed lower end, or null to follow the data
 * @param yMax       the y axis's fixed upper end, or null to follow the data
 * @param categories the x axis's categories, or null for a numeric x axis
 * @param series     what is drawn, in legend order
 * @param markers    vertical lines at an x (convergence, flip), labelled
 */
public record Figure(String id, String title, String xLabel, String yLabel, Double yMin, Double yMax,
                     List<String> categories, List<Series> series, List<Marker> markers) {
  public Figure {
    categories = categories == null ? null : List.copyOf(categories);
    series = List.copyOf(series);
    markers = markers == null ? List.of() : List.copyOf(markers);
  }

  /** How a series is drawn. */
  public enum Kind { LINE, POINTS, BAR, BOXPLOT }

  /**
   * A named series. For lines, points and bars: {@code x} (category index on a category axis) and
   * {@code y}, with {@code low}/{@code high} (an interval per point, drawn as error bars) or null.
   * For a box plot: per category, {@code y} the median and {@code low}/{@code high} the whiskers,
   * {@code q1}/{@code q3} the box.
   */
  public record Series(String name, Kind kind, double[] x, double[] y, double[] low, double[] high,
                       double[] q1, double[] q3) {
    public static Series line(String name, double[] x, double[] y) {
      return new Series(name, Kind.LINE, x, y, null, null, null, null);
    }

    public boolean hasIntervals() {
      return low != null && high != null;
    }
  }

  /** A vertical line at {@code x}, e.g. the round a flip was seen. */
  public record Marker(double x, String label) {
  }

  /** A share axis: fixed to [0, 1], so noise looks like noise. */
  public static final double SHARE_MIN = 0;
  public static final double SHARE_MAX = 1;
}
