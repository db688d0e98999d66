package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ren et al.'s findings with the rule-based policy, on 1,000 agents in 100 cafés for 20 periods:
 * with advocates, conflicts fall as norms spread and norms no advocate proposed appear; with the
 * advocates removed from the start (the control, advocates made ordinary customers, or advocates
 * leaving their rooms), conflicts stay within 10% of where they began.
 */
class CrsecScienceTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "crsec.yaml");
  private static final int CONFLICTS = 0;
  private static final int UNPROPOSED_NORMS = 10;
  private static final int TRAVEL_AGENTS = 12;

  private static List<double[]> rows(long seed, String... overrides) throws Exception {
    List<String> sets = new ArrayList<>(List.of("population.size=1000"));
    sets.addAll(List.of(overrides));
    ExperimentSpec spec = SpecLoader.load(EXAMPLE, sets).resolved().withSeed(seed);
    List<double[]> rows = new ArrayList<>();
    new EncounterLoop<>(new CrsecModule().encounters(spec, seed), 1000).run(20, new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
      }

      @Override
      public void round(long round, double[] row) {
        rows.add(row);
      }
    });
    return rows;
  }

  @Test
  void withAdvocatesConflictsFallAsNormsSpread() throws Exception {
    for (long seed = 1; seed <= 2; seed++) {
      List<double[]> rows = rows(seed);
      double initial = rows.get(0)[CONFLICTS];
      double late = (rows.get(17)[CONFLICTS] + rows.get(18)[CONFLICTS] + rows.get(19)[CONFLICTS]) / 3;
      assertThat(late).as("seed %d: conflicts late against %f at the start", seed, initial).isLessThan(0.25 * initial);
      assertThat(rows.get(19)[TRAVEL_AGENTS]).as("an advocates' norm reaches over half the agents").isGreaterThan(500);
      assertThat(rows.get(19)[UNPROPOSED_NORMS]).as("norms no advocate proposed").isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void withoutAdvocatesConflictsStayWithinTenPercentOfTheirStart() throws Exception {
    for (long seed = 1; seed <= 2; seed++) {
      List<double[]> rows = rows(seed, "game.settings.advocatesPerRoom=0");
      double initial = rows.get(0)[CONFLICTS];
      for (double[] row : rows) {
        assertThat(row[CONFLICTS]).as("seed %d", seed).isBetween(0.9 * initial, 1.1 * initial);
      }
    }
  }

  @Test
  void advocatesUncommittedAtPeriodZeroAreTheControlAndConflictsStayWithinTenPercent() throws Exception {
    List<double[]> uncommitted = rows(1, "interventions=[{at: {round: 0}, action: uncommit}]");
    List<double[]> control = rows(1, "game.settings.advocatesPerRoom=0");
    double initial = uncommitted.get(0)[CONFLICTS];
    for (int period = 0; period < uncommitted.size(); period++) {
      assertThat(uncommitted.get(period)).as("period %d as without advocates", period).isEqualTo(control.get(period));
      assertThat(uncommitted.get(period)[CONFLICTS]).isBetween(0.9 * initial, 1.1 * initial);
    }
  }

  @Test
  void advocatesWhoLeaveTheirRoomsAtPeriodZeroLeaveConflictsWithinTenPercent() throws Exception {
    List<double[]> removed = rows(1, "interventions=[{at: {round: 0}, action: removeAgents, committed: true,"
        + " fraction: 1}]");
    double initial = removed.get(0)[CONFLICTS];
    for (int period = 0; period < removed.size(); period++) {
      assertThat(removed.get(period)[CONFLICTS]).as("period %d", period).isBetween(0.9 * initial, 1.1 * initial);
    }
    // The ordinary customers alone: fewer people, so fewer conflicts than the control's from the start.
    assertThat(initial).isLessThan(rows(1, "game.settings.advocatesPerRoom=0").get(0)[CONFLICTS]);
  }

  @Test
  void advocatesUncommittedLaterLeaveTheNormsTheySpreadBehind() throws Exception {
    // Half the advocates at period 0, the rest at period 5: norms spread less, but they spread.
    List<double[]> with = rows(1);
    List<double[]> uncommitted = rows(1, "interventions=[{at: {round: 0}, action: uncommit, fraction: 0.5},"
        + " {at: {round: 5}, action: uncommit}]");
    assertThat(uncommitted.get(0)[CONFLICTS]).isNotEqualTo(with.get(0)[CONFLICTS]);
    assertThat(uncommitted.get(19)[CONFLICTS]).isGreaterThan(with.get(19)[CONFLICTS])
        .isLessThan(0.9 * uncommitted.get(0)[CONFLICTS]);
  }

  @Test
  void aRuleBreakageThatSilencesEveryoneLeavesConflictsWhereTheyWere() throws Exception {
    // The negative control of the mechanism: advocates present but nobody complies.
    List<double[]> rows = rows(1, "game.settings.compliance=0");
    assertThat(rows.get(19)[CONFLICTS]).isGreaterThan(0.8 * rows.get(0)[CONFLICTS]);
  }
}
