package dev.norma.runtime.results;

import dev.norma.protocols.spec.OutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet copies of CSV tables: {@code rounds.parquet}, {@code shares.parquet} and
 * {@code interactions.parquet} of a run,
 * a sweep's {@code runs.parquet}. A CSV file (plain or gzip, RFC 4180, a header row) is read twice
 * and never held in memory: once to type each column over the whole file, once to write it. A
 * column is INT64 when every non-empty cell is a whole number that fits, DOUBLE when every one is
 * a number ({@code NaN} and {@code Infinity} included; whole and fractional numbers mixed give
 * DOUBLE), BOOLEAN when every one is {@code true} or {@code false} (any case), else a UTF-8 string;
 * an empty cell is null (every column is optional), and a column with no value at all is a string
 * column of nulls. Columns keep the header's names and order. The same CSV gives the same bytes
 * (Snappy-compressed, dictionary-encoded data pages of format version 1, which every reader reads).
 * The file appears whole or not at all: it is written beside its place and moved there.
 */
public final class ParquetTables {
  /** A table of a run directory: the CSV file a run writes and its Parquet copy. */
  private record RunTable(String csv, String parquet) {
  }

  private static final List<RunTable> RUN_TABLES = List.of(
      new RunTable("rounds.csv", "rounds.parquet"),
      new RunTable("shares.csv", "shares.parquet"),
      new RunTable("interactions.csv.gz", "interactions.parquet"));

  private static final AtomicBoolean PREPARED = new AtomicBoolean();

  private ParquetTables() {
  }

  /** A column's type, from the narrowest that holds every value. */
  enum ColumnType { INT64, DOUBLE, BOOLEAN, STRING }

  /**
   * Writes {@code parquet} (replacing it) from the CSV file {@code csv} (a name ending in
   * {@code .gz} is read as gzip).
   *
   * @return the number of rows written
   * @throws IOException if {@code csv} cannot be read or is not CSV with a header row (the message
   *                     names the file and line), or {@code parquet} cannot be written
   */
  public static long convert(Path csv, Path parquet) throws IOException {
    String[] header;
    ColumnType[] types;
    try (CsvRows rows = CsvRows.open(csv)) {
      header = rows.next();
      if (header == null) {
        throw new IOException(csv + ": no header row");
      }
      checkHeader(csv, header);
      types = inferTypes(csv, rows, header.length);
    }
    return write(parquet, schema(header, types), types, writer -> {
      long written = 0;
      try (CsvRows rows = CsvRows.open(csv)) {
        rows.next();
        String[] row;
        while ((row = rows.next()) != null) {
          writer.write(row);
          written++;
        }
      }
      return written;
    });
  }

  /** Writes the rows of a table, as cells, to a Parquet writer; returns how many it wrote. */
  @FunctionalInterface
  private interface Rows {
    long writeTo(ParquetWriter<String[]> writer) throws IOException;
  }

