package dev.norma.runtime.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 4180 CSV as the result files use it: a header line, then rows; an empty cell is null. */
public final class Csv {
  private Csv() {
  }

  /** A file read whole: its header and each row as cells by column. */
  public record Table(List<String> header, List<Map<String, String>> rows) {
    /** The numeric columns: every non-empty cell parses as a number, and at least one is not empty. */
    public List<String> numericColumns() {
      List<String> numeric = new ArrayList<>();
      for (String column : header) {
        boolean any = false;
        boolean all = true;
        for (Map<String, String> row : rows) {
          String cell = row.get(column);
          if (cell == null) {
            continue;
          }
          any = true;
          all &= number(cell) != null;
        }
        if (any && all) {
          numeric.add(column);
        }
      }
      return numeric;
    }
  }

  /** A cell quoted when it must be (a comma, a quote or a line break in it). */
  public static String quote(String cell) {
    if (cell == null) {
      return "";
    }
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }

  /** The cell as a number (true and false as 1 and 0), or null when it is not one. */
  public static Double number(String cell) {
    if (cell == null) {
      return null;
    }
    if ("true".equals(cell)) {
      return 1.0;
    }
    if ("false".equals(cell)) {
      return 0.0;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code file} read whole (plain or gzip); an empty cell is null, a short row's missing cells too. */
  public static Table read(Path file) throws IOException {
    try (CsvRows records = CsvRows.open(file)) {
      String[] header = records.next();
      if (header == null) {
        throw new IOException(file + " is empty (expected a header line)");
      }
      List<Map<String, String>> rows = new ArrayList<>();
      String[] cells;
      while ((cells = records.next()) != null) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
          String cell = c < cells.length ? cells[c] : null;
          row.put(header[c], cell == null || cell.isEmpty() ? null : cell);
        }
        rows.add(row);
      }
      return new Table(List.of(header), rows);
    }
  }

  /**
   * A run's table by its CSV name: the CSV file if it is there, else its Parquet copy (a run with
   * {@code output.format: parquet} keeps only that); null when neither is.
   */
  public static Table readRunTable(Path csv) throws IOException {
    if (Files.isRegularFile(csv)) {
      return read(csv);
    }
    Path parquet = ParquetTables.parquetCopyOf(csv);
    return Files.isRegularFile(parquet) ? ParquetTables.read(parquet) : null;
  }
}
