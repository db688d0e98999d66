package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code norma run} contract: exit codes, messages, and what lands in the run directory. */
class RunCommandTest {
  @TempDir
  Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path spec(String yaml) throws Exception {
    Path file = temp.resolve("spec.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void runsTheQuickStartExampleAndWritesTheRunDirectory() throws Exception {
    Path dir = temp.resolve("run");
    int code = run("run", Path.of("..", "examples", "naming-game-24.yaml").toString(),
        "--seed", "42", "--out", dir.toString(), "--set", "stop.maxRounds=60");
    assertThat(code).as(err.toString()).isZero();
    assertThat(dir.resolve("spec.yaml")).exists().content().contains("seed: 42").contains("format: 1");
    assertThat(dir.resolve("rounds.csv")).exists();
    assertThat(dir.resolve("interactions.csv.gz")).exists();
    assertThat(javax.imageio.ImageIO.read(dir.resolve("report.png").toFile()).getHeight()).isPositive();
    assertThat(dir.resolve("shares.csv")).exists();
    assertThat(dir.resolve("report.html")).exists().content().contains("Shares of the leading names");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("seed").asLong()).isEqualTo(42);
    assertThat(summary.path("parameters").path("temperature").asDouble()).isEqualTo(0.1);
    assertThat(summary.get("populationSize").asInt()).isEqualTo(24);
    assertThat(out.toString()).contains("run directory: " + dir);
  }

  @Test
  void runsTheEncounterGamesExamplesWithTheirOwnMeasures() throws Exception {
    Path ho = temp.resolve("higher-order");
    int code = run("run", Path.of("..", "examples", "higher-order-naming.yaml").toString(), "--seed", "3",
        "--out", ho.toString(), "--set", "population.size=200");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(ho.resolve("rounds.csv")).get(0))
        .isEqualTo("round,interactions,onA,onB,undecided,agreement");
    JsonNode summary = new ObjectMapper().readTree(ho.resolve("summary.json").toFile());
    assertThat(summary.get("game").asText()).isEqualTo("higher-order-naming");
    assertThat(summary.get("measures").has("onA")).isTrue();
    assertThat(javax.imageio.ImageIO.read(ho.resolve("report.png").toFile()).getHeight()).isPositive();
    // A game the report does not know: each numeric column of its rounds.csv, one chart each.
    assertThat(ho.resolve("report.html")).content().contains("\"text\":\"agreement\"").contains("\"text\":\"onA\"");