  /** Writes {@code parquet} beside its place and moves it there whole; nothing is left of a failed write. */
  private static long write(Path parquet, MessageType schema, ColumnType[] types, Rows rows) throws IOException {
    Path partial = parquet.resolveSibling(parquet.getFileName() + ".tmp");
    long written;
    try (ParquetWriter<String[]> writer = builder(new LocalOutputFile(partial), schema, types).build()) {
      written = rows.writeTo(writer);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, parquet, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return written;
  }

  /**
   * Writes {@code parquet} (replacing it) from {@code jsonl}, one JSON object a line (a table such
   * as a run's {@code transcripts.jsonl}): the columns are the first line's fields, in its order;
   * a column is INT64 when every value is a whole JSON number, DOUBLE when every one is a number,
   * BOOLEAN when every one is true or false, else a UTF-8 string (a text stays a string whatever
   * it holds); a missing or null field, or an empty text, is null. Read twice, never held whole.
   *
   * @return the number of rows written
   * @throws IOException if {@code jsonl} cannot be read or a line is not a JSON object (the message
   *                     names the file and line), or {@code parquet} cannot be written
   */
  public static long convertJsonLines(Path jsonl, Path parquet) throws IOException {
    String[] header = null;
    ColumnType[] types = null;
    boolean[] seen = null;
    try (java.io.BufferedReader reader = Files.newBufferedReader(jsonl)) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        com.fasterxml.jackson.databind.JsonNode row = jsonObject(jsonl, number, line);
        if (header == null) {
          List<String> names = new ArrayList<>();
          row.fieldNames().forEachRemaining(names::add);
          header = names.toArray(String[]::new);
          types = new ColumnType[header.length];
          Arrays.fill(types, ColumnType.INT64);
          seen = new boolean[header.length];
        }
        for (int c = 0; c < header.length; c++) {
          com.fasterxml.jackson.databind.JsonNode value = row.get(header[c]);
          if (value == null || value.isNull() || value.isTextual() && value.asText().isEmpty()) {
            continue;
          }
          ColumnType type = value.isIntegralNumber() && value.canConvertToLong() ? ColumnType.INT64
              : value.isNumber() ? ColumnType.DOUBLE : value.isBoolean() ? ColumnType.BOOLEAN : ColumnType.STRING;
          types[c] = !seen[c] ? type : widest(types[c], type);
          seen[c] = true;
        }
      }
    }
    if (header == null) {
      throw new IOException(jsonl + ": no rows");
    }
    for (int c = 0; c < header.length; c++) {
      types[c] = seen[c] ? types[c] : ColumnType.STRING;
    }
    String[] columns = header;
    return write(parquet, schema(header, types), types, writer -> {
      long written = 0;
      try (java.io.BufferedReader reader = Files.newBufferedReader(jsonl)) {
        String line;
        while ((line = reader.readLine()) != null) {
          com.fasterxml.jackson.databind.JsonNode row = jsonObject(jsonl, written + 1, line);
          String[] cells = new String[columns.length];
          for (int c = 0; c < columns.length; c++) {
            com.fasterxml.jackson.databind.JsonNode value = row.get(columns[c]);
            cells[c] = value == null || value.isNull() ? "" : value.asText();
          }
          writer.write(cells);
          written++;
        }
      }
      return written;
    });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON_LINES =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static com.fasterxml.jackson.databind.JsonNode jsonObject(Path file, long number, String line)
      throws IOException {
    com.fasterxml.jackson.databind.JsonNode row;
    try {
      row = JSON_LINES.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": line " + number + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (row == null || !row.isObject()) {
      throw new IOException(file + ": line " + number + " is not a JSON object");
    }
    return row;
  }

  /** The narrower of two column types that holds both: numbers widen to DOUBLE, anything else to STRING. */
  private static ColumnType widest(ColumnType a, ColumnType b) {
    if (a == b) {
      return a;
    }
    boolean numbers = (a == ColumnType.INT64 || a == ColumnType.DOUBLE) && (b == ColumnType.INT64
        || b == ColumnType.DOUBLE);
    return numbers ? ColumnType.DOUBLE : ColumnType.STRING;
  }

  /**
   * Makes the Parquet tables of the run directory {@code dir} as {@code output.format} asks:
   * {@code rounds.parquet} from {@code rounds.csv}, {@code shares.parquet} from {@code shares.csv} and
   * {@code interactions.parquet} from
   * {@code interactions.csv.gz}, those of them that are there; with {@code parquet} the CSV files
   * are deleted once copied. Nothing happens with {@code csv}.
   */
  public static void writeRunTables(Path dir, OutputSpec output) throws IOException {
    if (!output.writesParquet()) {
      return;
    }
    for (RunTable table : RUN_TABLES) {
      Path csv = dir.resolve(table.csv());
      if (Files.isRegularFile(csv)) {
        convert(csv, dir.resolve(table.parquet()));
        if (!output.keepsCsv()) {
          Files.delete(csv);
        }
      }
    }
  }

  /** Deletes a run directory's Parquet tables (they are stale once the run is live again). */
  public static void deleteRunTables(Path dir) throws IOException {
    for (RunTable table : RUN_TABLES) {
      Files.deleteIfExists(dir.resolve(table.parquet()));
    }
  }

  /**
   * Loads the Parquet writer's classes (some 1,500, over a second of CPU the first time) on a
   * daemon thread of their own, once per JVM, by writing a small table to nowhere: a run that will
   * make tables calls this when it starts, so that making them when it stops takes only the
   * writing. Failures are left to the real writing to report.
   */
  public static void prepare() {
    WarmUp.once(PREPARED, "parquet-warm-up", ParquetTables::writeToNowhere);
  }

  private static void writeToNowhere() {
    ColumnType[] types = ColumnType.values();
    String[] header = {"a", "b", "c", "d"};
    try (ParquetWriter<String[]> writer = builder(new Nowhere(), schema(header, types), types).build()) {
      writer.write(new String[] {"1", "0.5", "true", "x"});
      writer.write(new String[] {"", "", "", ""});
    } catch (IOException | RuntimeException | LinkageError ignored) {
      // The real writing reports what is wrong.
    }
  }

  /** An output file that keeps nothing. */
  private static final class Nowhere implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) {
          position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
          position += length;
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** The number of rows of a Parquet file, from its footer. */
  /** The Parquet copy of a run's CSV table ({@code rounds.csv}: {@code rounds.parquet}). */
  static Path parquetCopyOf(Path csv) {
    String name = csv.getFileName().toString();
    for (RunTable table : RUN_TABLES) {
      if (table.csv().equals(name)) {
        return csv.resolveSibling(table.parquet());
      }
    }
    return csv.resolveSibling(name.replaceFirst("\\.csv(\\.gz)?$", "") + ".parquet");
  }

