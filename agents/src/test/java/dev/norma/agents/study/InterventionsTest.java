package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Mind;
import dev.norma.agents.Specs;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Interventions in the plain loop: who they change, what the changed minds become, and the
 * science of binary agreement (Xie et al. 2011) when a committed minority appears or goes mid-run.
 */
class InterventionsTest {
  private static final String BINARY_1000 = """
      population: {size: 1000}
      game: {kind: binary-agreement}
      stop: {onFlip: false, flipWithinRounds: 200, maxRounds: 300}
      """;

  private static ExperimentSpec binary(String committed, String interventions) {
    return Specs.parse(BINARY_1000 + committed + (interventions.isEmpty() ? "" : "interventions:\n" + interventions));
  }

  @Test
  void aMinorityCommittedAtRound20FlipsThePopulationAndOneTooSmallDoesNot() {
    StudyPlan plan = new StudyPlan(binary("", "  - {at: {round: 20}, action: commit, fraction: 0.15, name: A}\n"), 3);
    int[] chosen = plan.interventions().applied().get(0).agents();
    assertThat(chosen).hasSize(150);
    List<RoundRow> rows = new ArrayList<>();
    Set<Integer> committedSeen = new HashSet<>();
    PopulationObserver observer = new PlainLoop(plan).run(r -> {
      if (r.initiatorCommitted()) {
        assertThat(r.index()).isGreaterThanOrEqualTo(20_000);
        committedSeen.add(r.initiator());
      }
    }, rows::add);
    assertThat(committedSeen).containsExactlyInAnyOrderElementsOf(Arrays.stream(chosen).boxed().toList());
    assertThat(rows.get(19).topName()).isEqualTo("B");
    assertThat(rows.get(19).topShare()).isEqualTo(1.0); // nobody says A before the minority appears
    assertThat(plan.committedWord()).isEqualTo(plan.game().wordOf("A"));
    assertThat(observer.flipped()).isTrue();
    // Measured from the intervention (about 22 rounds at p = 0.15 in the mean field), not from round 0.
    assertThat(observer.flipRound()).isBetween(30L, 60L);
    assertThat(observer.winner()).isEqualTo("A");

    // Negative control: 5% is below p_c ~ 0.098, and B holds.
    PopulationObserver small = new PlainLoop(new StudyPlan(
        binary("", "  - {at: {round: 20}, action: commit, fraction: 0.05, name: A}\n"), 3)).run(null, null);
    assertThat(small.flipped()).isFalse();
    assertThat(small.stopReason()).isEqualTo("max-rounds");
  }

  /**
   * Committed 12% (above p_c) from the start, N = 1000: the population flips to A about round 35.
   * Uncommitting every committed agent mid-way, measured on seeds 5..8: at round 18 or before B
   * always comes back; at 20..24 it goes either way; at 26 or after A has tipped and holds alone.
   */
  @Test
  void uncommittingTheMinorityBeforeItTipsLetsBComeBackButAfterTheTipANormStays() {
    String minority = "committed: {fraction: 0.12, name: A}\n";
    for (long seed = 5; seed <= 8; seed++) {
      PopulationObserver control = new PlainLoop(new StudyPlan(binary(minority, ""), seed)).run(null, null);
      assertThat(control.flipped()).isTrue();
      assertThat(control.winner()).isEqualTo("A");

      PopulationObserver early = new PlainLoop(new StudyPlan(
          binary(minority, "  - {at: {round: 14}, action: uncommit}\n"), seed)).run(null, null);
      assertThat(early.flipped()).as("seed %d", seed).isFalse();
      assertThat(early.converged()).isTrue();
      assertThat(early.winner()).as("seed %d", seed).isEqualTo("B"); // A's rise falls back without them

      PopulationObserver late = new PlainLoop(new StudyPlan(
          binary(minority, "  - {at: {round: 28}, action: uncommit}\n"), seed)).run(null, null);
      assertThat(late.flipped()).isTrue();
      assertThat(late.winner()).as("seed %d", seed).isEqualTo("A"); // tipped: the convention holds by itself
      assertThat(late.convergenceIndex()).isGreaterThanOrEqualTo(control.convergenceIndex());
    }
  }

