package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.games.crsec.NormRecord.Type;
import dev.norma.agents.study.Interventions;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code removeAgents} in the CRSEC study, checked by hand on the small example (200 agents, 20
 * rooms): who leaves, that they never sit in a room again, that the rooms of those present are
 * the seating without the removal, and that the rows count only those present.
 */
class CrsecRemovalTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "crsec.yaml");
  private static final int N = 200;
  private static final int ROOMS = 20;
  private static final int PERIODS = 8;

  /** What a run of the small example played: each encounter's members, each period's row, the minds at the end. */
  private record Run(List<int[]> members, List<double[]> rows, List<double[]> shares, CrsecEncounters game) {
  }

  private static Run run(String... overrides) throws Exception {
    List<String> sets = new ArrayList<>(List.of("stop.maxRounds=" + PERIODS));
    sets.addAll(List.of(overrides));
    ExperimentSpec spec = SpecLoader.load(EXAMPLE, sets).resolved().withSeed(1);
    CrsecEncounters game = new CrsecModule().encounters(spec, 1);
    EncounterLoop<CrsecMind> loop = new EncounterLoop<>(game, N);
    List<int[]> members = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<double[]> shares = new ArrayList<>();
    loop.run(PERIODS, new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] playing, double[] outcome) {
        members.add(playing.clone());
      }

      @Override
      public void round(long round, double[] row) {
        rows.add(row);
        shares.add(sharesByHand(game, loop, round));
      }
    });
    return new Run(members, rows, shares, game);
  }

  /**
   * The share of the agents present at {@code period} holding an active injunctive norm on each
   * theme, and the share holding a norm no advocate proposed, counted from their minds.
   */
  private static double[] sharesByHand(CrsecEncounters game, EncounterLoop<CrsecMind> loop, long period) {
    NormCatalogue catalogue = game.rules().catalogue();
    int themes = catalogue.themes().size();
    double[] counts = new double[themes + 1];
    int present = 0;
    for (int id = 0; id < N; id++) {
      if (!game.rules().presence().present(id, period)) {
        continue;
      }
      present++;
      CrsecMind mind = loop.mind(id);
      boolean unproposed = false;
      for (int theme = 0; theme < themes; theme++) {
        for (int norm = 0; norm < catalogue.size(); norm++) {
          if (mind.active(norm) && catalogue.type(norm) == Type.INJUNCTIVE && catalogue.covers(norm, theme)) {
            counts[theme]++;
            break;
          }
        }
      }
      for (int norm = 0; norm < catalogue.size(); norm++) {
        unproposed |= mind.active(norm) && !catalogue.proposedByAdvocates(norm);
      }
      counts[themes] += unproposed ? 1 : 0;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] /= present;
    }
    return counts;
  }

  @Test
  void agentsThatLeftNeverSitAgainAndTheRestKeepTheirSeats() throws Exception {
    Run without = run();
    Run with = run("interventions=[{at: {round: 3}, action: removeAgents, fraction: 0.4}]");
    List<Interventions.Applied> applied = with.game().interventions();
    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).index()).isEqualTo(3 * ROOMS);
    int[] left = applied.get(0).agents();
    assertThat(left).hasSize(80).doesNotHaveDuplicates();
    BitSet gone = new BitSet(N);
    Arrays.stream(left).forEach(gone::set);
    for (int index = 0; index < PERIODS * ROOMS; index++) {
      int[] seated = without.members().get(index);
      int[] playing = with.members().get(index);
      // Before period 3 everyone plays as without the removal; from it, the same seats less those gone.
      int[] expected = index < 3 * ROOMS ? seated : Arrays.stream(seated).filter(id -> !gone.get(id)).toArray();
      assertThat(playing).as("encounter %d", index).containsExactly(expected);
    }
    assertThat(with.members().subList(3 * ROOMS, PERIODS * ROOMS).stream().mapToInt(m -> m.length).sum())
        .isEqualTo((PERIODS - 3) * (N - 80));
  }

  @Test
  void theRowsCountOnlyTheAgentsPresent() throws Exception {
    Run with = run("interventions=[{at: {round: 2}, action: removeAgents, committed: true, count: 30},"
        + " {at: {round: 4}, action: removeAgents, committed: false, fraction: 0.5}]");
    int[] advocatesGone = with.game().interventions().get(0).agents();
    int[] othersGone = with.game().interventions().get(1).agents();
    assertThat(advocatesGone).hasSize(30);
    assertThat(Arrays.stream(advocatesGone).allMatch(id -> id % 10 < 3)).as("advocates are seated first").isTrue();
    assertThat(othersGone).hasSize(70);
    assertThat(Arrays.stream(othersGone).allMatch(id -> id % 10 >= 3)).as("ordinary customers").isTrue();
    int themes = with.game().rules().catalogue().themes().size();
    for (int period = 0; period < PERIODS; period++) {
      double[] row = with.rows().get(period);
      double[] byHand = with.shares().get(period);
      for (int theme = 0; theme < themes; theme++) {
        assertThat(row[7 + theme]).as("period %d active share of theme %d", period, theme)
            .isCloseTo(byHand[theme], org.assertj.core.data.Offset.offset(1e-12));
      }
      assertThat(row[7 + themes + 1]).as("period %d unproposed share", period)
          .isCloseTo(byHand[themes], org.assertj.core.data.Offset.offset(1e-12));
    }
    // Actions: each agent present acts once a theme a period, and only those present act.
    Run without = run();
    assertThat(with.rows().get(5)[0]).isLessThan(without.rows().get(5)[0]);
  }
}
