package dev.norma.runtime.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  public static Table read(Path file) throws IOException {
    List<List<String>> records = parse(Files.readString(file, StandardCharsets.UTF_8));
    if (records.isEmpty()) {
      throw new IOException(file + " is empty (expected a header line)");
    }
    List<String> header = records.get(0);
    List<Map<String, String>> rows = new ArrayList<>(records.size() - 1);
    for (int r = 1; r < records.size(); r++) {
      List<String> cells = records.get(r);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        String cell = c < cells.size() ? cells.get(c) : null;
        row.put(header.get(c), cell == null || cell.isEmpty() ? null : cell);
      }
      rows.add(row);
    }
    return new Table(List.copyOf(header), rows);
  }

  /** Splits RFC 4180 text into records of cells; a final line break ends the last record. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(cell.toString());
        cell.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || cell.length() > 0) {
          record.add(cell.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        cell.setLength(0);
        any = false;
      } else {
        cell.append(c);
        any = true;
      }
    }
    if (any || cell.length() > 0) {
      record.add(cell.toString());
      records.add(record);
    }
    return records;
  }
}