  @Test
  void theChangedAgentsAreASeededDrawOfThoseAvailable() {
    String items = """
          - {at: {round: 2}, action: commit, count: 30, name: A}
          - {at: {round: 4}, action: uncommit, fraction: 0.5}
          - {at: {round: 6}, action: commit, count: 30, name: B}
        """;
    List<Interventions.Applied> applied = new StudyPlan(binary("committed: {count: 10}\n", items), 9)
        .interventions().applied();
    List<Interventions.Applied> again = new StudyPlan(binary("committed: {count: 10}\n", items), 9)
        .interventions().applied();
    List<Interventions.Applied> otherSeed = new StudyPlan(binary("committed: {count: 10}\n", items), 10)
        .interventions().applied();
    assertThat(again.get(0).agents()).isEqualTo(applied.get(0).agents());
    assertThat(otherSeed.get(0).agents()).isNotEqualTo(applied.get(0).agents());
    StudyPlan plan = new StudyPlan(binary("committed: {count: 10}\n", items), 9);
    Set<Integer> minority = new HashSet<>();
    for (int id = 0; id < 1000; id++) {
      if (plan.isCommitted(id)) {
        minority.add(id);
      }
    }
    assertThat(Arrays.stream(applied.get(0).agents()).boxed().toList()).doesNotContainAnyElementsOf(minority);
    assertThat(applied.get(1).agents()).hasSize(20); // half of the 40 committed then
    assertThat(plan.committedAgentsAt(0)).isEqualTo(10);
    assertThat(plan.committedAgentsAt(2000)).isEqualTo(40);
    assertThat(plan.committedAgentsAt(4000)).isEqualTo(20);
    assertThat(plan.committedAgentsAt(6000)).isEqualTo(50);
    int agent = applied.get(2).agents()[0];
    Mind mind = plan.newMind(agent);
    assertThat(mind.committedWordAt(5999, plan.committedWord())).isNotEqualTo(plan.game().wordOf("B"));
    assertThat(mind.committedWordAt(6000, plan.committedWord())).isEqualTo(plan.game().wordOf("B"));
  }

  @Test
  void anUncommittedAgentStartsFromTheMindOfOneAgreedOnItsName() {
    // Memory policy of the naming game: once committed, its memory is H successes on its name.
    StudyPlan naming = new StudyPlan(Specs.of("population.size=20", "game.names=[Q, M]", "game.memory=4",
        "committed.count=4", "committed.name=M", "stop.onConvergence=false", "stop.onFlip=false",
        "stop.maxRounds=10"), 1);
    PlainLoop loop = new PlainLoop(naming);
    loop.run(null, null);
    for (int id = 0; id < 20; id++) {
      if (naming.isCommitted(id)) {
        assertThat(loop.mind(id).save().contents()).as("agent %d", id)
            .endsWith(packed(1, 1), packed(1, 1), packed(1, 1), packed(1, 1));
      }
    }
    // Binary agreement: a committed agent holds {A} alone from its first committed play.
    StudyPlan binary = new StudyPlan(binary("committed: {count: 100}\n",
        "  - {at: {round: 3}, action: uncommit}\n"), 2);
    List<InteractionRecord> firstUncommitted = new ArrayList<>();
    new PlainLoop(binary).run(r -> {
      if (r.index() >= 3000 && binary.isCommitted(r.initiator()) && firstUncommitted.isEmpty()) {
        firstUncommitted.add(r);
      }
    }, null);
    InteractionRecord r = firstUncommitted.get(0);
    assertThat(r.initiatorCommitted()).isFalse();
    assertThat(r.initiatorWord()).isEqualTo(binary.game().wordOf("A")); // it still says A, alone in its inventory
  }

  @Test
  void encounterGamesThatTakeNoneRefuseInterventions() {
    assertThatThrownBy(() -> SpecLoader.parse("""
        game: {kind: ultimatum}
        interventions:
          - {at: {round: 2}, action: commit, count: 1}
        """, List.of())).isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).contains(
        "interventions: not supported for game.kind 'ultimatum' (an encounter game that takes none); interventions"
            + " apply to"
            + " [naming, minimal-naming, binary-agreement]"));
  }

  private static int packed(int own, int partner) {
    return (own << 16) | partner;
  }
}