  /**
   * A Parquet table read whole, each value as the text its CSV cell would hold (nulls as null): for
   * the small tables a report reads (rounds, shares, runs), not for a run's interactions.
   */
  static Csv.Table read(Path parquet) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parquet))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> header = schema.getFields().stream().map(Type::getName).toList();
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
      List<Map<String, String>> rows = new ArrayList<>();
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
        for (long r = 0; r < rowGroup.getRowCount(); r++) {
          Group record = records.read();
          Map<String, String> row = new LinkedHashMap<>();
          for (int c = 0; c < header.size(); c++) {
            row.put(header.get(c), record.getFieldRepetitionCount(c) == 0 ? null : record.getValueToString(c, 0));
          }
          rows.add(row);
        }
      }
      return new Csv.Table(header, rows);
    }
  }

  public static long rowCount(Path parquet) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parquet))) {
      return reader.getRecordCount();
    }
  }

  private static void checkHeader(Path csv, String[] header) throws IOException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.length; i++) {
      if (header[i].isEmpty()) {
        throw new IOException(csv + ": column " + (i + 1) + " of the header row has no name");
      }
      if (!seen.add(header[i])) {
        throw new IOException(csv + ": the header row names column '" + header[i] + "' twice");
      }
    }
  }

  private static ColumnType[] inferTypes(Path csv, CsvRows rows, int columns) throws IOException {
    boolean[] seen = new boolean[columns];
    boolean[] whole = filled(columns);
    boolean[] numeric = filled(columns);
    boolean[] truthValue = filled(columns);
    long line = rows.line();
    String[] row;
    while ((row = rows.next()) != null) {
      checkWidth(csv, line, row, columns);
      for (int c = 0; c < row.length; c++) {
        String cell = row[c];
        if (cell.isEmpty()) {
          continue;
        }
        seen[c] = true;
        if (whole[c] && !isWholeNumber(cell)) {
          whole[c] = false;
        }
        if (numeric[c] && !whole[c] && !isNumber(cell)) {
          numeric[c] = false;
        }
        if (truthValue[c] && !isTruthValue(cell)) {
          truthValue[c] = false;
        }
      }
      line = rows.line();
    }
    ColumnType[] types = new ColumnType[columns];
    for (int c = 0; c < columns; c++) {
      types[c] = !seen[c] ? ColumnType.STRING
          : whole[c] ? ColumnType.INT64
          : numeric[c] ? ColumnType.DOUBLE
          : truthValue[c] ? ColumnType.BOOLEAN
          : ColumnType.STRING;
    }
    return types;
  }

  private static boolean[] filled(int length) {
    boolean[] values = new boolean[length];
    Arrays.fill(values, true);
    return values;
  }

  private static void checkWidth(Path csv, long line, String[] row, int columns) throws IOException {
    if (row.length > columns) {
      throw new IOException(csv + ": line " + line + " has " + row.length + " fields, the header "
          + columns);
    }
  }

  /** An optional sign and digits, within a 64-bit integer. */
  static boolean isWholeNumber(String cell) {
    int start = cell.charAt(0) == '-' || cell.charAt(0) == '+' ? 1 : 0;
    if (start == cell.length() || cell.length() - start > 19) {
      return false;
    }
    for (int i = start; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    if (cell.length() - start < 19) {
      return true;
    }
    try {
      Long.parseLong(cell);
      return true;
    } catch (NumberFormatException tooLarge) {
      return false;
    }
  }

  /**
   * A decimal number as Java, Python and R write one: digits with an optional point and exponent,
   * or {@code NaN} and {@code Infinity} (not Java's {@code 1d} or hexadecimal forms).
   */
  static boolean isNumber(String cell) {
    int i = cell.charAt(0) == '-' || cell.charAt(0) == '+' ? 1 : 0;
    String rest = cell.substring(i);
    if (rest.equals("NaN") || rest.equals("Infinity") || rest.equalsIgnoreCase("inf")
        || rest.equalsIgnoreCase("nan")) {
      return true;
    }
    int digits = 0;
    while (i < cell.length() && cell.charAt(i) >= '0' && cell.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < cell.length() && cell.charAt(i) == '.') {
      i++;
      while (i < cell.length() && cell.charAt(i) >= '0' && cell.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < cell.length() && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
      i++;
      if (i < cell.length() && (cell.charAt(i) == '-' || cell.charAt(i) == '+')) {
        i++;
      }
      int exponent = 0;
      while (i < cell.length() && cell.charAt(i) >= '0' && cell.charAt(i) <= '9') {
        i++;
        exponent++;
      }
      if (exponent == 0) {
        return false;
      }
    }
    return i == cell.length();
  }

  private static boolean isTruthValue(String cell) {
    return cell.equalsIgnoreCase("true") || cell.equalsIgnoreCase("false");
  }

  private static double parseNumber(String cell) {
    String rest = cell.charAt(0) == '-' || cell.charAt(0) == '+' ? cell.substring(1) : cell;
    if (rest.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (rest.equalsIgnoreCase("inf") || rest.equals("Infinity")) {
      return cell.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(cell);
  }

  /** The schema of a table, named {@code schema} as pyarrow names its own (the file's name is not in it). */
  static MessageType schema(String[] header, ColumnType[] types) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (int c = 0; c < header.length; c++) {
      switch (types[c]) {
        case INT64 -> message.optional(PrimitiveTypeName.INT64).named(header[c]);
        case DOUBLE -> message.optional(PrimitiveTypeName.DOUBLE).named(header[c]);
        case BOOLEAN -> message.optional(PrimitiveTypeName.BOOLEAN).named(header[c]);
        case STRING -> message.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
            .named(header[c]);
      }
    }
    return message.named("schema");
  }

  private static Builder builder(OutputFile file, MessageType schema, ColumnType[] types) {
    return new Builder(file, schema, types)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withDictionaryEncoding(true);
  }

  /** Writes a row of CSV cells as their column's type; an empty or missing cell is left out (null). */
  private static final class RowWriter extends WriteSupport<String[]> {
    private final MessageType schema;
    private final ColumnType[] types;
    private final String[] names;
    private RecordConsumer consumer;

    RowWriter(MessageType schema, ColumnType[] types) {
      this.schema = schema;
      this.types = types.clone();
      this.names = new String[types.length];
      for (int c = 0; c < names.length; c++) {
        names[c] = schema.getFieldName(c);
      }
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(String[] row) {
      consumer.startMessage();
      for (int c = 0; c < row.length; c++) {
        String cell = row[c];
        if (cell.isEmpty()) {
          continue;
        }
        consumer.startField(names[c], c);
        switch (types[c]) {
          case INT64 -> consumer.addLong(Long.parseLong(cell));
          case DOUBLE -> consumer.addDouble(parseNumber(cell));
          case BOOLEAN -> consumer.addBoolean(cell.equalsIgnoreCase("true"));
          case STRING -> consumer.addBinary(Binary.fromString(cell));
        }
        consumer.endField(names[c], c);
      }
      consumer.endMessage();
    }

    @Override
    public String getName() {
      return "norma";
    }
  }

  private static final class Builder extends ParquetWriter.Builder<String[], Builder> {
    private final MessageType schema;
    private final ColumnType[] types;

    Builder(OutputFile file, MessageType schema, ColumnType[] types) {
      super(file);
      this.schema = schema;
      this.types = types;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<String[]> getWriteSupport(Configuration configuration) {
      return new RowWriter(schema, types);
    }

    @Override
    protected WriteSupport<String[]> getWriteSupport(ParquetConfiguration configuration) {
      return new RowWriter(schema, types);
    }
  }
}
