package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.games.naming.NamingMind;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code relabel}, {@code addNames} and {@code payoff} in the plain loop of the naming game (memory
 * policy): from their index on, and not one interaction before; whom {@code endpoint} switches.
 */
class GameChangesTest {
  private static final String NAMING = """
      population: {size: 40}
      game: {kind: naming, names: [Q, M, X], memory: 5}
      policy: {kind: memory, temperature: 1.0}
      committed: {count: 4, name: Q}
      stop: {onConvergence: false, maxRounds: 30}
      """;

  private static List<InteractionRecord> play(String interventions, long seed) {
    ExperimentSpec spec = Specs.parse(NAMING + (interventions.isEmpty() ? "" : "interventions:\n" + interventions));
    List<InteractionRecord> records = new ArrayList<>();
    new PlainLoop(new StudyPlan(spec, seed)).run(records::add, null);
    return records;
  }

  private static boolean says(InteractionRecord r, int word) {
    return r.initiatorWord() == word || r.responderWord() == word;
  }

  @Test
  void aRelabelledNameIsNeverPlayedAgainAndItsCommittedAgentsPlayTheNewName() {
    StudyPlan plan = new StudyPlan(Specs.parse(NAMING + "interventions:\n"
        + "  - {at: {round: 5}, action: relabel, from: Q, to: M}\n"), 7);
    int q = plan.game().wordOf("Q");
    int m = plan.game().wordOf("M");
    List<InteractionRecord> records = new ArrayList<>();
    PlainLoop loop = new PlainLoop(plan);
    loop.run(records::add, null);
    List<InteractionRecord> control = play("", 7);
    // Nothing changes before index 200; Q is played up to there (its committed agents at least).
    assertThat(records.subList(0, 200)).isEqualTo(control.subList(0, 200));
    assertThat(records.subList(0, 200)).anyMatch(r -> says(r, q));
    assertThat(records.subList(200, records.size())).noneMatch(r -> says(r, q));
    assertThat(records.subList(200, records.size()))
        .filteredOn(InteractionRecord::initiatorCommitted).isNotEmpty().allMatch(r -> r.initiatorWord() == m);
    assertThat(control.subList(200, control.size())).anyMatch(r -> says(r, q)); // negative control
    // Minds that played since remember no Q.
    for (int id = 0; id < 40; id++) {
      NamingMind mind = (NamingMind) loop.mind(id);
      for (int i = 0; i < mind.remembered(); i++) {
        assertThat(mind.ownChoice(i)).isNotEqualTo(q);
        assertThat(mind.partnerChoice(i)).isNotEqualTo(q);
      }
    }
    assertThat(plan.interventions().applied().get(0).name()).isEqualTo("Q\u2192M");
    assertThat(plan.interventions().applied().get(0).agents()).isEmpty();
  }

  @Test
  void addedNamesArePlayedOnlyFromTheirIndexAndThePayoffChangesAtItsOwn() {
    StudyPlan plan = new StudyPlan(Specs.parse(NAMING + "interventions:\n"
        + "  - {at: {interaction: 250}, action: addNames, names: [K, L]}\n"
        + "  - {at: {round: 8}, action: payoff, success: 10}\n"), 7);
    int k = plan.game().wordOf("K");
    int l = plan.game().wordOf("L");
    assertThat(plan.game().names()).containsExactly("Q", "M", "X", "K", "L");
    List<InteractionRecord> records = new ArrayList<>();
    new PlainLoop(plan).run(records::add, null);
    assertThat(records.subList(0, 250)).isEqualTo(play("", 7).subList(0, 250));
    assertThat(records.subList(0, 250)).noneMatch(r -> says(r, k) || says(r, l));
    assertThat(records.subList(250, records.size())).anyMatch(r -> says(r, k));
    assertThat(records.subList(250, records.size())).anyMatch(r -> says(r, l));
    assertThat(plan.game().payoff(true, 319)).isEqualTo(100);
    assertThat(plan.game().payoff(true, 320)).isEqualTo(10);
    assertThat(plan.game().payoff(false, 320)).isEqualTo(-50);
    assertThat(plan.interventions().applied()).extracting(Interventions.Applied::name)
        .containsExactly("K L", "success 10");
  }

  @Test
  void anEndpointSwitchDrawsItsAgentsFromTheSeedAndALaterOneReplacesIt() {
    String llm = """
        population: {size: 40}
        policy: {kind: llm}
        inference: {endpoints: [{name: e1, url: 'http://127.0.0.1:9/v1', model: m1},
                                {name: e2, url: 'http://127.0.0.1:8/v1', model: m2}]}
        interventions: [{at: {round: 2}, action: endpoint, fraction: 0.25, endpoint: e2},
                        {at: {round: 5}, action: endpoint, model: m1}]
        """;
    StudyPlan plan = new StudyPlan(Specs.parse(llm), 7);
    int[] switched = plan.interventions().applied().get(0).agents();
    assertThat(switched).hasSize(10).isSorted();
    assertThat(new StudyPlan(Specs.parse(llm), 7).interventions().applied().get(0).agents()).isEqualTo(switched);
    assertThat(new StudyPlan(Specs.parse(llm), 8).interventions().applied().get(0).agents()).isNotEqualTo(switched);
    assertThat(plan.interventions().applied().get(1).agents()).hasSize(40);
    EndpointSwitches switches = plan.interventions().endpointSwitches();
    int agent = switched[0];
    assertThat(switches.switchOf(agent, 79)).isEqualTo(-1);
    assertThat(switches.switchOf(agent, 80)).isEqualTo(0);
    assertThat(switches.switchOf(agent, 200)).isEqualTo(1);
    assertThat(plan.interventions().applied()).extracting(Interventions.Applied::name)
        .containsExactly("e2", "model m1");
  }
}
