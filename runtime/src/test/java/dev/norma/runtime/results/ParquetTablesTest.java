package dev.norma.runtime.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.protocols.spec.OutputSpec;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.testkit.RunFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet copies of CSV tables, read back by an independent reader: DuckDB (its JDBC driver, in
 * tests only). The converter on hand-written CSV, and the files of real runs compared with their
 * CSV files row for row.
 */
class ParquetTablesTest {
  private static Connection duckDb;

  @TempDir
  Path temp;

  @BeforeAll
  static void openDuckDb() throws SQLException {
    duckDb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void closeDuckDb() throws SQLException {
    duckDb.close();
  }

  private static final String TRICKY = "id,name,score,flag,nothing,mixed,note\r\n"
      + "1,\"Smith, J\",0.5,true,,1,\"said \"\"hi\"\"\ntwice\"\r\n"
      + "2,,1.25,FALSE,,2.5,\n"
      + "\n"
      + "-3,plain,NaN,true,,3,\"\"\n"
      + "4,\"\",-1e-3,false,,-7\n";

  @Test
  void typesEachColumnOverTheWholeFileAndReadsBackInDuckDb() throws Exception {
    Path csv = temp.resolve("tricky.csv");
    Files.writeString(csv, TRICKY);
    Path parquet = temp.resolve("tricky.parquet");

    assertThat(ParquetTables.convert(csv, parquet)).isEqualTo(4);

    assertThat(columnTypes(parquet)).containsExactly(
        Map.entry("id", "BIGINT"), Map.entry("name", "VARCHAR"), Map.entry("score", "DOUBLE"),
        Map.entry("flag", "BOOLEAN"), Map.entry("nothing", "VARCHAR"), Map.entry("mixed", "DOUBLE"),
        Map.entry("note", "VARCHAR"));
    List<List<Object>> rows = query("SELECT * FROM read_parquet('" + parquet + "') ORDER BY id");
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).containsExactly(-3L, "plain", Double.NaN, true, null, 3.0, null);
    assertThat(rows.get(1)).containsExactly(1L, "Smith, J", 0.5, true, null, 1.0, "said \"hi\"\ntwice");
    assertThat(rows.get(2)).containsExactly(2L, null, 1.25, false, null, 2.5, null);
    assertThat(rows.get(3)).containsExactly(4L, null, -0.001, false, null, -7.0, null);
    assertThat(ParquetTables.rowCount(parquet)).isEqualTo(4);
  }

  @Test
  void readsEveryMemberOfAGzipFileAndGivesTheSameBytesEachTime() throws Exception {
    Path plain = temp.resolve("plain.csv");
    Files.writeString(plain, TRICKY);
    Path gz = temp.resolve("members.csv.gz");
    int split = TRICKY.indexOf("-3,plain");
    try (OutputStream out = Files.newOutputStream(gz)) {
      for (String member : List.of(TRICKY.substring(0, split), TRICKY.substring(split))) {
        GZIPOutputStream zip = new GZIPOutputStream(out) {
          @Override
          public void close() throws IOException {
            finish(); // the next member follows in the same file
          }
        };
        zip.write(member.getBytes(StandardCharsets.UTF_8));
        zip.close();
      }
    }
    Path fromPlain = temp.resolve("a.parquet");
    Path fromGz = temp.resolve("b.parquet");
    ParquetTables.convert(plain, fromPlain);
    assertThat(ParquetTables.convert(gz, fromGz)).isEqualTo(4);
    assertThat(Files.mismatch(fromGz, fromPlain)).isEqualTo(-1);
    Path again = temp.resolve("again.parquet");
    ParquetTables.convert(plain, again);
    assertThat(Files.mismatch(again, fromPlain)).isEqualTo(-1);
  }

