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
}
