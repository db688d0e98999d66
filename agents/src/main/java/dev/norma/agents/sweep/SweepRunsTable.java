package dev.norma.agents.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A sweep's {@code runs.csv}: one row per run, sorted by point (grid order) then replicate. The
 * columns: run, one per varied path (headed by the dotted path), replicate, seed, status, the
 * summary's figures, {@code measure.<name>} for each encounter-game measure any run has (sorted),
 * then the error of a failed run. An empty cell is a null; cells holding commas, quotes or line
 * breaks are quoted (RFC 4180).
 */
public final class SweepRunsTable {
  /** The summary's figures, in their columns' order. */
  public static final List<String> FIGURES = List.of("stopReason", "interactions", "populationRounds", "converged",
      "convergenceInteraction", "convergenceRound", "winner", "flipped", "flipRound", "invalidInteractions",
      "wallSeconds", "interactionsPerSecond");

  private SweepRunsTable() {
  }

  /** The table as CSV text, header first, lines ending in {@code \n}. */
  public static String csv(List<String> paths, List<SweepRunRow> rows) {
    List<SweepRunRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt((SweepRunRow row) -> row.point().index())
        .thenComparingInt(SweepRunRow::replicate));
    TreeSet<String> measures = new TreeSet<>();
    rows.forEach(row -> measures.addAll(row.measures().keySet()));
    StringBuilder csv = new StringBuilder();
    List<String> header = new ArrayList<>();
    header.add("run");
    header.addAll(paths);
    header.addAll(List.of("replicate", "seed", "status"));
    header.addAll(FIGURES);
    measures.forEach(measure -> header.add(SweepRunRow.MEASURE + measure));
    header.add("error");
    line(csv, header);
    for (SweepRunRow row : sorted) {
      List<String> cells = new ArrayList<>();
      cells.add(row.run());
      for (String path : paths) {
        int at = row.point().paths().indexOf(path);
        cells.add(at < 0 ? "" : row.point().values().get(at).text());
      }
      cells.add(Integer.toString(row.replicate()));
      cells.add(Long.toString(row.seed()));
      cells.add(row.status());
      for (String figure : FIGURES) {
        cells.add(figure.equals("wallSeconds") ? text(row.wallSeconds()) : text(row.figure(figure)));
      }
      measures.forEach(measure -> cells.add(text(row.measures().get(measure))));
      cells.add(text(row.error()));
      line(csv, cells);
    }
    return csv.toString();
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? "" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static void line(StringBuilder csv, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(quoted(cells.get(i)));
    }
    csv.append('\n');
  }

  /** A cell as RFC 4180 has it: quoted, with its quotes doubled, when it holds a comma, quote or line break. */
  static String quoted(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