  @Test
  void aHeaderAloneIsAnEmptyTableAndBadCsvIsRefusedByLine() throws Exception {
    Path header = temp.resolve("header.csv");
    Files.writeString(header, "a,b\n");
    Path empty = temp.resolve("empty.parquet");
    assertThat(ParquetTables.convert(header, empty)).isZero();
    assertThat(query("SELECT count(*) FROM read_parquet('" + empty + "')").get(0)).containsExactly(0L);

    Path open = temp.resolve("open.csv");
    Files.writeString(open, "a,b\n1,2\n3,\"never closed\n");
    Path out = temp.resolve("never.parquet");
    assertThatThrownBy(() -> ParquetTables.convert(open, out)).hasMessageContaining("line 3")
        .hasMessageContaining("not closed");
    Path wide = temp.resolve("wide.csv");
    Files.writeString(wide, "a,b\n1,2\n1,2,3\n");
    assertThatThrownBy(() -> ParquetTables.convert(wide, out)).hasMessageContaining("line 3 has 3 fields");
    Files.writeString(wide, "a,a\n1,2\n");
    assertThatThrownBy(() -> ParquetTables.convert(wide, out)).hasMessageContaining("'a' twice");
    assertThat(out).doesNotExist();
    assertThat(temp.resolve("never.parquet.tmp")).doesNotExist();
  }

  @Test
  void numbersAreReadAsJavaPythonAndRWriteThem() {
    assertThat(ParquetTables.isWholeNumber("9223372036854775807")).isTrue();
    assertThat(ParquetTables.isWholeNumber("9223372036854775808")).isFalse();
    assertThat(ParquetTables.isNumber("9223372036854775808")).isTrue();
    assertThat(ParquetTables.isNumber("1e5")).isTrue();
    assertThat(ParquetTables.isNumber(".5")).isTrue();
    assertThat(ParquetTables.isNumber("-Infinity")).isTrue();
    assertThat(ParquetTables.isNumber("1d")).isFalse();
    assertThat(ParquetTables.isNumber("0x1p3")).isFalse();
    assertThat(ParquetTables.isNumber("1e")).isFalse();
    assertThat(ParquetTables.isNumber(".")).isFalse();
    assertThat(ParquetTables.isNumber("A")).isFalse();
  }

