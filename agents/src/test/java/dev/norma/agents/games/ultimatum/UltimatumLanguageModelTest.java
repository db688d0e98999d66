package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.RecordedRun;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.protocols.journal.MindState;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ultimatum game played through a language model, with the module's stand-in player answering
 * every turn in the reference loop: without reputation the offers made fall to the minimum, with
 * it they stay near 40% (the two regimes of Nowak, Page &amp; Sigmund, learned in context); a seed
 * gives one run, lending minds by saved state changes nothing, and a missing choice does what the
 * game says.
 */
class UltimatumLanguageModelTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "ultimatum-llm.yaml");
  private static final int ROUNDS = 30;
  private static final FakeAnswers FAKE = new UltimatumModule().fakeAnswers();

  /** The stand-in player's choice at every turn, read by the turn's parser; none when it names none. */
  private static final EncounterLoop.Model STAND_IN = (agent, index, turn) -> {
    ParsedChoice choice = turn.parser().parse(FAKE.answer(turn.prompt().system() + "\n\n" + turn.prompt().user(),
        bound -> 0));
    return choice instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
  };

  private static ExperimentSpec example(String... overrides) throws Exception {
    return SpecLoader.load(EXAMPLE, List.of(overrides));
  }

  private static UltimatumEncounters study(boolean reputation) throws Exception {
    return new UltimatumModule().encounters(example("game.settings.reputation=" + reputation), 7);
  }

  /** The mean offer made over the last {@code rounds} rounds of a study. */
  private static double meanOfferMade(RecordedRun run, int rounds) {
    return run.rows.subList(run.rows.size() - rounds, run.rows.size()).stream().mapToDouble(row -> row[0]).average()
        .orElseThrow();
  }

  private static RecordedRun run(EncounterLoop<UltimatumMind> loop, EncounterLoop.Model model) {
    return new RecordedRun().play(loop, ROUNDS, model);
  }

  @Test
  void theExampleIsAnLlmStudyOfTheModule() throws Exception {
    ExperimentSpec spec = example();
    assertThat(Games.forKind(spec.game().kind())).isInstanceOf(UltimatumModule.class);
    assertThat(spec.policy().kind()).isEqualTo("llm");
    assertThat(UltimatumModule.parameters(spec).reputation()).isTrue();
    UltimatumEncounters study = new UltimatumModule().encounters(spec, 1);
    assertThat(study.conversations()).isNotNull();
    assertThat(study.conversations().templatesSha256()).isEqualTo(UltimatumPromptTemplates.defaults().sha256());
    assertThat(study.newMeasures().columns()).isEqualTo(UltimatumRound.LANGUAGE_MODEL_COLUMNS);
    assertThat(study.populationStepAfter(9)).isFalse();
    assertThat(new UltimatumModule().encounters(example("policy.kind=rules"), 1).conversations()).isNull();
  }

  @Test
  void offersFallToTheMinimumWithoutReputationAndStayNear40WithIt() throws Exception {
    RecordedRun reason = run(new EncounterLoop<>(study(false), 20), STAND_IN);
    RecordedRun fairness = run(new EncounterLoop<>(study(true), 20), STAND_IN);
    System.out.printf("mean offer made, last 10 of %d rounds: no reputation %.3f, reputation %.3f%n", ROUNDS,
        meanOfferMade(reason, 10), meanOfferMade(fairness, 10));
    assertThat(reason.rows.get(0)[0]).as("the opening offers").isGreaterThan(0.4);
    assertThat(meanOfferMade(reason, 10)).isLessThan(0.15);
    assertThat(meanOfferMade(fairness, 10)).isGreaterThan(0.35);
    for (RecordedRun run : List.of(reason, fairness)) {
      assertThat(run.rows).allSatisfy(row -> assertThat(row[4]).as("invalidRate").isZero());
    }
  }

  @Test
  void aSeedGivesOneRunAndLendingMindsByStateChangesNothing() throws Exception {
    for (boolean reputation : new boolean[] {false, true}) {
      RecordedRun first = run(new EncounterLoop<>(study(reputation), 20), STAND_IN);
      RecordedRun again = run(new EncounterLoop<>(study(reputation), 20), STAND_IN);
      RecordedRun lent = run(new EncounterLoop<>(LentByState.of(study(reputation)), 20), STAND_IN);
      assertThat(again.outcomes).containsExactlyElementsOf(first.outcomes);
      assertThat(again.rows).containsExactlyElementsOf(first.rows);
      assertThat(lent.outcomes).containsExactlyElementsOf(first.outcomes);
      assertThat(lent.rows).containsExactlyElementsOf(first.rows);
    }
  }

  /** A negative control: minds lent without their state forget their past, and the run differs. */
  @Test
  void mindsLentWithoutTheirStatePlayAnotherRun() throws Exception {
    RecordedRun first = run(new EncounterLoop<>(study(true), 20), STAND_IN);
    RecordedRun forgetful = run(new EncounterLoop<>(LentByState.withoutState(study(true)), 20), STAND_IN);
    assertThat(forgetful.outcomes).hasSameSizeAs(first.outcomes);
    assertThat(forgetful.rows.get(ROUNDS - 1)).isNotEqualTo(first.rows.get(ROUNDS - 1));
  }

  @Test
  void aProposerNamingNoOfferMakesAnInvalidEncounterThatNobodyRemembers() throws Exception {
    UltimatumEncounters study = study(true);
    UltimatumMind[] pair = {study.newMind(0), study.newMind(1)};
    MindState[] before = {pair[0].save(), pair[1].save()};
    Exchange exchange = study.conversations().open(pair, 0);
    assertThat(exchange.next().role()).isEqualTo("proposer");
    assertThatThrownBy(exchange::next).isInstanceOf(IllegalStateException.class);
    exchange.choose(Turn.NO_CHOICE);
    assertThat(exchange.next()).isNull();
    assertThat(exchange.outcome()).containsExactly(Double.NaN, Double.NaN);
    assertThat(pair[0].save()).isEqualTo(before[0]);
    assertThat(pair[1].save()).isEqualTo(before[1]);

    // In a study, every proposal missing: every encounter invalid, no offer measured.
    EncounterLoop.Model silentProposers = (agent, index, turn) ->
        turn.number() == 0 ? Turn.NO_CHOICE : STAND_IN.choose(agent, index, turn);
    RecordedRun run = run(new EncounterLoop<>(study, 20), silentProposers);
    assertThat(run.rows).allSatisfy(row -> {
      assertThat(row[4]).as("invalidRate").isEqualTo(1.0);
      assertThat(row[0]).as("meanOfferMade").isNaN();
    });
  }

  @Test
  void aResponderNamingNoAnswerLetsTheOfferLapseAsARejection() throws Exception {
    UltimatumEncounters study = study(false);
    UltimatumMind[] pair = {study.newMind(0), study.newMind(1)};
    Exchange exchange = study.conversations().open(pair, 0);
    exchange.next();
    exchange.choose(6);
    Turn respond = exchange.next();
    assertThat(respond.number()).isEqualTo(1);
    assertThat(respond.participant()).isEqualTo(1);
    assertThat(respond.prompt().user()).contains("The proposer offers you 60 of the 100 points");
    exchange.choose(Turn.NO_CHOICE);
    assertThat(exchange.next()).isNull();
    assertThat(exchange.outcome()).containsExactly(0.6, 0.0);
    for (UltimatumMind mind : pair) {
      assertThat(mind.remembered()).isEqualTo(1);
      assertThat(mind.offerIn(0)).isEqualTo(60);
      assertThat(mind.acceptedIn(0)).isFalse();
    }
    assertThat(pair[0].role(0)).isEqualTo(UltimatumMind.Role.PROPOSER);
    assertThat(pair[1].payoffSinceRevision(UltimatumMind.Role.RESPONDER)).isZero();
  }
}
