package dev.norma.runtime.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.RoundRow;
import dev.norma.protocols.run.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one run, from its files: for the naming games, the shares of named names by
 * population round (the committed name, the winner and the leading names, on a fixed [0, 1] axis,
 * with the convergence and flip rounds marked), success rate, entropy, distinct names, words held
 * and the committed name's production; for any other game, the figures its module groups columns
 * into ({@link dev.norma.agents.game.GameModule#figureGroups}: by round, or by category at the last
 * round), then each other numeric column of {@code rounds.csv} by round. Long runs are thinned to
 * at most {@link #MAX_POINTS} rounds.
 */
public final class RunFigures {
  /** Points per curve: enough for any screen, and a 10,000-round run still draws in a moment. */
  public static final int MAX_POINTS = 2000;
  /** The leading names drawn besides the committed name and the winner. */
  public static final int LEADING_NAMES = RoundRow.TOP_NAMES;
  private static final String ROUND = "population round";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RunFigures() {
  }

  /**
   * A run's files as the figures need them.
   *
   * @param rounds  {@code rounds.csv}
   * @param shares  {@code shares.csv}, or null (runs written before it, encounter games)
   * @param summary {@code summary.json}, or null (a run still going, or killed)
   * @param game    the run's {@code game.kind} (from the summary, else from {@code spec.yaml}), or null
   */
  public record RunFiles(Csv.Table rounds, Csv.Table shares, Summary summary, Csv.Table interventions, String game) {
    public RunFiles(Csv.Table rounds, Csv.Table shares, Summary summary) {
      this(rounds, shares, summary, null);
    }

    public RunFiles(Csv.Table rounds, Csv.Table shares, Summary summary, Csv.Table interventions) {
      this(rounds, shares, summary, interventions, summary == null ? null : summary.game());
    }

    public static RunFiles read(Path dir) throws IOException {
      Csv.Table rounds = Csv.readRunTable(dir.resolve("rounds.csv"));
      if (rounds == null) {
        throw new IOException(dir + " holds no rounds.csv (is it a run directory?)");
      }
      Path summaryFile = dir.resolve("summary.json");
      Path interventions = dir.resolve("interventions.csv");
      Summary summary = Files.isRegularFile(summaryFile) ? readSummary(summaryFile) : null;
      Csv.Table applied = Files.isRegularFile(interventions) ? Csv.read(interventions) : null;
      return new RunFiles(rounds, Csv.readRunTable(dir.resolve("shares.csv")), summary, applied,
          summary != null ? summary.game() : gameOf(dir.resolve("spec.yaml")));
    }

    /** The {@code game.kind} a run directory's {@code spec.yaml} names; null without one. */
    static String gameOf(Path spec) throws IOException {
      if (!Files.isRegularFile(spec)) {
        return null;
      }
      com.fasterxml.jackson.databind.JsonNode kind = new ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(spec.toFile()).path("game").path("kind");
      return kind.isTextual() ? kind.asText() : null;
    }
  }

  /** A {@code summary.json}, of any format version so far. */
  public static Summary readSummary(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Summary.class);
  }

  public static List<Figure> of(RunFiles files) {
    List<Map<String, String>> rows = thin(files.rounds().rows());
    double[] round = column(rows, "round");
    Summary summary = files.summary();
    List<Figure.Marker> markers = markers(summary, files.interventions());
    if (!files.rounds().header().contains("topName")) {
      return measures(files.rounds(), rows, round, groups(files), markers);
    }
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure("shares", sharesTitle(summary), ROUND, "share of names produced",
        Figure.SHARE_MIN, Figure.SHARE_MAX, null, nameSeries(files, rows, round), markers));
    figures.add(new Figure("success", "Success rate", ROUND, "successful interactions",
        Figure.SHARE_MIN, Figure.SHARE_MAX, null,
        List.of(Figure.Series.line("success rate", round, column(rows, "successRate"))), markers));
    double[] entropy = column(rows, "entropyBits");
    figures.add(new Figure("entropy", "Entropy of the names produced", ROUND, "bits (Miller–Madow)",
        0.0, Math.max(1, Math.ceil(max(entropy))), null, List.of(Figure.Series.line("entropy", round, entropy)),
        markers));
    figures.add(new Figure("distinct", "Distinct names produced", ROUND, "names", 0.0, null, null,
        List.of(Figure.Series.line("distinct names", round, column(rows, "distinctNames"))), markers));
    if (hasValues(rows, "totalWords")) {
      figures.add(new Figure("words", "Words held (sum of inventories)", ROUND, "words", 0.0, null, null,
          List.of(Figure.Series.line("total words", round, column(rows, "totalWords"))), markers));
    }
    if (hasValues(rows, "committedShare")) {
      String committed = committedName(summary);
      figures.add(new Figure("committed", "Committed production: the share of "
          + (committed == null ? "the committed name" : committed) + " among the other agents", ROUND,
          "share of non-committed production", Figure.SHARE_MIN, Figure.SHARE_MAX, null,
          List.of(Figure.Series.line(committed == null ? "committed name" : committed, round,
              column(rows, "committedShare"))), markers));
    }
    if (hasValues(rows, "mutualInformationBits")) {
      figures.add(new Figure("information", "Information from partners: what the name a partner last showed"
          + " an agent tells about the agent's next name (Miller–Madow corrected), against partners shuffled"
          + " within the round", ROUND, "bits", 0.0, null, null, List.of(
              Figure.Series.line("mutual information", round, column(rows, "mutualInformationBits")),
              Figure.Series.line("mutual information, shuffled partners", round,
                  column(rows, "mutualInformationShuffledBits")),
              Figure.Series.line("transfer entropy", round, column(rows, "transferEntropyBits")),
              Figure.Series.line("transfer entropy, shuffled partners", round,
                  column(rows, "transferEntropyShuffledBits"))), markers));
    }
    return figures;
  }

  /** Which names to draw, in this order: the committed name, the winner, then the leading names. */
  static List<String> namesToDraw(RunFiles files) {
    Set<String> names = new LinkedHashSet<>();
    String committed = committedName(files.summary());
    if (committed != null) {
      names.add(committed);
    }
    if (files.summary() != null && files.summary().winner() != null) {
      names.add(files.summary().winner());
    }
    // Leading: the largest share summed over the run (the names that mattered longest).
    Map<String, Double> total = new HashMap<>();
    if (files.shares() != null) {
      for (Map<String, String> row : files.shares().rows()) {
        total.merge(row.get("name"), number(row.get("share")), Double::sum);
      }
    } else {
      for (Map<String, String> row : files.rounds().rows()) {
        for (String[] pair : List.of(new String[] {"topName", "topShare"}, new String[] {"name2", "share2"},
            new String[] {"name3", "share3"})) {
          if (row.get(pair[0]) != null) {
            total.merge(row.get(pair[0]), number(row.get(pair[1])), Double::sum);
          }
        }
      }
    }
    total.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(LEADING_NAMES)
        .forEach(entry -> names.add(entry.getKey()));
    return new ArrayList<>(names);
  }

  private static List<Figure.Series> nameSeries(RunFiles files, List<Map<String, String>> rows, double[] round) {
    Map<Long, Map<String, Double>> byRound = new HashMap<>();
    if (files.shares() != null) {
      for (Map<String, String> row : files.shares().rows()) {
        byRound.computeIfAbsent((long) number(row.get("round")), r -> new HashMap<>())
            .put(row.get("name"), number(row.get("share")));
      }
    }
    String committed = committedName(files.summary());
    List<Figure.Series> series = new ArrayList<>();
    for (String name : namesToDraw(files)) {
      double[] share = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        Map<String, String> row = rows.get(i);
        share[i] = name.equals(committed) && row.get("committedShare") != null ? number(row.get("committedShare"))
            : files.shares() != null ? byRound.getOrDefault((long) round[i], Map.of()).getOrDefault(name, 0.0)
            : fromRoundColumns(row, name);
      }
      series.add(Figure.Series.line(label(name, files.summary(), committed), round, share));
    }
    return series;
  }

  /** A name's share from the leading names of a row; below them it is taken as 0. */
  private static double fromRoundColumns(Map<String, String> row, String name) {
    if (name.equals(row.get("topName"))) {
      return number(row.get("topShare"));
    }
    for (int rank = 2; rank <= RoundRow.TOP_NAMES; rank++) {
      if (name.equals(row.get("name" + rank))) {
        return number(row.get("share" + rank));
      }
    }
    return 0;
  }

  private static String label(String name, Summary summary, String committed) {
    List<String> roles = new ArrayList<>();
    if (name.equals(committed)) {
      roles.add("committed");
    }
    if (summary != null && name.equals(summary.winner())) {
      roles.add("winner");
    }
    return roles.isEmpty() ? name : name + " (" + String.join(", ", roles) + ")";
  }

  private static String sharesTitle(Summary summary) {
    if (summary == null) {
      return "Shares of the leading names (run not finished)";
    }
    String outcome = summary.winner() != null
        ? "converged on " + summary.winner() + " at round " + summary.convergenceRound()
        : "no convergence in " + summary.populationRounds() + " rounds";
    if (Boolean.TRUE.equals(summary.flipped())) {
      outcome += "; flipped to " + committedName(summary) + " at round " + summary.flipRound();
    } else if (Boolean.FALSE.equals(summary.flipped())) {
      outcome += "; no flip";
    }
    return "Shares of the leading names: " + outcome;
  }

  /**
   * Convergence, the flip, and each intervention the run reached, at its round: "commit 150 → A",
   * or for one that changes the game "relabel A→B", "addNames K L", "payoff success 50".
   */
  static List<Figure.Marker> markers(Summary summary, Csv.Table interventions) {
    List<Figure.Marker> markers = new ArrayList<>();
    if (interventions != null) {
      for (Map<String, String> row : interventions.rows()) {
        Double round = Csv.number(row.get("round"));
        if (round != null) {
          String name = row.get("name");
          String count = row.get("count");
          String action = row.get("action");
          // A change of the game changes no agents: its name column says what changed ("relabel Q→M").
          boolean gameChange = "0".equals(count) && name != null && !name.isEmpty() && !"rewire".equals(action);
          // A rewire changes no agent either: "rewire → ring k=4"; "removeAgents 30" says how many left.
          String changed = count == null || "0".equals(count) ? "" : " " + count;
          markers.add(new Figure.Marker(round, gameChange ? action + " " + name
              : action + changed + (name == null ? "" : " \u2192 " + name)));
        }
      }
    }
    if (summary != null && summary.convergenceRound() != null) {
      markers.add(new Figure.Marker(summary.convergenceRound(), "converged"));
    }
    if (summary != null && summary.flipRound() != null) {
      markers.add(new Figure.Marker(summary.flipRound(), "flip"));
    }
    return markers;
  }

  private static String committedName(Summary summary) {
    return summary == null || summary.parameters() == null ? null : summary.parameters().committedName();
  }

  /** The groups of columns the run's game draws together; none for an unknown game. */
  private static List<dev.norma.agents.game.FigureGroup> groups(RunFiles files) {
    if (files.game() == null || !dev.norma.agents.game.Games.kinds().contains(files.game())) {
      return List.of();
    }
    return dev.norma.agents.game.Games.forKind(files.game()).figureGroups(files.rounds().header());
  }

  /**
   * An encounter game's (or an unknown game's) rounds: a figure for each group of columns its game
   * names, then one figure for each other numeric column; the interventions marked on each figure
   * by round.
   */
  private static List<Figure> measures(Csv.Table table, List<Map<String, String>> rows, double[] round,
                                       List<dev.norma.agents.game.FigureGroup> groups,
                                       List<Figure.Marker> markers) {
    List<Figure> figures = new ArrayList<>();
    Set<String> grouped = new java.util.HashSet<>();
    for (dev.norma.agents.game.FigureGroup group : groups) {
      figures.add(group.byRound() ? byRound(group, rows, round, markers) : byCategory(group, rows));
      group.measures().forEach(measure -> grouped.addAll(measure.drawn()));
    }
    for (String column : table.numericColumns()) {
      if (column.equals("round") || column.equals("interactions") || grouped.contains(column)) {
        continue;
      }
      double[] values = column(rows, column);
      double low = min(values);
      double high = max(values);
      boolean share = low >= 0 && high <= 1;
      figures.add(new Figure("measure-" + figures.size(), column, ROUND, column,
          share || low >= 0 ? 0.0 : null, share ? 1.0 : null, null,
          List.of(Figure.Series.line(column, round, values)), markers));
    }
    return figures;
  }

  /** A group by round: a line for each column of each measure, with its interval where it has one. */
  private static Figure byRound(dev.norma.agents.game.FigureGroup group, List<Map<String, String>> rows,
                                double[] round, List<Figure.Marker> markers) {
    long multiColumn = group.measures().stream().filter(measure -> measure.columns().size() > 1).count();
    List<Figure.Series> series = new ArrayList<>();
    for (dev.norma.agents.game.FigureGroup.Measure measure : group.measures()) {
      for (int c = 0; c < measure.columns().size(); c++) {
        String name = measure.columns().size() == 1 ? measure.name()
            : group.categories().get(c) + (multiColumn > 1 ? " · " + measure.name() : "");
        double[] low = measure.lows() == null ? null : column(rows, measure.lows().get(c));
        double[] high = measure.highs() == null ? null : column(rows, measure.highs().get(c));
        series.add(new Figure.Series(name, Figure.Kind.LINE, round, column(rows, measure.columns().get(c)), low, high,
            null, null));
      }
    }
    return new Figure(group.id(), group.title() + ", by round" + intervals(group), ROUND, group.yLabel(), group.yMin(),
        group.yMax(), null, series, markers);
  }

  /** A group by category: a bar for each category of each measure, from the last round's row. */
  private static Figure byCategory(dev.norma.agents.game.FigureGroup group, List<Map<String, String>> rows) {
    Map<String, String> last = rows.isEmpty() ? Map.of() : rows.get(rows.size() - 1);
    double[] index = new double[group.categories().size()];
    for (int c = 0; c < index.length; c++) {
      index[c] = c;
    }
    List<Figure.Series> series = new ArrayList<>();
    for (dev.norma.agents.game.FigureGroup.Measure measure : group.measures()) {
      double[] y = values(last, measure.columns());
      series.add(new Figure.Series(measure.name(), Figure.Kind.BAR, index, y,
          measure.lows() == null ? null : values(last, measure.lows()),
          measure.highs() == null ? null : values(last, measure.highs()), null, null));
    }
    String title = group.title() + " by condition, last round" + intervals(group)
        + (last.get("round") == null ? "" : " (round " + last.get("round") + ")");
    return new Figure(group.id(), title, "condition", group.yLabel(), group.yMin(), group.yMax(),
        group.categories(), series, List.of());
  }

  /** What a group's intervals are, as a title's last words; nothing for a group without. */
  private static String intervals(dev.norma.agents.game.FigureGroup group) {
    return group.intervals() == null ? "" : " (" + group.intervals() + ")";
  }

  private static double[] values(Map<String, String> row, List<String> columns) {
    double[] values = new double[columns.size()];
    for (int c = 0; c < values.length; c++) {
      Double value = Csv.number(row.get(columns.get(c)));
      values[c] = value == null ? Double.NaN : value;
    }
    return values;
  }

  /** At most {@link #MAX_POINTS} rows, evenly spaced, the last one always kept. */
  static List<Map<String, String>> thin(List<Map<String, String>> rows) {
    if (rows.size() <= MAX_POINTS) {
      return rows;
    }
    int stride = (rows.size() + MAX_POINTS - 1) / MAX_POINTS;
    List<Map<String, String>> kept = new ArrayList<>(MAX_POINTS + 1);
    for (int i = 0; i < rows.size(); i += stride) {
      kept.add(rows.get(i));
    }
    if (kept.get(kept.size() - 1) != rows.get(rows.size() - 1)) {
      kept.add(rows.get(rows.size() - 1));
    }
    return kept;
  }

  private static boolean hasValues(List<Map<String, String>> rows, String column) {
    return rows.stream().anyMatch(row -> row.get(column) != null);
  }

  /** A column's values; an empty or unreadable cell is NaN (a gap in the curve). */
  static double[] column(List<Map<String, String>> rows, String column) {
    double[] values = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Double value = Csv.number(rows.get(i).get(column));
      values[i] = value == null ? Double.NaN : value;
    }
    return values;
  }

  private static double number(String cell) {
    Double value = Csv.number(cell);
    return value == null ? 0 : value;
  }

  private static double max(double[] values) {
    return extreme(values, Math::max, Double.NEGATIVE_INFINITY);
  }

  private static double min(double[] values) {
    return extreme(values, Math::min, Double.POSITIVE_INFINITY);
  }

  /** The largest or smallest value but NaN; 0 when there is none. */
  private static double extreme(double[] values, java.util.function.DoubleBinaryOperator pick, double start) {
    double result = start;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        result = pick.applyAsDouble(result, v);
      }
    }
    return result == start ? 0 : result;
  }
}