  @Test
  void aRunsTablesEqualItsCsvFilesRowForRow() throws Exception {
    Path run = temp.resolve("naming");
    cli("run", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--seed", "42",
        "--out", run.toString(), "--set", "stop.maxRounds=40", "--set", "stop.onConvergence=false");
    Path interactions = run.resolve("interactions.parquet");
    assertThat(columnTypes(interactions)).containsExactly(
        Map.entry("index", "BIGINT"), Map.entry("round", "BIGINT"), Map.entry("initiator", "BIGINT"),
        Map.entry("responder", "BIGINT"), Map.entry("initiatorRole", "VARCHAR"),
        Map.entry("responderRole", "VARCHAR"), Map.entry("initiatorWord", "VARCHAR"),
        Map.entry("responderWord", "VARCHAR"), Map.entry("success", "BOOLEAN"), Map.entry("valid", "BOOLEAN"),
        Map.entry("initiatorPayoff", "BIGINT"), Map.entry("responderPayoff", "BIGINT"),
        Map.entry("initiatorCommitted", "BOOLEAN"), Map.entry("responderCommitted", "BOOLEAN"));
    assertSameRows(RunFiles.gunzipLines(run.resolve("interactions.csv.gz")), interactions, "index");
    assertThat(query("SELECT count(*), sum(initiatorPayoff)::BIGINT, count(initiatorRole) FROM read_parquet('"
        + interactions + "')").get(0)).containsExactly(40L * 24, sumOfColumn(run, 10), 0L);

    Path rounds = run.resolve("rounds.parquet");
    assertThat(columnTypes(rounds)).containsEntry("round", "BIGINT").containsEntry("successRate", "DOUBLE")
        .containsEntry("topName", "VARCHAR");
    assertSameRows(Files.readAllLines(run.resolve("rounds.csv")), rounds, "round");
    // What a report reads of a Parquet-only run: the same cells as the CSV files.
    for (String table : List.of("rounds.csv", "shares.csv")) {
      Csv.Table csv = Csv.read(run.resolve(table));
      Csv.Table parquet = ParquetTables.read(ParquetTables.parquetCopyOf(run.resolve(table)));
      assertThat(parquet.header()).isEqualTo(csv.header());
      assertThat(parquet.rows()).hasSameSizeAs(csv.rows());
      for (int r = 0; r < csv.rows().size(); r++) {
        for (String column : csv.header()) {
          String expected = csv.rows().get(r).get(column);
          String actual = parquet.rows().get(r).get(column);
          Double number = Csv.number(expected);
          if (number != null) {
            assertThat(Csv.number(actual)).as(table + " row " + r + " " + column).isEqualTo(number);
          } else {
            assertThat(actual).as(table + " row " + r + " " + column).isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void anEncounterGameKeepsOnlyParquetWhenAsked() throws Exception {
    Path parquetOnly = temp.resolve("ultimatum");
    cli("run", Path.of("..", "examples", "ultimatum.yaml").toString(), "--seed", "3",
        "--out", parquetOnly.toString(), "--set", "stop.maxRounds=20", "--set", "output.format=parquet");
    assertThat(parquetOnly.resolve("rounds.csv")).doesNotExist();
    assertThat(parquetOnly.resolve("interactions.csv.gz")).doesNotExist();
    assertThat(parquetOnly.resolve("summary.json")).exists();
    // The report reads the Parquet copies.
    assertThat(parquetOnly.resolve(HtmlReport.FILE)).exists();
    assertThat(RunFigures.RunFiles.read(parquetOnly).rounds().rows()).hasSize(20);
    assertThat(query("SELECT count(*), max(round) FROM read_parquet('" + parquetOnly.resolve("rounds.parquet")
        + "')").get(0)).containsExactly(20L, 19L);
    long encounters = RunFiles.summary(parquetOnly).get("interactions").asLong();
    assertThat(query("SELECT count(*) FROM read_parquet('" + parquetOnly.resolve("interactions.parquet") + "')")
        .get(0)).containsExactly(encounters);
  }

  @Test
  void eachFormatKeepsItsFilesAndOnlyTheTablesThatAreThere() throws Exception {
    for (String format : OutputSpec.FORMATS) {
      Path run = Files.createDirectories(temp.resolve(format));
      Files.writeString(run.resolve("rounds.csv"), "round,interactions\n0,24\n");
      ParquetTables.writeRunTables(run, new OutputSpec(null, false, format));
      assertThat(run.resolve("rounds.csv").toFile().exists()).as(format).isEqualTo(!format.equals("parquet"));
      assertThat(run.resolve("rounds.parquet").toFile().exists()).as(format).isEqualTo(!format.equals("csv"));
      assertThat(run.resolve("interactions.parquet")).doesNotExist();
    }
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheField() {
    StringWriter err = new StringWriter();
    Path dir = temp.resolve("never");
    int code = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "run", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--out", dir.toString(),
        "--set", "output.format=arrow");
    assertThat(code).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("output.format").contains("[csv, parquet, both]").contains("'arrow'");
    assertThat(dir).doesNotExist();
  }

  private static void cli(String... args) {
    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    assertThat(code).as(err.toString()).isZero();
  }

  /** Every CSV row (after the header) equals the Parquet row of the same position, cell by cell. */
  private static void assertSameRows(List<String> csv, Path parquet, String orderBy) throws SQLException {
    List<List<Object>> rows = query("SELECT * FROM read_parquet('" + parquet + "') ORDER BY \"" + orderBy + "\"");
    assertThat(rows).hasSize(csv.size() - 1);
    for (int r = 0; r < rows.size(); r++) {
      String[] cells = csv.get(r + 1).split(",", -1);
      List<Object> row = rows.get(r);
      assertThat(row).hasSize(cells.length);
      for (int c = 0; c < cells.length; c++) {
        Object value = row.get(c);
        if (cells[c].isEmpty()) {
          assertThat(value).as("row %d column %d", r, c).isNull();
        } else if (value instanceof Double number) {
          assertThat(number).as("row %d column %d", r, c).isEqualTo(Double.parseDouble(cells[c]));
        } else {
          assertThat(String.valueOf(value)).as("row %d column %d", r, c).isEqualTo(cells[c]);
        }
      }
    }
  }

  private static long sumOfColumn(Path run, int column) throws IOException {
    List<String> lines = RunFiles.gunzipLines(run.resolve("interactions.csv.gz"));
    return lines.stream().skip(1).mapToLong(line -> Long.parseLong(line.split(",", -1)[column])).sum();
  }

  private static Map<String, String> columnTypes(Path parquet) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row : query("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    return types;
  }

  private static List<List<Object>> query(String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = duckDb.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(result.getObject(c));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
