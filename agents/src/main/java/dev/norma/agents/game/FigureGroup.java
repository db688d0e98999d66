package dev.norma.agents.game;

import java.util.List;

/**
 * Columns of a game's {@code rounds.csv} that a run's report draws together in one figure, instead
 * of one chart a column ({@link GameModule#figureGroups}): a study's conditions side by side, say.
 * Plain data; the report decides how it looks.
 *
 * <p>A group drawn {@linkplain #byRound() by round} has the population round on its x axis and a
 * line for each column of each measure, named by its category (a measure of one column by the
 * measure's name). Otherwise its x axis is {@link #categories()}, and each measure is a bar per
 * category, from the last round's row. A sweep's report draws every group across its runs: each
 * measure with a column per category as a bar per category, the mean of that column at the runs'
 * last rounds with an interval across the runs (the group's own intervals, within a run, are left
 * out there).
 *
 * @param id         a stable identifier (the chart's element id)
 * @param title      what the figure shows, without how it is drawn ("by round", "last round"),
 *                   which the report adds
 * @param yLabel     the y axis's title
 * @param yMin       the y axis's fixed lower end, or null to follow the data
 * @param yMax       the y axis's fixed upper end, or null to follow the data
 * @param byRound    drawn by round (lines), or by category at the last round (bars)
 * @param categories the categories of the measures' columns, in their order (a study's conditions)
 * @param measures   what is drawn, in legend order
 * @param intervals  what the measures' intervals are ("95% interval across pairs"), or null
 */
public record FigureGroup(String id, String title, String yLabel, Double yMin, Double yMax, boolean byRound,
                          List<String> categories, List<Measure> measures, String intervals) {
  public FigureGroup {
    categories = List.copyOf(categories);
    measures = List.copyOf(measures);
  }

  /** A group whose measures have no intervals. */
  public FigureGroup(String id, String title, String yLabel, Double yMin, Double yMax, boolean byRound,
                     List<String> categories, List<Measure> measures) {
    this(id, title, yLabel, yMin, yMax, byRound, categories, measures, null);
  }

  /** The measures with a column for each category, which a sweep draws across its runs. */
  public List<Measure> byCategory() {
    return measures.stream().filter(measure -> measure.columns().size() == categories.size()).toList();
  }

  /**
   * One measure of a group: its name, its column for each category (or one column, for all), and
   * the columns of each value's interval, or null.
   */
  public record Measure(String name, List<String> columns, List<String> lows, List<String> highs) {
    public Measure {
      columns = List.copyOf(columns);
      lows = lows == null ? null : List.copyOf(lows);
      highs = highs == null ? null : List.copyOf(highs);
      if ((lows == null) != (highs == null) || lows != null && (lows.size() != columns.size()
          || highs.size() != columns.size())) {
        throw new IllegalArgumentException("an interval needs a low and a high column for each column: " + name);
      }
    }

    /** A measure without intervals. */
    public Measure(String name, List<String> columns) {
      this(name, columns, null, null);
    }

    /** Every column the measure draws, its intervals' included. */
    public List<String> drawn() {
      List<String> drawn = new java.util.ArrayList<>(columns);
      if (lows != null) {
        drawn.addAll(lows);
        drawn.addAll(highs);
      }
      return drawn;
    }
  }
}
