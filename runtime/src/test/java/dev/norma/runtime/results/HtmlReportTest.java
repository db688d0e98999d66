package dev.norma.runtime.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.study.RunSummaries;
import dev.norma.runtime.testing.OracleRuns;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report.html} of a run (the plain loop's files, which equal an actor run's), of a hand-made sweep
 * and of a hand-made sweep of the in-group identity study, opened in a real headless browser
 * (Debian's chromium): every chart is drawn, as SVG, and the page logs nothing to the console.
 * The browser part is skipped only where chromium is not installed.
 */
class HtmlReportTest {
  private static final Pattern RENDERED = Pattern.compile("data-rendered=\"(\\d+)\"");
  private static final Pattern CHARTS = Pattern.compile("data-charts=\"(\\d+)\"");

  @TempDir
  Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int norma(String... args) {
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aTippingRunAnIdentityRunAndASweepGetReportsThatABrowserDrawsWholeWithoutAConsoleMessage() throws Exception {
    Path run = tippingRun(temp.resolve("run"));
    assertThat(Files.readAllLines(run.resolve("rounds.csv")).get(0)).endsWith(",name2,share2,name3,share3,committedShare,"
        + "mutualInformationBits,mutualInformationShuffledBits,transferEntropyBits,transferEntropyShuffledBits");
    List<String> shares = Files.readAllLines(run.resolve("shares.csv"));
    assertThat(shares.get(0)).isEqualTo("round,name,share");
    assertThat(shares).contains("0,M,1").anyMatch(line -> line.startsWith("1,Q,"));
    // An intervention the run reached is marked on every plot, as convergence and the flip are.
    Files.writeString(run.resolve("interventions.csv"), "index,round,action,name,count,agents\n96,2,commit,Q,2,4 17\n");
    assertThat(norma("report", run.toString())).as(err.toString()).isZero();
    String runPage = Files.readString(run.resolve(HtmlReport.FILE));
    assertThat(runPage.split("commit 2 \u2192 Q", -1)).hasSize(6 + 1);
    assertThat(runPage).contains("Licensed to the Apache Software Foundation").doesNotContain("<script src")
        .contains("Q (committed)").contains("Shares of the leading names: no convergence in 8 rounds; flipped to Q at round 7").contains("\"flip (round ");

    Path sweep = SweepFixture.write(temp.resolve("sweep"));
    assertThat(norma("report", sweep.toString())).as(err.toString()).isZero();
    String sweepPage = Files.readString(sweep.resolve(HtmlReport.FILE));
    assertThat(sweepPage).contains("Probability of a flip against committed.fraction")
        .contains("policy.temperature = 0.5").contains("memory policy's bias")
        .contains("Collective bias by sweep point").contains("<td>committed.fraction=0.3, policy.temperature=0.1</td><td>2</td><td>M: 2</td>")
        .contains("<a href=\"runs/r011/\">r011</a>").contains("boom, with a comma");

    Path identity = identityRun(temp.resolve("identity"));

    // A sweep of the identity study: its conditions side by side across runs, per sweep point.
    Path identitySweep = SweepFixture.writeIdentity(temp.resolve("identity-sweep"));
    assertThat(norma("report", identitySweep.toString())).as(err.toString()).isZero();
    String identitySweepPage = Files.readString(identitySweep.resolve(HtmlReport.FILE));
    assertThat(identitySweepPage).contains("\"identity-we-runs\"").contains("First-person plural per 1,000 tokens"
        + " by condition at each run's last round: the mean over runs (bootstrap 95% interval across replicates)")
        .contains("game.settings.turns=8").doesNotContain("Probability of a");

    // Four browsers at once: most of the time is a browser starting.
    Browser runBrowser = Browser.open(run.resolve(HtmlReport.FILE));
    Browser sweepBrowser = Browser.open(sweep.resolve(HtmlReport.FILE));
    Browser identityBrowser = Browser.open(identity.resolve(HtmlReport.FILE));
    Browser identitySweepBrowser = Browser.open(identitySweep.resolve(HtmlReport.FILE));
    runBrowser.assertDrew(6);
    sweepBrowser.assertDrew(4);
    identityBrowser.assertDrew(7);
    // Five groups across runs (the "we" rate, stance and sentiment, drift, per turn, invalid turns)
    // and the two figures over all debates against the varied path.
    identitySweepBrowser.assertDrew(7);
  }

  @Test
  void badArgumentsAreErrorsNamingWhatIsWrong() throws Exception {
    Path sweep = SweepFixture.write(temp.resolve("sweep"));
    assertThat(norma("report", sweep.toString(), "--x", "game.memory")).isEqualTo(2);
    assertThat(err.toString()).contains("--x game.memory: not a varied path");
    assertThat(norma("report", temp.resolve("absent").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("not a directory");
    Files.createDirectories(temp.resolve("empty"));
    assertThat(norma("report", temp.resolve("empty").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("holds no rounds.csv");
  }

  /**
   * The in-group identity example by the loop (an actor run's files), its report drawn without a
   * summary (the game read from spec.yaml): the conditions side by side, grouped as its module says.
   */
  private Path identityRun(Path dir) throws Exception {
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", "identity.yaml"), List.of()).resolved();
    dev.norma.runtime.encounter.EncounterRuns.writeLoop(spec, dev.norma.runtime.encounter.EncounterRuns.gameOf(spec),
        dir);
    assertThat(norma("report", dir.toString())).as(err.toString()).isZero();
    String page = Files.readString(dir.resolve(HtmlReport.FILE));
    String figures = page.substring(page.indexOf("id=\"norma-figures\""));
    JsonNode charts = new ObjectMapper().readTree(figures.substring(figures.indexOf('>') + 1,
        figures.indexOf("</script>")));
    // Seven grouped figures and nothing one column a chart: every column is in a group.
    assertThat(charts).hasSize(7);
    JsonNode we = charts.get(0).path("option");
    assertThat(we.path("title").path("text").asText()).startsWith("First-person plural per 1,000 tokens by"
        + " condition, last round").endsWith("(round 2)");
    assertThat(we.path("xAxis").path("data")).extracting(JsonNode::asText).containsExactly("control", "assistant",
        "unique");
    // The bars, and their intervals across pairs: the last row's columns, condition by condition.
    List<String> rounds = Files.readAllLines(dir.resolve("rounds.csv"));
    List<String> header = List.of(rounds.get(0).split(","));
    String[] last = rounds.get(rounds.size() - 1).split(",");
    assertThat(we.path("series").get(0).path("type").asText()).isEqualTo("bar");
    assertThat(we.path("series").get(0).path("data").get(1).asDouble())
        .isEqualTo(Double.parseDouble(last[header.indexOf("assistant_wePer1k")]));
    assertThat(we.path("series").get(1).path("type").asText()).isEqualTo("custom");
    assertThat(we.path("series").get(1).path("data").get(2).get(1).asDouble())
        .isEqualTo(Double.parseDouble(last[header.indexOf("unique_wePer1kLow")]));
    JsonNode stance = charts.get(1).path("option");
    assertThat(stance.path("series")).extracting(series -> series.path("name").asText()).containsExactly(
        "cooperative turns", "adversarial turns", "\"We are…\" sentiment", "\"They are…\" sentiment");
    assertThat(charts.get(2).path("option").path("series")).extracting(series -> series.path("name").asText())
        .contains("all debates", "control", "assistant", "unique");
    return dir;
  }

  /** tipping-48 with 30% committed, by the plain loop (the same files a run writes), with its summary. */
  private static Path tippingRun(Path dir) throws Exception {
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", "tipping-48.yaml"),
        List.of("committed.fraction=0.3", "seed=5")).resolved();
    PopulationObserver observer = OracleRuns.write(spec, dir);
    RunDirectory.writeSummary(dir, RunSummaries.summarize(spec, new StudyPlan(spec, spec.seed()), observer,
        RunOutcome.COMPLETED, observer.stopReason(), 1, 0));
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.path("flipped").asBoolean()).isTrue();
    JsonNode parameters = summary.path("parameters");
    assertThat(parameters.path("committedName").asText()).isEqualTo("Q");
    assertThat(parameters.path("committedCount").asInt()).isEqualTo(14);
    assertThat(parameters.path("memory").asInt()).isEqualTo(3);
    assertThat(parameters.path("policyKind").asText()).isEqualTo("memory");
    RunReport.write(dir, "tipping", null);
    // Shares, success, entropy, distinct names, committed production, information flow (no inventories here).
    assertThat(javax.imageio.ImageIO.read(dir.resolve("report.png").toFile()).getHeight()).isEqualTo(6 * 280);
    return dir;
  }

  /** A headless chromium dumping a page's DOM once its scripts ran; skips the test without chromium. */
  private record Browser(Process process, Path stderr, Path page) {
    static Browser open(Path html) throws Exception {
      String chromium = which("chromium");
      Assumptions.assumeTrue(chromium != null, "chromium is not installed");
      Path profile = Files.createTempDirectory(html.getParent(), "chromium");
      Path stderr = html.resolveSibling("chromium.err");
      Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
          "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile, "--virtual-time-budget=5000",
          "--dump-dom", html.toUri().toString())
          .redirectError(stderr.toFile()).redirectOutput(html.resolveSibling("dom.html").toFile()).start();
      return new Browser(process, stderr, html);
    }

    /** Every one of the page's {@code charts} charts drew, as SVG, and the page logged nothing. */
    void assertDrew(int charts) throws Exception {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String dom = Files.readString(page.resolveSibling("dom.html"));
      String log = Files.readString(stderr);
      assertThat(log.lines().filter(line -> line.contains("CONSOLE") || line.contains("Uncaught")))
          .as("console messages of " + page).isEmpty();
      assertThat(number(CHARTS, dom)).as(dom.length() > 2000 ? dom.substring(0, 2000) : dom).isEqualTo(charts);
      assertThat(number(RENDERED, dom)).isEqualTo(charts);
      assertThat(dom).doesNotContain("data-errors");
      assertThat(Pattern.compile("<svg").matcher(dom).results().count()).isGreaterThanOrEqualTo(charts);
    }
  }

  private static int number(Pattern pattern, String dom) {
    Matcher matcher = pattern.matcher(dom);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }

  private static String which(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
