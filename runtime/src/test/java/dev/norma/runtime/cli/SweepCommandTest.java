package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.sweep.SweepGrid;
import dev.norma.agents.sweep.SweepPoint;
import dev.norma.runtime.results.HtmlReport;
import dev.norma.runtime.results.ParquetTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code norma sweep} in process: the sweep directory, runs equal to {@code norma run} of the same
 * spec and seed, resume after losing runs, extension, failure isolation, bad points refused.
 */
class SweepCommandTest {
  private static final String SETTING = "norma.inference.unreachable-after";
  private static final Path EXAMPLE = Path.of("..", "examples", "naming-game-24.yaml");

  @TempDir
  Path temp;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @BeforeEach
  void quickFailure() {
    System.setProperty(SETTING, "1s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultTimeout() {
    System.clearProperty(SETTING);
    ConfigFactory.invalidateCaches();
  }

  private int norma(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** A summary without the figures of the clock. */
  private static JsonNode timeless(Path file) throws Exception {
    ObjectNode summary = (ObjectNode) json(file);
    summary.remove(List.of("wallSeconds", "interactionsPerSecond"));
    return summary;
  }

  @Test
  void runsTheGridKeepsFinishedRunsOnResumeAndExtends() throws Exception {
    Path dir = temp.resolve("sweep");
    int code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12,16]", "--replicates", "2",
        "--set", "stop.maxRounds=20", "--seed", "7", "--out", dir.toString(), "--parallel", "2", "--quiet");
    assertThat(code).as(err.toString()).isZero();

    JsonNode manifest = json(dir.resolve("sweep.json"));
    assertThat(manifest.get("format").asInt()).isEqualTo(1);
    assertThat(manifest.get("name").asText()).isEqualTo("naming-game-24");
    assertThat(manifest.get("seed").asLong()).isEqualTo(7);
    assertThat(manifest.get("replicates").asInt()).isEqualTo(2);
    assertThat(manifest.get("maxReplicates").isNull()).isTrue();
    assertThat(manifest.get("vary").get(0).get("values").get(1).isNumber()).isTrue();
    assertThat(dir.resolve("spec.yaml")).content().contains("maxRounds: 20");

    List<SweepPoint> points = SweepGrid.parse(List.of("population.size=[12,16]")).points();
    List<String> rows = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(rows.get(0)).startsWith("run,population.size,replicate,seed,status,stopReason,interactions,");
    assertThat(rows).hasSize(5);
    assertThat(ParquetTables.rowCount(dir.resolve("runs.parquet"))).isEqualTo(4);
    assertThat(dir.resolve(HtmlReport.FILE)).content().contains("population.size");
    for (int p = 0; p < 2; p++) {
      for (int r = 0; r < 2; r++) {
        SweepPoint point = points.get(p);
        long seed = point.seed(7, r);
        assertThat(rows.get(1 + 2 * p + r)).startsWith(point.runName(r) + "," + (p == 0 ? 12 : 16) + "," + r + ","
            + seed + ",completed,");
        Path run = dir.resolve("runs").resolve(point.runName(r));
        assertThat(json(run.resolve("summary.json")).get("seed").asLong()).isEqualTo(seed);
        assertThat(json(run.resolve("summary.json")).get("populationSize").asInt()).isEqualTo(p == 0 ? 12 : 16);
        assertThat(run.resolve("rounds.csv")).exists();
      }
    }

    // The oracle: a run of the sweep is the run norma run makes of the same spec and seed.
    Path lone = temp.resolve("lone");
    Path sweptRun = dir.resolve("runs").resolve(points.get(1).runName(1));
    code = norma("run", EXAMPLE.toString(), "--set", "stop.maxRounds=20", "--set", "population.size=16",
        "--seed", Long.toString(points.get(1).seed(7, 1)), "--out", lone.toString(), "--quiet");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readString(sweptRun.resolve("rounds.csv"))).isEqualTo(Files.readString(lone.resolve("rounds.csv")));
    assertThat(timeless(sweptRun.resolve("summary.json"))).isEqualTo(timeless(lone.resolve("summary.json")));

