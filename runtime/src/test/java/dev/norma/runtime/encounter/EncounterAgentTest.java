package dev.norma.runtime.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent of an encounter game hears of encounters more than once, and late, when its run
 * restarts from its journal (a lost node, a moved coordinator): whatever comes in whichever order,
 * it lends only the mind its turn needs, to every encounter of that turn that asks, and never gets
 * stuck holding a mind lent to an encounter that ended.
 */
class EncounterAgentTest {
  private static final Duration QUIET = Duration.ofMillis(200);
  private static ActorTestKit kit;
  private static EncounterGame<? extends Mind> game;
  private static MindState first;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(ConfigFactory.load()));
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", "ultimatum.yaml"), List.of()).withSeed(3);
    game = EncounterRuns.gameOf(spec);
    first = game.newMind(0).save();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A mind agent 0 may have after some encounters (its random stream moved on {@code steps}). */
  private static MindState after(int steps) {
    return new MindState(first.randomState() + steps, first.committedFromIndex(), first.contents());
  }

  private final TestProbe<Encounter.Command> encounter = kit.createTestProbe();
  private final TestProbe<Encounter.Command> redone = kit.createTestProbe();
  private final ActorRef<EncounterAgent.Command> agent = kit.spawn(EncounterAgent.create(game, 0));

  private void lend(long slot, int turn, TestProbe<Encounter.Command> to) {
    agent.tell(new EncounterAgent.Lend(slot, turn, 1, to.getRef()));
  }

  private static MindState lent(TestProbe<Encounter.Command> to) {
    Encounter.Lent lent = to.expectMessageClass(Encounter.Lent.class);
    assertThat(lent.position()).isEqualTo(1);
    return lent.state();
  }

  @Test
  void aReturnThatComesAfterARestoreIsDropped() {
    lend(5, 0, encounter);
    assertThat(lent(encounter)).isEqualTo(first);
    // Slot 5 was settled, and its Return is late: the restarted coordinator restores turn 1.
    agent.tell(new EncounterAgent.Restore(1, after(1)));
    agent.tell(new EncounterAgent.Return(5, after(99)));
    lend(9, 1, encounter);
    assertThat(lent(encounter)).isEqualTo(after(1));
    agent.tell(new EncounterAgent.Return(9, after(2)));
    lend(12, 2, encounter);
    assertThat(lent(encounter)).isEqualTo(after(2));
  }

  @Test
  void anEncounterRedoneInTheSameSlotIsLentTheSameMindAgain() {
    lend(5, 0, encounter);
    assertThat(lent(encounter)).isEqualTo(first);
    // Nothing of its was settled when the run restarted: it stays lent to slot 5, which is redone.
    agent.tell(new EncounterAgent.Restore(0, first));
    lend(5, 0, redone);
    assertThat(lent(redone)).isEqualTo(first);
    agent.tell(new EncounterAgent.Return(5, after(1)));
    lend(7, 1, redone);
    assertThat(lent(redone)).isEqualTo(after(1));
  }

  @Test
  void aLendForASettledTurnIsDroppedAndTheNextTurnIsLent() {
    agent.tell(new EncounterAgent.Restore(3, after(3)));
    lend(2, 1, encounter); // from an encounter of an earlier coordinator, settled since
    encounter.expectNoMessage(QUIET);
    lend(8, 3, encounter);
    assertThat(lent(encounter)).isEqualTo(after(3));
  }

  @Test
  void anAgentReCreatedOnAnotherNodeWaitsForItsRestore() {
    // Its shard moved: the first it hears of is a later turn, and a stale request for an earlier one.
    lend(8, 3, redone);
    lend(4, 2, encounter);
    redone.expectNoMessage(QUIET);
    encounter.expectNoMessage(Duration.ZERO);
    agent.tell(new EncounterAgent.Restore(3, after(3)));
    assertThat(lent(redone)).isEqualTo(after(3));
    encounter.expectNoMessage(QUIET);
  }

  @Test
  void everyRequestForTheTurnThatComesIsLentWhenBothTheOldAndTheRedoneEncounterAsked() {
    lend(5, 0, encounter);
    lent(encounter);
    lend(9, 1, encounter); // the next encounter, asking before the restart
    agent.tell(new EncounterAgent.Restore(0, first));
    lend(9, 1, redone); // the same encounter, redone
    agent.tell(new EncounterAgent.Return(5, after(1)));
    assertThat(lent(encounter)).isEqualTo(after(1));
    assertThat(lent(redone)).isEqualTo(after(1));
  }

  @Test
  void aRestoreBehindItsTurnChangesNothing() {
    lend(5, 0, encounter);
    lent(encounter);
    agent.tell(new EncounterAgent.Return(5, after(1)));
    agent.tell(new EncounterAgent.Restore(0, first)); // late, from a restart before slot 5 was settled
    lend(6, 1, encounter);
    assertThat(lent(encounter)).isEqualTo(after(1));
  }
}
