package dev.norma.protocols.spec;

import java.util.List;

/**
 * Where results go, and in which formats.
 *
 * @param dir          the run directory; {@code null} means {@code runs/<name>-<UTC timestamp>}
 * @param interactions write the interactions, one row per interaction ({@code interactions.csv.gz}
 *                     and/or {@code interactions.parquet})
 * @param format       {@value #CSV}, {@value #PARQUET} or {@value #BOTH} (the default): which
 *                     files a finished run keeps. The CSV files are always written as the run goes
 *                     (a killed run keeps every round it finished); when the run stops, Parquet
 *                     copies are made of them, and with {@value #PARQUET} the CSV files then go.
 */
public record OutputSpec(String dir, Boolean interactions, String format) {
  public static final String CSV = "csv";
  public static final String PARQUET = "parquet";
  public static final String BOTH = "both";
  public static final List<String> FORMATS = List.of(CSV, PARQUET, BOTH);

  public OutputSpec {
    interactions = interactions == null ? Boolean.TRUE : interactions;
    format = format == null ? BOTH : format;
  }

  /** Results in the default format. */
  public OutputSpec(String dir, Boolean interactions) {
    this(dir, interactions, null);
  }

  /** The same output in another directory ({@code null}: the default one). */
  public OutputSpec withDir(String newDir) {
    return new OutputSpec(newDir, interactions, format);
  }

  /** Whether a finished run has Parquet copies of its tables. */
  public boolean writesParquet() {
    return !CSV.equals(format);
  }

  /** Whether a finished run keeps its CSV files. */
  public boolean keepsCsv() {
    return !PARQUET.equals(format);
  }

  void validate(SpecErrors errors) {
    if (dir != null && dir.isBlank()) {
      errors.add("dir", "expected a directory path, got an empty string");
    }
    if (!FORMATS.contains(format)) {
      errors.add("format", "expected one of " + FORMATS + ", got '" + format + "'");
    }
  }
}
