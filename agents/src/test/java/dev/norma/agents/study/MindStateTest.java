package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Mind;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A mind restored from its saved state goes on exactly as the mind it was saved from. */
class MindStateTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"game.kind=naming", "game.kind=minimal-naming;policy.kind=rules",
      "game.kind=binary-agreement;policy.kind=rules;committed.fraction=0.2"})
  void aRestoredMindPlaysOnLikeTheOriginal(String overrides) throws Exception {
    StudyPlan plan = new StudyPlan(SpecLoader.parse("population: {size: 20}", List.of(overrides.split(";"))), 5);
    Mind[] original = new Mind[20];
    for (int i = 0; i < 20; i++) {
      original[i] = plan.newMind(i);
    }
    PairSchedule schedule = plan.newSchedule();
    long index = 0;
    for (; index < 300; index++) {
      long pair = schedule.next();
      PlainLoop.play(plan.game(), original[PairSchedule.initiator(pair)], original[PairSchedule.responder(pair)], index);
    }
    Mind[] restored = new Mind[20];
    for (int i = 0; i < 20; i++) {
      restored[i] = plan.newMind(i);
      restored[i].restore(original[i].save());
      assertThat(restored[i].save()).isEqualTo(original[i].save());
    }
    List<InteractionRecord> fromOriginal = new ArrayList<>();
    List<InteractionRecord> fromRestored = new ArrayList<>();
    for (; index < 600; index++) {
      long pair = schedule.next();
      int a = PairSchedule.initiator(pair);
      int b = PairSchedule.responder(pair);
      fromOriginal.add(PlainLoop.play(plan.game(), original[a], original[b], index));
      fromRestored.add(PlainLoop.play(plan.game(), restored[a], restored[b], index));
    }
    assertThat(fromRestored).isEqualTo(fromOriginal);
  }
}
