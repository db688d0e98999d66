package dev.norma.agents.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --until}: reading it, and when a point has enough replicates. */
class StoppingRuleTest {
  private static final SweepPoint POINT = SweepGrid.parse(List.of("committed.fraction=[0.1]")).points().get(0);

  static Summary summary(RunOutcome status, boolean converged, Long convergenceRound, Boolean flipped,
                         Map<String, Double> measures) {
    return new Summary(Summary.FORMAT, status, "s", 1, "naming", "memory", "sequential", 24, 2, 1000, 40, 0, 0,
        converged, converged ? 900L : null, convergenceRound, converged ? "Q" : null, Map.of("Q", 1.0), flipped,
        flipped != null && flipped ? 30L : null, "converged", 0.5, 2000.0, measures, null, null);
  }

  private static List<SweepRunRow> flips(int yes, int no) {
    List<SweepRunRow> rows = new ArrayList<>();
    for (int i = 0; i < yes + no; i++) {
      rows.add(SweepRunRow.of(POINT, i, i, summary(RunOutcome.COMPLETED, true, 37L, i < yes, Map.of())));
    }
    return rows;
  }

  @Test
  void readsTheRuleAndNamesTheOptionWhenItCannot() {
    assertThat(StoppingRule.parse("halfwidth(flipped) <= 0.05")).isEqualTo(new StoppingRule("flipped", 0.05));
    assertThat(StoppingRule.parse(" halfwidth( convergenceRound )<=5 ").figure()).isEqualTo("convergenceRound");
    assertThat(StoppingRule.parse("halfwidth(measure.meanOffer) <= .5").bound()).isEqualTo(0.5);
    assertThatThrownBy(() -> StoppingRule.parse("width(flipped) < 1")).hasMessageContaining("--until")
        .hasMessageContaining("expected halfwidth(FIGURE) <= NUMBER");
    assertThatThrownBy(() -> StoppingRule.parse("halfwidth(flips) <= 0.1")).hasMessageContaining("--until")
        .hasMessageContaining("unknown figure 'flips'");
    assertThatThrownBy(() -> StoppingRule.parse("halfwidth(flipped) <= 0")).hasMessageContaining("above 0");
  }

  @Test
  void aProportionStopsOnWilsonsHalfWidth() {
    StoppingRule rule = StoppingRule.parse("halfwidth(flipped) <= 0.1");
    // 20 of 40: Wilson half-width ~0.15; 0 of 40 ~0.044 (the interval is [0, 0.088]).
    assertThat(rule.satisfied(flips(20, 20))).isFalse();
    assertThat(rule.satisfied(flips(0, 40))).isTrue();
    assertThat(rule.interval(flips(0, 40)).halfWidth()).isBetween(0.04, 0.05);
    assertThat(rule.satisfied(List.of())).isFalse();
    assertThat(rule.more(flips(20, 20), 40, 200, 10)).isEqualTo(10);
    assertThat(rule.more(flips(20, 20), 195, 200, 10)).isEqualTo(5);
    assertThat(rule.more(flips(20, 20), 200, 200, 10)).isZero();
    assertThat(rule.more(flips(0, 40), 40, 200, 10)).isZero();
  }

  @Test
  void aNumberStopsOnTheBootstrapOfItsMeanAndSkipsRunsWithoutIt() {
    StoppingRule rule = StoppingRule.parse("halfwidth(convergenceRound) <= 5");
    List<SweepRunRow> spread = new ArrayList<>();
    List<SweepRunRow> tight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      spread.add(SweepRunRow.of(POINT, i, i, summary(RunOutcome.COMPLETED, true, (long) (i % 2 == 0 ? 10 : 100), null,
          Map.of())));
      tight.add(SweepRunRow.of(POINT, i, i, summary(RunOutcome.COMPLETED, true, (long) (40 + i % 3), null, Map.of())));
    }
    assertThat(rule.satisfied(spread)).isFalse();
    assertThat(rule.satisfied(tight)).isTrue();
    // Runs that did not converge have no convergence round; failed runs have no figures at all.
    tight.add(SweepRunRow.of(POINT, 20, 20, summary(RunOutcome.COMPLETED, false, null, null, Map.of())));
    tight.add(SweepRunRow.failed(POINT, 21, 21, "boom", 0.1));
    assertThat(rule.interval(tight).estimate()).isBetween(40.0, 42.0);
    assertThat(rule.satisfied(tight)).isTrue();
    StoppingRule measure = StoppingRule.parse("halfwidth(measure.meanOffer) <= 1");
    assertThat(measure.satisfied(List.of(SweepRunRow.of(POINT, 0, 0,
        summary(RunOutcome.COMPLETED, false, null, null, Map.of("meanOffer", 4.0)))))).isTrue();
  }
}
