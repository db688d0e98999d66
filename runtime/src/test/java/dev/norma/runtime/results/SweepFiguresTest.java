package dev.norma.runtime.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.measure.Intervals;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's figures from its files: curve points with their intervals, the prior, the wins. */
class SweepFiguresTest {
  @TempDir
  Path temp;

  private SweepFigures.Sweep sweep(String x) throws Exception {
    Path dir = SweepFixture.write(temp.resolve("sweep"));
    return SweepFigures.sweep(new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()),
        Csv.read(dir.resolve("runs.csv")), x);
  }

  @Test
  void theTippingCurveCountsFlipsOfCompletedRunsPerValueWithWilsonAndBootstrapIntervals() throws Exception {
    List<SweepFigures.Curve> curves = SweepFigures.tippingCurves(sweep(null));
    assertThat(curves).extracting(SweepFigures.Curve::group).containsExactly("0.1", "0.5");
    List<SweepFigures.CurvePoint> low = curves.get(0).points();
    assertThat(low).extracting(SweepFigures.CurvePoint::x).containsExactly("0.0", "0.1", "0.3");
    assertThat(low).extracting(SweepFigures.CurvePoint::events).containsExactly(0L, 1L, 2L);
    assertThat(low.get(1).probability()).isEqualTo(Intervals.wilson(1, 2));
    assertThat(low.get(2).time().estimate()).isCloseTo(7.0, within(1e-12));
    assertThat(low.get(2).time().low()).isBetween(6.0, 7.0);
    assertThat(low.get(0).time().estimate()).isNaN();
    // The failed run of 0.1 / 0.5 is not a replicate that did not flip: it is left out.
    SweepFigures.CurvePoint failedOut = curves.get(1).points().get(1);
    assertThat(failedOut.runs()).isEqualTo(1);
    assertThat(failedOut.probability().estimate()).isZero();
  }

  @Test
  void theXAxisMayBeAnyVariedPathAndAnythingElseIsAnErrorNamingTheOption() throws Exception {
    SweepFigures.Sweep byTemperature = sweep("policy.temperature");
    assertThat(byTemperature.groupPath()).isEqualTo("committed.fraction");
    assertThat(SweepFigures.tippingCurves(byTemperature)).hasSize(3);
    assertThatThrownBy(() -> sweep("game.memory")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--x game.memory: not a varied path");
  }

  @Test
  void thePriorOfTheMemoryPolicyIsItsBiasOverThePoolWithMissingNamesWeighingOne() throws Exception {
    Path spec = SweepFixture.write(temp.resolve("sweep")).resolve("spec.yaml");
    SweepFigures.Prior prior = SweepFigures.prior(SpecLoader.load(spec, List.of()).resolved(), null);
    assertThat(prior.shares()).containsExactly(Map.entry("Q", 0.25), Map.entry("M", 0.5), Map.entry("X", 0.25));

    SweepFigures.Prior unbiased = SweepFigures.prior(SpecLoader.load(spec, List.of("policy.bias={}")).resolved(), null);
    assertThat(unbiased.shares().values()).allSatisfy(share -> assertThat(share).isCloseTo(1 / 3.0, within(1e-12)));
  }

  @Test
  void thePriorOfLanguageModelsIsTheProbeWhenThereIsOneElseUniform() throws Exception {
    Path spec = temp.resolve("llm.yaml");
    Files.copy(Path.of("..", "examples", "naming-game-llm.yaml"), spec);
    var llm = SpecLoader.load(spec, List.of("game.names=[Q, M]")).resolved();
    assertThat(SweepFigures.prior(llm, Map.of("Q", 30L, "M", 10L)).shares())
        .containsEntry("Q", 0.75).containsEntry("M", 0.25);
    assertThat(SweepFigures.prior(llm, null).shares()).containsEntry("Q", 0.5).containsEntry("M", 0.5);
  }

  @Test
  void collectiveBiasCountsWinnersOfCompletedRunsPriorNamesFirst() throws Exception {
    SweepFigures.Sweep sweep = sweep(null);
    SweepFigures.Prior prior = new SweepFigures.Prior("test", Map.of("Q", 0.5, "M", 0.5));
    Map<String, Long> wins = SweepFigures.wins(sweep, prior);
    assertThat(wins).containsEntry("Q", 2L).containsEntry("M", 5L).containsEntry("Q,2", 1L).hasSize(3);
    List<Figure> figures = SweepFigures.of(sweep, prior);
    assertThat(figures).extracting(Figure::id).containsExactly("tipping", "time", "bias", "convergence");
    // Six points, never pooled: one bar series per point with a winner.
    Figure bias = figures.get(2);
    assertThat(bias.series()).extracting(Figure.Series::name).containsExactly(
        "committed.fraction=0.0, policy.temperature=0.1", "committed.fraction=0.1, policy.temperature=0.1",
        "committed.fraction=0.3, policy.temperature=0.1", "committed.fraction=0.0, policy.temperature=0.5",
        "committed.fraction=0.3, policy.temperature=0.5");
    assertThat(bias.series().get(0).y()[bias.categories().indexOf("M")]).isEqualTo(0.5);
    assertThat(bias.series().get(2).y()[bias.categories().indexOf("M")]).isEqualTo(1.0);
    assertThat(bias.series().get(3).y()[bias.categories().indexOf("Q,2")]).isEqualTo(0.5);
  }

  @Test
  void collectiveBiasIsTestedAtEachPointAgainstThePriorThere() throws Exception {
    SweepFigures.Sweep sweep = sweep(null);
    // The prior depends on the point: temperature 0.5 is given a uniform prior here, 0.1 one towards M.
    List<SweepFigures.PointBias> points = SweepFigures.biasByPoint(sweep, overrides -> overrides
        .contains("policy.temperature=0.5") ? new SweepFigures.Prior("uniform", Map.of("Q", 0.5, "M", 0.5))
        : new SweepFigures.Prior("towards M", Map.of("Q", 0.25, "M", 0.75)));
    assertThat(points).extracting(SweepFigures.PointBias::label).containsExactly(
        "committed.fraction=0.0, policy.temperature=0.1", "committed.fraction=0.1, policy.temperature=0.1",
        "committed.fraction=0.3, policy.temperature=0.1", "committed.fraction=0.0, policy.temperature=0.5",
        "committed.fraction=0.1, policy.temperature=0.5", "committed.fraction=0.3, policy.temperature=0.5");
    SweepFigures.PointBias first = points.get(0);
    assertThat(first.wins()).containsOnly(Map.entry("Q", 1L), Map.entry("M", 1L));
    // One Q and one M against (1/4, 3/4): chi-square = (1 - 0.5)^2/0.5 + (1 - 1.5)^2/1.5 = 2/3.
    assertThat(first.test().test().statistic()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(points.get(2).prior().source()).isEqualTo("towards M");
    assertThat(points.get(5).prior().source()).isEqualTo("uniform");
    // A winner the prior does not know (Q,2, an invented name): no test there; a point without a winner has none.
    assertThat(points.get(3).test()).isNull();
    assertThat(points.get(4).decided()).isZero();
    assertThat(points.get(4).test()).isNull();
  }
  @Test
  void theTippingTitleGivesTheLogisticCriticalValueAndTheBiasTitleTheTestAgainstThePrior() throws Exception {
    // Separated per curve in the fixture (outcomes mix at one value only): no slope, the value is said.
    String critical = SweepFigures.criticalValues(sweep(null), SweepFigures.tippingCurves(sweep(null)));
    assertThat(critical).isEqualTo(". Critical value (logistic fit, 95% interval): policy.temperature = 0.1: at 0.1000"
        + " (outcomes mix only there: no slope to fit); policy.temperature = 0.5: at 0.3000 (outcomes mix only there:"
        + " no slope to fit)");
    // A fitted case: the same numbers as the measure itself, formatted.
    double[] x = {0.05, 0.05, 0.05, 0.1, 0.1, 0.1, 0.15, 0.15, 0.15};
    boolean[] flipped = {false, false, true, false, true, true, false, true, true};
    var fit = dev.norma.agents.measure.TippingPoint.fit(x, flipped);
    assertThat(SweepFigures.describe(fit)).isEqualTo(String.format(java.util.Locale.ROOT, "%.4g [%.4g, %.4g]",
        fit.criticalFraction().estimate(), fit.criticalFraction().low(), fit.criticalFraction().high()));
    // 30 of 40 runs won by Q against a uniform prior over two names: chi-square = 10, p = 0.00157.
    SweepFigures.Prior uniform = new SweepFigures.Prior("uniform", new java.util.LinkedHashMap<>(
        Map.of("Q", 0.5)) {
      {
        put("M", 0.5);
      }
    });
    String test = SweepFigures.biasTest(new SweepFigures.PointBias("p", Map.of("Q", 30L, "M", 10L), uniform));
    assertThat(test).contains("= 10.00, 1 d.f., p = 0.00157").contains("winners' entropy 0.81 bits");
    // A winner the prior does not know (an invented name): no test.
    assertThat(SweepFigures.biasTest(new SweepFigures.PointBias("p", Map.of("Z", 3L), uniform))).isEmpty();
  }

  @Test
  void aGamesOwnMeasuresAreDrawnAgainstTheVariedPathAsMeansWithIntervals() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("crsec"));
    Files.writeString(dir.resolve("sweep.json"), """
        {"format":1,"name":"crsec","seed":3,"replicates":2,"parallel":2,
         "vary":[{"path":"game.settings.advocatesPerRoom","values":[0,3]}]}
        """);
    Files.writeString(dir.resolve("runs.csv"), """
        run,game.settings.advocatesPerRoom,replicate,seed,status,measure.conflicts,measure.note,error
        a,0,0,1,completed,570,,
        b,0,1,2,completed,560,,
        c,3,0,3,completed,80,,
        d,3,1,4,failed,,,boom
        """);
    SweepFigures.Sweep sweep = SweepFigures.sweep(new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()),
        Csv.read(dir.resolve("runs.csv")), null);
    List<Figure> measures = SweepFigures.measures(sweep);
    // A column with no number in any completed run (measure.note) is not drawn.
    assertThat(measures).extracting(Figure::id).containsExactly("measure-conflicts");
    Figure.Series conflicts = measures.get(0).series().get(0);
    assertThat(conflicts.x()).containsExactly(0, 3);
    assertThat(conflicts.y()).containsExactly(565, 80); // the failed run does not count
    assertThat(conflicts.low()[0]).isBetween(560.0, 565.0);
    assertThat(conflicts.high()[1]).isEqualTo(80.0);
    assertThat(measures.get(0).yMin()).isEqualTo(0.0);
    // No run converged (the game does not): its own measures, not an empty convergence curve.
    assertThat(SweepFigures.of(sweep, (SweepFigures.Prior) null)).extracting(Figure::id)
        .containsExactly("measure-conflicts");
  }

  /**
   * A game's figure groups across the runs of a sweep: the identity study's conditions side by
   * side, each bar the mean over a point's completed runs with a bootstrap interval across them,
   * one series per sweep point; a group by round that repeats a figure at the last round is not
   * drawn twice, the within-run interval columns are not drawn at all, and the measures over all
   * debates, in no group by condition, are drawn against the varied path as before.
   */
  @Test
  void aGamesFigureGroupsAreDrawnAcrossRunsPerSweepPointWithIntervalsAcrossReplicates() throws Exception {
    Path dir = SweepFixture.writeIdentity(temp.resolve("identity"));
    Csv.Table runs = Csv.read(dir.resolve("runs.csv"));
    SweepFigures.Sweep sweep = SweepFigures.sweep(new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()),
        runs, null);
    List<dev.norma.agents.game.FigureGroup> groups = SweepFigures.gameGroups(
        RunFigures.RunFiles.gameOf(dir.resolve("spec.yaml")), runs.header());
    assertThat(groups).hasSize(7);
    assertThat(SweepFigures.gameGroups("naming", runs.header())).isEmpty();
    assertThat(SweepFigures.gameGroups(null, runs.header())).isEmpty();

    List<Figure> figures = SweepFigures.of(sweep, List.of(), groups);
    assertThat(figures).extracting(Figure::id).containsExactly("identity-we-runs", "identity-stance-runs",
        "identity-drift-rounds-runs", "identity-per-turn-rounds-runs", "identity-invalid-rounds-runs",
        "measure-wePer1k", "measure-cooperative");
    Figure we = figures.get(0);
    assertThat(we.title()).startsWith("First-person plural per 1,000 tokens by condition at each run's last round:"
        + " the mean over runs (bootstrap 95% interval across replicates)");
    assertThat(we.categories()).containsExactly("control", "unique");
    assertThat(we.series()).extracting(Figure.Series::name).containsExactly("game.settings.turns=4",
        "game.settings.turns=8");
    // At turns 4: control 40, 44, 48 (mean 44), unique 10, 20, 30 (mean 20); at 8 twice that. The
    // failed run does not count.
    Figure.Series four = we.series().get(0);
    assertThat(four.kind()).isEqualTo(Figure.Kind.BAR);
    assertThat(four.y()).containsExactly(44, 20);
    assertThat(we.series().get(1).y()).containsExactly(88, 40);
    assertThat(four.low()[0]).isBetween(40.0, 44.0);
    assertThat(four.high()[0]).isBetween(44.0, 48.0);
    assertThat(four.low()[1]).isBetween(10.0, 20.0);
    assertThat(four.high()[1]).isBetween(20.0, 30.0);
    // Four measures a point: named by measure and point.
    assertThat(figures.get(1).series()).hasSize(8).extracting(Figure.Series::name)
        .startsWith("cooperative turns · game.settings.turns=4");
    assertThat(figures.get(1).series().get(0).y()).containsExactly(new double[] {0.44, 0.2}, within(1e-12));
    assertThat(figures.get(1).yMin()).isEqualTo(-1.0);

    // runs.csv sorts its measures; a run's rounds.csv has them in the spec's order, which the groups keep.
    assertThat(SweepFigures.inRunOrder(List.of("run", "measure.unique_x", "measure.control_x", "measure.z"),
        List.of("round", "control_x", "unique_x"))).containsExactly("measure.control_x", "measure.unique_x", "run",
        "measure.z");

    // One point: the series are the measures.
    Files.writeString(dir.resolve("runs.csv"), String.join("\n", Files.readAllLines(dir.resolve("runs.csv"))
        .stream().filter(line -> !line.startsWith("game.settings.turns=8")).toList()) + "\n");
    Csv.Table fours = Csv.read(dir.resolve("runs.csv"));
    List<Figure> onePoint = SweepFigures.groups(SweepFigures.sweep(new ObjectMapper().readTree(
        dir.resolve("sweep.json").toFile()), fours, null), groups, new java.util.HashSet<>());
    assertThat(onePoint.get(0).series()).extracting(Figure.Series::name)
        .containsExactly("first-person plural per 1,000 tokens");
    assertThat(onePoint.get(0).series().get(0).y()).containsExactly(44, 20);
  }
}
