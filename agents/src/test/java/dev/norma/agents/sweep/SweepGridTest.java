package dev.norma.agents.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code --vary}, the grid it spans, run names and the seeds that do not depend on the grid. */
class SweepGridTest {
  private static List<String> texts(SweepAxis axis) {
    return axis.values().stream().map(SweepValue::text).toList();
  }

  @Test
  void aSweepThatVariesNothingHasOnePointTheBaseSpec() {
    List<SweepPoint> points = SweepGrid.parse(List.of()).points();
    assertThat(points).hasSize(1);
    assertThat(points.get(0).overrides()).isEmpty();
    assertThat(points.get(0).label()).isEqualTo("base spec");
    assertThat(points.get(0).runName(3)).isEqualTo("r03");
    assertThat(points.get(0).seed(1, 0)).isNotEqualTo(points.get(0).seed(1, 1));
  }

  @Test
  void aRangeIncludesItsEndExactly() {
    SweepAxis axis = SweepAxis.parse("committed.fraction=0:0.30:0.02");
    assertThat(axis.path()).isEqualTo("committed.fraction");
    assertThat(texts(axis)).hasSize(16).startsWith("0", "0.02", "0.04").contains("0.06", "0.1").endsWith("0.3");
    assertThat(texts(SweepAxis.parse("x=0.1:0.35:0.1"))).containsExactly("0.1", "0.2", "0.3");
    assertThat(texts(SweepAxis.parse("population.size=100:500:200"))).containsExactly("100", "300", "500");
    assertThat(axis.values()).allMatch(SweepValue::numeric);
  }

  @Test
  void aListKeepsItsOrderAndCanonicalisesNumbers() {
    SweepAxis axis = SweepAxis.parse("population.size=[500, 1000.0,2e3]");
    assertThat(texts(axis)).containsExactly("500", "1000", "2000");
    SweepAxis names = SweepAxis.parse("game.kind=[naming,'binary']");
    assertThat(texts(names)).containsExactly("naming", "binary");
    assertThat(names.values()).noneMatch(SweepValue::numeric);
    assertThat(SweepValue.of("0.10")).isEqualTo(SweepValue.of("0.1")).isEqualTo(SweepValue.of(".1"));
    assertThat(texts(SweepAxis.parse("stop.maxRounds=60"))).containsExactly("60");
  }

  @Test
  void badRangesAndListsNameTheOption() {
    assertThatThrownBy(() -> SweepAxis.parse("committed.fraction=0:0.3:0"))
        .hasMessageContaining("--vary committed.fraction=0:0.3:0").hasMessageContaining("step must be above 0");
    assertThatThrownBy(() -> SweepAxis.parse("a=0.5:0.1:0.1")).hasMessageContaining("--vary a=0.5:0.1:0.1")
        .hasMessageContaining("start 0.5 is above its end 0.1");
    assertThatThrownBy(() -> SweepAxis.parse("a=0:x:1")).hasMessageContaining("end 'x' is not a number");
    assertThatThrownBy(() -> SweepAxis.parse("a=[1,,2]")).hasMessageContaining("empty value");
    assertThatThrownBy(() -> SweepAxis.parse("a=[0.1,0.10]")).hasMessageContaining("0.1 is given twice");
    assertThatThrownBy(() -> SweepAxis.parse("a=0:1:0.00001")).hasMessageContaining("take a larger step");
    assertThatThrownBy(() -> SweepAxis.parse("seed=[1,2]")).hasMessageContaining("--replicates");
    assertThatThrownBy(() -> SweepAxis.parse("nothing")).hasMessageContaining("expected path=VALUES");
    assertThatThrownBy(() -> SweepGrid.parse(List.of("a=[1]", "a=[2]"))).hasMessageContaining("varied twice");
    assertThatThrownBy(() -> SweepGrid.parse(List.of("name=[a/b,a-b]")).points())
        .hasMessageContaining("would share a run directory");
  }

  @Test
  void theGridVariesTheFirstAxisSlowestAndNamesRuns() {
    List<SweepPoint> points = SweepGrid.parse(List.of("committed.fraction=[0.06,0.1]", "population.size=[500,1000]"))
        .points();
    assertThat(points).extracting(SweepPoint::label).containsExactly(
        "committed.fraction=0.06, population.size=500", "committed.fraction=0.06, population.size=1000",
        "committed.fraction=0.1, population.size=500", "committed.fraction=0.1, population.size=1000");
    assertThat(points).extracting(SweepPoint::index).containsExactly(0, 1, 2, 3);
    assertThat(points.get(0).runName(3)).isEqualTo("committed.fraction=0.06_population.size=500_r03");
    assertThat(points.get(0).runName(123)).endsWith("_r123");
    assertThat(points.get(0).overrides()).containsExactly("committed.fraction=0.06", "population.size=500");
    assertThat(SweepGrid.parse(List.of("game.names=[Q M]")).points().get(0).runName(0))
        .isEqualTo("game.names=Q-M_r00");
  }

  @Test
  void seedsDependOnValuesAndReplicateNotOnTheGrid() {
    List<SweepPoint> small = SweepGrid.parse(List.of("committed.fraction=[0.06,0.1]", "population.size=[500]"))
        .points();
    // More values, typed otherwise, in another order of options: the old runs keep their seeds.
    List<SweepPoint> extended = SweepGrid.parse(List.of("population.size=[250,500.0]",
        "committed.fraction=[0.02,0.060,0.10]")).points();
    Map<String, Long> seeds = new HashMap<>();
    for (SweepPoint point : extended) {
      for (int r = 0; r < 3; r++) {
        seeds.put(point.canonicalKey() + r, point.seed(42, r));
      }
    }
    for (SweepPoint point : small) {
      for (int r = 0; r < 3; r++) {
        assertThat(seeds.get(point.canonicalKey() + r)).isEqualTo(point.seed(42, r)).isNotNegative();
      }
    }
    SweepPoint first = small.get(0);
    assertThat(first.seed(42, 0)).isNotEqualTo(first.seed(42, 1)).isNotEqualTo(first.seed(43, 0))
        .isNotEqualTo(small.get(1).seed(42, 0));
    // Fixed (SHA-256 of the documented text, computed apart): a change would change every sweep's runs.
    assertThat(first.seed(42, 0)).isEqualTo(9180865708477401928L);
    assertThat(seeds.values()).doesNotHaveDuplicates();
  }
}