    // One run lost whole, one half-written (no summary), and a replicate more per point: the resume
    // does those four only, the lost two the same again, and leaves the others as they were.
    Path lost = dir.resolve("runs").resolve(points.get(0).runName(1));
    Path half = dir.resolve("runs").resolve(points.get(1).runName(0));
    Path kept = dir.resolve("runs").resolve(points.get(0).runName(0)).resolve("summary.json");
    String lostRounds = Files.readString(lost.resolve("rounds.csv"));
    JsonNode halfSummary = timeless(half.resolve("summary.json"));
    dev.norma.runtime.sweep.SweepExecution.clear(lost);
    Files.delete(half.resolve("summary.json"));
    FileTime keptTime = Files.getLastModifiedTime(kept);
    code = norma("sweep", "--resume", dir.toString(), "--replicates", "3", "--parallel", "1");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readString(lost.resolve("rounds.csv"))).isEqualTo(lostRounds);
    assertThat(timeless(half.resolve("summary.json"))).isEqualTo(halfSummary);
    assertThat(Files.getLastModifiedTime(kept)).isEqualTo(keptTime);
    assertThat(Files.readAllLines(dir.resolve("runs.csv"))).hasSize(7)
        .anyMatch(line -> line.startsWith(points.get(1).runName(2) + ",16,2," + points.get(1).seed(7, 2) + ","));
    assertThat(ParquetTables.rowCount(dir.resolve("runs.parquet"))).isEqualTo(6);
    assertThat(json(dir.resolve("sweep.json")).get("replicates").asInt()).isEqualTo(3);
    assertThat(json(dir.resolve("sweep.json")).get("parallel").asInt()).isEqualTo(1);
    assertThat(out.toString()).contains("population.size=12").contains("converged (95% interval)");
  }

  @Test
  void aFailedRunIsRecordedAndTheOthersGoOn() throws Exception {
    // The llm point's endpoint listens nowhere: its run fails once it has had no answer for 1 s.
    String spec = Files.readString(EXAMPLE).replace("policy:\n  kind: memory\n  temperature: 0.1\n",
        "policy:\n  kind: memory\n  temperature: 0.1\n\ninference:\n  endpoints:\n    - name: nowhere\n"
            + "      url: http://127.0.0.1:9/v1\n      kind: chat\n      model: m\n");
    Path file = temp.resolve("spec.yaml");
    Files.writeString(file, spec);
    Path dir = temp.resolve("sweep");
    int code = norma("sweep", file.toString(), "--vary", "policy.kind=[memory,llm]", "--set", "stop.maxRounds=20",
        "--set", "population.size=12", "--out", dir.toString(), "--quiet");
    assertThat(code).as(err.toString()).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(err.toString()).contains("1 of 2 runs failed");
    List<String> rows = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1)).startsWith("policy.kind=memory_r00,memory,0,").contains(",completed,");
    assertThat(rows.get(2)).startsWith("policy.kind=llm_r00,llm,0,").contains(",failed,");
    assertThat(rows.get(2).substring(rows.get(2).lastIndexOf(",failed,"))).contains("nowhere");
  }

  @Test
  void anEncounterGameSweepsWithItsMeasuresAsColumns() throws Exception {
    Path dir = temp.resolve("ultimatum");
    int code = norma("sweep", Path.of("..", "examples", "ultimatum.yaml").toString(), "--vary",
        "game.settings.reputation=[false,true]", "--set", "stop.maxRounds=20", "--set", "population.size=20",
        "--seed", "5", "--out", dir.toString());
    assertThat(code).as(err.toString()).isZero();
    List<String> rows = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(rows.get(0)).startsWith("run,game.settings.reputation,replicate,").contains(",measure.meanOffer,")
        .endsWith(",error");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(2)).startsWith("game.settings.reputation=true_r00,true,0,");
    // No run converges: the table shows the game's first measures, not a share of 0 converged.
    assertThat(out.toString()).contains("meanOffer (95% interval)").doesNotContain("converged (95% interval)");
    assertThat(dir.resolve("runs").resolve("game.settings.reputation=true_r00").resolve("spec.yaml")).content()
        .contains("reputation: true").contains("seed: " + SweepGrid.parse(List.of("game.settings.reputation=[true]"))
            .points().get(0).seed(5, 0));
  }

  /**
   * No {@code --vary}: the base spec's replicates alone, named by replicate; the report draws the
   * identity study's conditions across them, in the spec's order.
   */
  @Test
  void aSweepThatVariesNothingRunsTheBaseSpecsReplicatesAndDrawsTheConditionsAcrossThem() throws Exception {
    Path dir = temp.resolve("identity");
    int code = norma("sweep", Path.of("..", "examples", "identity.yaml").toString(), "--replicates", "2",
        "--set", "stop.maxRounds=1", "--seed", "3", "--parallel", "1", "--out", dir.toString(), "--quiet");
    assertThat(code).as(err.toString()).isZero();
    List<String> rows = Files.readAllLines(dir.resolve("runs.csv"));
    assertThat(rows.get(0)).startsWith("run,replicate,seed,status,").contains(",measure.control_wePer1k,");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1)).startsWith("r00,0," + SweepGrid.parse(List.of()).points().get(0).seed(3, 0) + ",completed,");
    assertThat(rows.get(2)).startsWith("r01,1,");
    assertThat(json(dir.resolve("sweep.json")).path("vary")).isEmpty();
    String page = Files.readString(dir.resolve(HtmlReport.FILE));
    assertThat(page).contains("\"identity-we-runs\"").contains("varied: nothing")
        .contains("\"data\":[\"control\",\"assistant\",\"unique\"]");
  }

  @Test
  void aBadPointIsRefusedBeforeAnythingRuns() {
    Path dir = temp.resolve("never");
    int code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12,-3]", "--vary",
        "policy.temperature=[0.1]", "--out", dir.toString(), "--quiet");
    assertThat(code).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--vary population.size=-3:").contains("nothing was run");
    assertThat(dir).doesNotExist();

    code = norma("sweep", EXAMPLE.toString(), "--vary", "committed.fraction=0.3:0:0.1", "--out", dir.toString());
    assertThat(code).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--vary committed.fraction=0.3:0:0.1").contains("above its end");
    code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12]", "--until", "halfwidth(x) <= 1",
        "--max-replicates", "4", "--out", dir.toString());
    assertThat(code).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--until").contains("unknown figure 'x'");
    code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12]", "--set", "durability=durable",
        "--out", dir.toString());
    assertThat(code).isEqualTo(NormaCli.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("durability: a sweep keeps its runs in memory");
    code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12]", "--cluster", "127.0.0.1:1",
        "--out", dir.toString());
    assertThat(code).isEqualTo(NormaCli.EXIT_ERROR);
    assertThat(err.toString()).contains("no node answers at 127.0.0.1:1");
    assertThat(dir).doesNotExist();
  }

  /** Opt-in (about 10 s on a busy machine): the decisions themselves are StoppingRuleTest's. */
  @Test
  @Tag("slow")
  void untilAddsReplicatesWhileTheIntervalIsWideUpToTheCap() throws Exception {
    // Wilson's half-width for one run is 0.40 whatever it did: one more batch, cut to the cap of 3
    // (a point whose interval is narrow enough gets none: StoppingRuleTest).
    Path dir = temp.resolve("until");
    int code = norma("sweep", EXAMPLE.toString(), "--vary", "population.size=[12]", "--set", "stop.maxRounds=20",
        "--until", "halfwidth(converged) <= 0.35", "--max-replicates", "3", "--seed", "3", "--out", dir.toString(),
        "--quiet");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(dir.resolve("runs.csv"))).hasSize(4);
    JsonNode manifest = json(dir.resolve("sweep.json"));
    assertThat(manifest.get("until").asText()).isEqualTo("halfwidth(converged) <= 0.35");
    assertThat(manifest.get("maxReplicates").asInt()).isEqualTo(3);
  }
}
