package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator's copy of every agent, rebuilt from the recorded interactions alone, is the
 * plain loop's population after the same interactions, draw for draw; a record the agents would
 * not have made is refused, naming its interaction.
 */
class AgentLedgerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "population.size=40;stop.maxRounds=25;stop.onConvergence=false",
      "game.kind=binary-agreement;population.size=100;committed.fraction=0.1;policy.kind=rules;stop.maxRounds=30",
      "population.size=30;committed.count=4;committed.name=Q;committed.introduce=atRound 3;stop.maxRounds=20;stop.onConvergence=false",
  })
  void rebuildsEveryAgentAsThePlainLoopLeavesIt(String overrides) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: ledger\n", List.of(overrides.split(";"))).resolved().withSeed(17);
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    assertThat(AgentLedger.journalsAtCoordinator(plan, true)).isTrue();
    assertThat(AgentLedger.journalsAtCoordinator(plan, false)).isFalse();
    PlainLoop loop = new PlainLoop(plan);
    List<InteractionRecord> records = new ArrayList<>();
    loop.run(records::add, row -> { });

    AgentLedger ledger = new AgentLedger(new StudyPlan(spec, spec.seed()));
    int[] played = new int[plan.populationSize()];
    for (InteractionRecord record : records) {
      ledger.apply(record);
      played[record.initiator()]++;
      played[record.responder()]++;
    }
    for (int agent = 0; agent < plan.populationSize(); agent++) {
      assertThat(ledger.nextSequence(agent)).as("agent %d's turns", agent).isEqualTo(played[agent]);
      if (played[agent] > 0) {
        assertThat(ledger.mind(agent)).as("agent %d's mind", agent).isEqualTo(loop.mind(agent).save());
      } else {
        assertThat(ledger.mind(agent)).isNull();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"word", "success", "inventory"})
  void refusesARecordItsAgentsWouldNotHaveMade(String changed) throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: ledger\n",
        List.of("population.size=20", "stop.maxRounds=10", "stop.onConvergence=false")).resolved().withSeed(3);
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    List<InteractionRecord> records = new ArrayList<>();
    new PlainLoop(plan).run(records::add, row -> { });
    AgentLedger ledger = new AgentLedger(plan);
    for (int i = 0; i < 50; i++) {
      ledger.apply(records.get(i));
    }
    InteractionRecord r = records.get(50);
    InteractionRecord wrong = switch (changed) {
      case "word" -> new InteractionRecord(r.index(), r.initiator(), r.responder(), r.initiatorWord() + 1000,
          r.responderWord(), r.success(), r.valid(), r.initiatorCommitted(), r.responderCommitted(),
          r.initiatorInventory(), r.responderInventory(), r.initiatorSole(), r.responderSole());
      case "success" -> new InteractionRecord(r.index(), r.initiator(), r.responder(), r.initiatorWord(),
          r.responderWord(), !r.success(), r.valid(), r.initiatorCommitted(), r.responderCommitted(),
          r.initiatorInventory(), r.responderInventory(), r.initiatorSole(), r.responderSole());
      default -> new InteractionRecord(r.index(), r.initiator(), r.responder(), r.initiatorWord(),
          r.responderWord(), r.success(), r.valid(), r.initiatorCommitted(), r.responderCommitted(),
          r.initiatorInventory(), r.responderInventory() + 1, r.initiatorSole(), r.responderSole());
    };
    assertThatThrownBy(() -> ledger.apply(wrong)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("interaction 50").hasMessageContaining("does not match this study");
  }
}