    Path ultimatum = temp.resolve("ultimatum");
    code = run("run", Path.of("..", "examples", "ultimatum.yaml").toString(), "--seed", "3",
        "--out", ultimatum.toString(), "--set", "stop.maxRounds=40", "--set", "game.settings.reputation=true");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(ultimatum.resolve("rounds.csv"))).hasSize(41);
    assertThat(out.toString()).contains("last round: meanOffer");
  }

  @Test
  void anEncounterGameRefusesWhatItCannotDoYetAndWritesNothing() throws Exception {
    Path dir = temp.resolve("never");
    int code = run("run", Path.of("..", "examples", "ultimatum.yaml").toString(), "--out", dir.toString(),
        "--cluster", "127.0.0.1:1");
    // A cluster runs encounter games too: this one is only not there.
    assertThat(code).isNotZero();
    assertThat(err.toString()).doesNotContain("game.kind").contains("127.0.0.1:1");
    assertThat(dir).doesNotExist();
    err.getBuffer().setLength(0);

    code = run("run", Path.of("..", "examples", "ultimatum.yaml").toString(), "--out", dir.toString(),
        "--set", "game.settings.beta=0.5");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("game.settings.beta");
    assertThat(dir).doesNotExist();
  }

  @Test
  void badSpecExitsWithTwoNamesTheFieldAndWritesNothing() throws Exception {
    Path dir = temp.resolve("never");
    int code = run("run", spec("population:\n  size: many\n").toString(), "--out", dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("population.size").contains("whole number");
    assertThat(dir).doesNotExist();
  }

  @Test
  void badOverrideExitsWithTwo() throws Exception {
    Path dir = temp.resolve("never");
    int code = run("run", spec("name: x\n").toString(), "--out", dir.toString(),
        "--set", "committed.fraction=1.5");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("committed.fraction");
    assertThat(dir).doesNotExist();
  }

  @Test
  void missingSpecFileExitsWithTwo() {
    int code = run("run", temp.resolve("absent.yaml").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("not found").contains("absent.yaml");
  }

  @Test
  void refusesToOverwriteAnEarlierRun() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("earlier"));
    Files.writeString(dir.resolve("summary.json"), "{}");
    int code = run("run", spec("name: x\n").toString(), "--out", dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("not empty");
    assertThat(dir.resolve("summary.json")).content().isEqualTo("{}");
  }

  @Test
  void aRecordedSpecRepeatsItsRunIntoANewDirectoryBesideTheFirst() throws Exception {
    Path first = temp.resolve("first");
    assertThat(run("run", Path.of("..", "examples", "naming-game-24.yaml").toString(), "--quiet",
        "--seed", "42", "--out", first.toString(), "--set", "stop.maxRounds=60")).as(err.toString()).isZero();
    String firstSummary = Files.readString(first.resolve("summary.json"));

    // The override sets what the file already says: the same run, in a directory named after it.
    assertThat(run("run", first.resolve("spec.yaml").toString(), "--quiet", "--set", "stop.maxRounds=60"))
        .as(err.toString()).isZero();
    Path again;
    try (var dirs = Files.list(temp)) {
      again = dirs.filter(d -> d.getFileName().toString().startsWith("naming-game-24-")).findFirst().orElseThrow();
    }
    assertThat(again.getFileName().toString()).matches("naming-game-24-stop.maxRounds=60-\\d{8}-\\d{6}");
    assertThat(err.toString()).contains("output.dir " + first + " already holds a run; this run goes to " + again);
    assertThat(again.resolve("rounds.csv")).as("the same seed, the same run")
        .hasSameBinaryContentAs(first.resolve("rounds.csv"));
    assertThat(first.resolve("summary.json")).content().isEqualTo(firstSummary);
  }

  @Test
  void unknownOptionExitsWithTwo() {
    assertThat(run("run", "--frobnicate")).isEqualTo(2);
  }

  @Test
  void aResumeWhoseCallJournalIsDamagedBeforeItsEndStopsWithOneLineAndLeavesItAsItWas() throws Exception {
    Path dir = temp.resolve("damaged");
    Files.createDirectories(dir.resolve(dev.norma.runtime.study.DurableRuns.JOURNAL_DIR));
    Files.writeString(dir.resolve(dev.norma.runtime.study.DurableRuns.JOURNAL_DIR).resolve("run-id"), "0123456789ab\n");
    Files.writeString(dir.resolve("spec.yaml"), """
        name: damaged
        seed: 3
        durability: durable
        population: {size: 4}
        policy: {kind: llm}
        inference:
          endpoints:
            - {name: none, url: 'http://127.0.0.1:9/v1', model: m}
        stop: {maxRounds: 2}
        """);
    Path journal = dir.resolve(dev.norma.runtime.inference.CallJournal.FILE);
    try (var gzip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(journal))) {
      gzip.write("{\"type\":\"call\",\"outcome\":\"ok\"}\n{\"type\":\"call\",\"outcome\":\"ok\"}\nnot json\n{\"type\":\"call\"}\n"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] before = Files.readAllBytes(journal);

    int code = run("run", "--resume", dir.toString(), "--quiet");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("norma: cannot resume " + dir).contains(journal + " line 3: not a JSON object");
    assertThat(Files.readAllBytes(journal)).isEqualTo(before);
    assertThat(dir.resolve("summary.json")).doesNotExist();
  }
}
