package dev.norma.agents.games.higherorder;

import static dev.norma.agents.encounter.RecordedRun.exactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Specs;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.RecordedRun;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.LentByState;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.ParsedChoice;
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
 * The higher-order naming game played through language models: what its prompts show, what the
 * stand-in answers choose, and whole studies of 30 agents with the stand-in answering every turn
 * through {@link EncounterLoop}: consensus without a committed minority, a flip to A with a large
 * one, none with a small one, the same run for the same seed and through minds lent by state.
 */
class HigherOrderLanguageModelTest {
  private static final int N = 30;
  private static final HigherOrderModule MODULE = new HigherOrderModule();
  private static final HigherOrderFakeAnswers FAKE = new HigherOrderFakeAnswers();
  private static final String BASE = """
      game: {kind: higher-order-naming}
      population: {size: 30}
      policy: {kind: llm}
      inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
      stop: {onConvergence: true, onFlip: false, maxRounds: 400}
      """;

  private static ExperimentSpec spec(String... overrides) {
    return Specs.parse(BASE, overrides);
  }

  /**
   * The stand-in model: the fake answer to the turn's prompt as the server would get it, read by
   * the turn's parser; its ties are broken by a stream of the run seed and the decision.
   */
  private static EncounterLoop.Model fakeModel(long seed, List<int[]> asked) {
    return (agent, index, turn) -> {
      asked.add(new int[] {agent, (int) index, turn.number()});
      Streams.RandomStream ties = new Streams.RandomStream(seed, Streams.mix64(index * 31 + turn.number()) ^ agent);
      String answer = FAKE.answer(turn.prompt().system() + "\n\n" + turn.prompt().user(), ties::nextInt);
      ParsedChoice choice = turn.parser().parse(answer);
      return choice instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
    };
  }

  /** What a study produced, and every turn its model was asked ({@code [agent, encounter index]}). */
  private static final class Recording extends RecordedRun {
    final List<int[]> asked = new ArrayList<>();
  }

  private static Recording run(EncounterGame<ConventionMind> game, long seed, long maxRounds) {
    Recording recording = new Recording();
    return recording.play(new EncounterLoop<>(game, N), maxRounds, fakeModel(seed, recording.asked));
  }

  private static double column(double[] row, String name) {
    return row[HigherOrderMeasures.COLUMNS.indexOf(name)];
  }

  /** A fresh uncommitted mind on B that remembers {@code entries} (spoke, said, agreed). */
  private static ConventionMind mindRemembering(int memory, Object[]... entries) {
    ConventionMind mind = new ConventionMind(7, 1, ConventionMind.B).remembering(memory);
    for (Object[] entry : entries) {
      mind.remember((Boolean) entry[0], (Integer) entry[1], (Boolean) entry[2]);
    }
    return mind;
  }

  private static String answerTo(Turn turn) {
    return FAKE.answer(turn.prompt().system() + "\n\n" + turn.prompt().user(), bound -> 0);
  }

  private static String chosen(Turn turn) {
    return ((ParsedChoice.Accepted) turn.parser().parse(answerTo(turn))).name();
  }

  @Test
  void thePromptsShowTheRulesTheMemoryTheNameSaidAndTheEarlierReplies() {
    HigherOrderPrompts prompts = new HigherOrderPrompts(List.of("M", "Q"), 3, null);
    ConventionMind mind = mindRemembering(5, new Object[] {true, ConventionMind.A, true},
        new Object[] {false, ConventionMind.B, false});

    var speaker = prompts.speaker(mind, List.of(ConventionMind.B, ConventionMind.A));
    assertThat(speaker.system())
        .startsWith("You are one of a population of people who meet in small groups to settle on a name for an"
            + " object. There are two possible names: M and Q.\nIn each meeting 3 people take part:")
        .contains("The group can agree on the name only if every hearer accepts it")
        .contains("The aim is for the whole population to end up using one and the same name.")
        .endsWith("{'value': '<YOUR_CHOICE>'}");
    assertThat(speaker.user()).isEqualTo("""
        Your last 2 meetings, oldest first:
        Meeting 1: you were the speaker; the speaker said M; the group agreed on it.
        Meeting 2: you were a hearer; the speaker said Q; the group did not agree.
        In this meeting you are the speaker. Which name do you say: Q or M?
        Answer with the name you say, thinking step by step and ending with the final line in the format given\
         above.""");
    assertThat(speaker.optionOrder()).containsExactly(ConventionMind.B, ConventionMind.A);
    assertThat(speaker.currentRound()).isEqualTo(3);

    var hearer = prompts.hearer(mindRemembering(5), ConventionMind.A,
        new int[] {HigherOrderPrompts.REFUSE, HigherOrderPrompts.ACCEPT}, 1);
    assertThat(hearer.user()).isEqualTo("""
        In this meeting you are a hearer. The speaker said M.
        Hearer 1 refused M.
        Do you accept M for the group? Reply accept or refuse.
        Answer with your reply, thinking step by step and ending with the final line in the format given above.""");
    assertThat(hearer.system()).isEqualTo(speaker.system());
    assertThat(hearer.templatesSha256()).isEqualTo(prompts.templatesSha256()).hasSize(64);
    assertThat(prompts.templateHashes()).hasSize(7).containsKey("higher-order.system.txt")
        .containsKey("higher-order.summary.txt");
    assertThat(FAKE.reads(speaker.text())).isTrue();
    assertThat(FAKE.reads(hearer.text())).isTrue();
    assertThat(FAKE.reads("Context: Player 1 is playing a multi-round partnership game")).isFalse();
  }

  @Test
  void theNamesAreListedAlphabeticallySoTheRulesDoNotMarkTheCommittedOnes() {
    HigherOrderPrompts prompts = new HigherOrderPrompts(List.of("Zeta", "Alpha"), 4, null);
    var prompt = prompts.speaker(mindRemembering(5), List.of(ConventionMind.A, ConventionMind.B));
    assertThat(prompt.system()).contains("There are two possible names: Alpha and Zeta.").contains("4 people");
    assertThat(prompt.user()).startsWith("In this meeting you are the speaker. Which name do you say: Zeta or Alpha?");
  }

  @Test
  void contextTokensCutTheOldestRememberedMeetings() {
    Object[][] five = new Object[5][];
    for (int i = 0; i < 5; i++) {
      five[i] = new Object[] {false, i < 3 ? ConventionMind.A : ConventionMind.B, true};
    }
    ConventionMind mind = mindRemembering(5, five);
    // A line is 76 characters and its line break, 20 tokens: 45 tokens keep the newest two.
    List<String> all = new HigherOrderPrompts(List.of("M", "Q"), 3, null).history(mind);
    List<String> cut = new HigherOrderPrompts(List.of("M", "Q"), 3, 45).history(mind);
    assertThat(all).hasSize(5);
    assertThat(cut).containsExactly(
        "Meeting 1: you were a hearer; the speaker said Q; the group agreed on it.",
        "Meeting 2: you were a hearer; the speaker said Q; the group agreed on it.");
    assertThat(new HigherOrderPrompts(List.of("M", "Q"), 3, 5).history(mind)).isEmpty();

    // Through the spec: what was M three times to Q twice is shown as Q twice, and the speaker says Q.
    HigherOrderEncounters game = MODULE.encounters(spec("policy.llm.contextTokens=45", "game.settings.memory=5"), 1);
    ConventionMind speaker = game.newMind(0);
    for (Object[] entry : five) {
      speaker.remember((Boolean) entry[0], (Integer) entry[1], (Boolean) entry[2]);
    }
    Turn turn = game.conversations().open(new ConventionMind[] {speaker, game.newMind(1), game.newMind(2)}, 0).next();
    assertThat(turn.prompt().user()).contains("Your last 2 meetings").doesNotContain("Meeting 3");
    assertThat(chosen(turn)).isEqualTo("Q");
  }

  @Test
  void theMemoryKeepsTheNewestEncountersAndTravelsInTheSavedState() {
    ConventionMind mind = mindRemembering(2, new Object[] {true, ConventionMind.A, true},
        new Object[] {false, ConventionMind.B, false}, new Object[] {false, ConventionMind.A, true});
    assertThat(mind.remembered()).isEqualTo(2);
    assertThat(mind.rememberedEncounter(0)).isEqualTo(new EncounterMemory.Entry(false, ConventionMind.B, false));
    assertThat(mind.rememberedEncounter(1)).isEqualTo(new EncounterMemory.Entry(false, ConventionMind.A, true));

    ConventionMind restored = new ConventionMind(7, 1, ConventionMind.A).remembering(2);
    restored.restore(mind.save());
    assertThat(restored.state()).isEqualTo(ConventionMind.B);
    assertThat(restored.remembered()).isEqualTo(2);
    assertThat(restored.rememberedEncounter(0)).isEqualTo(mind.rememberedEncounter(0));
    assertThat(restored.rememberedEncounter(1)).isEqualTo(mind.rememberedEncounter(1));

    ConventionMind ruleMind = new ConventionMind(7, 1, ConventionMind.B);
    ruleMind.remember(true, ConventionMind.B, true);
    assertThat(ruleMind.remembered()).as("a rule-based mind remembers nothing").isZero();
    assertThat(ruleMind.save().contents()).as("and saves what it knows alone").containsExactly(2);
    assertThatThrownBy(() -> ruleMind.restore(mind.save())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFakeSpeakerSaysItsMostRememberedNameAndAHearerGoesAlongWithWhatItKnows() {
    HigherOrderEncounters game = MODULE.encounters(spec(), 1);
    ConventionMind sawQ = mindRemembering(5, new Object[] {false, ConventionMind.B, true},
        new Object[] {false, ConventionMind.B, true}, new Object[] {true, ConventionMind.A, false});
    ConventionMind sawM = mindRemembering(5, new Object[] {false, ConventionMind.A, true},
        new Object[] {false, ConventionMind.A, false});
    ConventionMind sawBothOnce = mindRemembering(5, new Object[] {false, ConventionMind.A, true},
        new Object[] {false, ConventionMind.B, false});
    ConventionMind sawNothing = mindRemembering(5);

    // Speaker remembers Q most: says Q. First hearer saw M most: refuses. The second saw both
    // once: it follows an accepting group only, so it refuses after the refusal.
    Exchange exchange = game.conversations().open(new ConventionMind[] {sawQ, sawM, sawBothOnce}, 0);
    Turn speaker = exchange.next();
    assertThat(speaker.role()).isEqualTo("speaker");
    assertThat(speaker.options()).containsExactlyInAnyOrder("M", "Q");
    assertThat(answerTo(speaker)).endsWith("{'value': 'Q'}");
    exchange.choose(speaker.parser().parse(answerTo(speaker)) instanceof ParsedChoice.Accepted a ? a.option() : -9);
    Turn first = exchange.next();
    assertThat(first.role()).isEqualTo("hearer");
    assertThat(first.options()).containsExactly("accept", "refuse");
    assertThat(chosen(first)).isEqualTo("refuse");
    exchange.choose(HigherOrderPrompts.REFUSE);
    Turn second = exchange.next();
    assertThat(second.prompt().user()).contains("Hearer 1 refused Q.");
    assertThat(chosen(second)).isEqualTo("refuse");
    exchange.choose(HigherOrderPrompts.REFUSE);
    assertThat(exchange.next()).isNull();
    assertThat(exchange.outcome()).containsExactly(0, ConventionMind.B);

    // After an acceptance the hearer that saw both once goes along; one that saw nothing is open.
    ConventionMind speaker2 = mindRemembering(5, new Object[] {false, ConventionMind.B, true});
    Exchange along = game.conversations().open(new ConventionMind[] {speaker2, sawNothing,
        mindRemembering(5, new Object[] {false, ConventionMind.A, true}, new Object[] {false, ConventionMind.B, false})},
        1);
    along.choose(indexOf(along.next(), "Q"));
    Turn open = along.next();
    assertThat(chosen(open)).isEqualTo("accept");
    along.choose(HigherOrderPrompts.ACCEPT);
    Turn follows = along.next();
    assertThat(follows.prompt().user()).contains("Hearer 1 accepted Q.");
    assertThat(chosen(follows)).isEqualTo("accept");
    along.choose(HigherOrderPrompts.ACCEPT);
    assertThat(along.next()).isNull();
    assertThat(along.outcome()).containsExactly(1, ConventionMind.B);
  }

  private static int indexOf(Turn turn, String option) {
    return turn.options().indexOf(option);
  }

  @Test
  void unanimityCollapsesTheGroupAndARefusalTeachesTheNameAsTheRuleDoes() {
    HigherOrderEncounters game = MODULE.encounters(spec(), 1);
    ConventionMind[] group = {game.newMind(0), game.newMind(1), game.newMind(2)};
    Exchange refused = game.conversations().open(group, 0);
    refused.choose(indexOf(refused.next(), "M"));
    refused.next();
    refused.choose(HigherOrderPrompts.ACCEPT);
    refused.next();
    refused.choose(Turn.NO_CHOICE);
    assertThat(refused.next()).as("a hearer without a choice refuses").isNull();
    assertThat(refused.outcome()).containsExactly(0, ConventionMind.A);
    for (ConventionMind mind : group) {
      assertThat(mind.state()).as("everyone said or heard M, and knew Q").isEqualTo(ConventionMind.AB);
      assertThat(mind.remembered()).isOne();
    }
    assertThat(group[0].rememberedEncounter(0)).isEqualTo(new EncounterMemory.Entry(true, ConventionMind.A, false));
    assertThat(group[1].rememberedEncounter(0)).isEqualTo(new EncounterMemory.Entry(false, ConventionMind.A, false));

    Exchange agreed = game.conversations().open(group, 1);
    agreed.choose(indexOf(agreed.next(), "M"));
    agreed.next();
    agreed.choose(HigherOrderPrompts.ACCEPT);
    agreed.next();
    agreed.choose(HigherOrderPrompts.ACCEPT);
    assertThat(agreed.next()).isNull();
    assertThat(agreed.outcome()).containsExactly(1, ConventionMind.A);
    assertThat(group).allSatisfy(mind -> assertThat(mind.state()).isEqualTo(ConventionMind.A));
  }

  @Test
  void aSpeakerWithoutAChoiceMakesTheEncounterInvalidAndChangesNothing() {
    HigherOrderEncounters game = MODULE.encounters(spec(), 1);
    ConventionMind[] group = {game.newMind(0), game.newMind(1), game.newMind(2)};
    Exchange exchange = game.conversations().open(group, 0);
    Turn speaker = exchange.next();
    List<String> before = Arrays.stream(group).map(m -> Arrays.toString(m.save().contents())).toList();
    exchange.choose(Turn.NO_CHOICE);
    assertThat(exchange.next()).isNull();
    assertThat(exchange.outcome()).containsExactly(0, HigherOrderConversations.INVALID);
    assertThat(Arrays.stream(group).map(m -> Arrays.toString(m.save().contents())).toList()).isEqualTo(before);
    assertThat(group).allSatisfy(mind -> assertThat(mind.remembered()).isZero());
    assertThatThrownBy(() -> exchange.choose(0)).isInstanceOf(IllegalStateException.class);
    assertThat(speaker.number()).isZero();
  }

  @Test
  void withoutACommittedMinorityTheModelsReachConsensus() {
    for (long seed : new long[] {1, 2, 3}) {
      Recording study = run(MODULE.encounters(spec("committed.count=0"), seed), seed, 400);
      assertThat(study.reason).as("seed %d", seed).isEqualTo("converged");
      double[] last = study.lastRow();
      assertThat(Math.max(column(last, "onA"), column(last, "onB"))).isEqualTo(1.0);
      assertThat(study.rows.size()).as("seed %d", seed).isGreaterThan(1);
      System.out.printf("no committed, seed %d: consensus on %s after %d rounds%n", seed,
          column(last, "onA") == 1 ? "A" : "B", study.rows.size());
    }
  }

  @Test
  void aLargeCommittedMinorityFlipsThePopulationToA() {
    for (long seed : new long[] {1, 2, 3}) {
      Recording study = run(MODULE.encounters(spec("committed.fraction=0.3"), seed), seed, 400);
      assertThat(study.reason).as("seed %d", seed).isEqualTo("converged");
      assertThat(column(study.lastRow(), "onA")).isEqualTo(1.0);
      assertThat(column(study.rows.get(0), "onA")).isLessThan(1.0);
      System.out.printf("committed 0.3, seed %d: all on A after %d rounds%n", seed, study.rows.size());
    }
  }

  /**
   * The negative control: from a blank start the first groups' choices race to a name, and one
   * committed agent of 30 does not always win the race (with seed 1 it loses); once the
   * population shares B, it holds.
   */
  @Test
  void aSingleCommittedAgentDoesNotAlwaysTipThePopulation() {
    Recording study = run(MODULE.encounters(spec("committed.count=1", "stop.onConvergence=false"), 1), 1, 100);
    assertThat(study.rows).hasSize(100);
    // The committed agent keeps teaching M to a few (undecided), but nobody keeps M alone.
    assertThat(study.rows.subList(20, 100)).allSatisfy(row -> {
      assertThat(column(row, "onA")).isZero();
      assertThat(column(row, "onB")).isGreaterThan(0.8);
    });
  }

  @Test
  void committedAgentsAreNeverAskedAndEveryOtherParticipantIsAskedOnce() {
    Recording study = run(MODULE.encounters(spec("committed.fraction=0.3", "stop.onConvergence=false"), 4), 4, 5);
    HigherOrderEncounters game = MODULE.encounters(spec("committed.fraction=0.3"), 4);
    Set<Integer> committed = new HashSet<>();
    for (int id = 0; id < N; id++) {
      if (game.newMind(id).committedAt(0)) {
        committed.add(id);
      }
    }
    assertThat(committed).hasSize(9);
    assertThat(study.asked).isNotEmpty().noneMatch(call -> committed.contains(call[0]));
    long expected = 0;
    for (int[] members : study.groups) {
      expected += Arrays.stream(members).filter(id -> !committed.contains(id)).count();
    }
    assertThat(study.asked).hasSize((int) expected);
    assertThat(study.asked).allSatisfy(call -> {
      int[] members = study.groups.get(call[1]);
      assertThat(members[call[2]]).as("the turn's number is the actor's place in the group").isEqualTo(call[0]);
    });
  }

  @Test
  void theSameSeedPlaysTheSameStudyAndLendingMindsByStateChangesNothing() {
    HigherOrderEncounters game = MODULE.encounters(spec("committed.fraction=0.2", "stop.onConvergence=false"), 5);
    Recording plain = run(game, 5, 20);
    Recording again = run(MODULE.encounters(spec("committed.fraction=0.2", "stop.onConvergence=false"), 5), 5, 20);
    Recording lent = run(LentByState.of(game), 5, 20);
    Recording other = run(MODULE.encounters(spec("committed.fraction=0.2", "stop.onConvergence=false"), 6), 6, 20);

    assertThat(exactly(again.outcomes)).isEqualTo(exactly(plain.outcomes));
    assertThat(exactly(again.rows)).isEqualTo(exactly(plain.rows));
    assertThat(exactly(lent.outcomes)).isEqualTo(exactly(plain.outcomes));
    assertThat(exactly(lent.rows)).isEqualTo(exactly(plain.rows));
    assertThat(exactly(other.rows)).isNotEqualTo(exactly(plain.rows));
    Recording forgetful = run(LentByState.withoutState(game), 5, 20);
    assertThat(exactly(forgetful.rows)).as("a lending that drops the memory is caught").isNotEqualTo(
        exactly(plain.rows));
  }

  @Test
  void theExampleLoadsAndTipsToTheCommittedName() throws SpecException {
    ExperimentSpec example = SpecLoader.load(java.nio.file.Path.of("..", "examples", "higher-order-naming-llm.yaml"),
        List.of());
    assertThat(example.population().size()).isEqualTo(N);
    assertThat(example.committedCount()).isEqualTo(6);
    assertThat(example.policy().llm().seed()).isNotNull();
    Recording study = run(MODULE.encounters(example, example.seed()), example.seed(), example.stop().maxRounds());
    assertThat(study.reason).isEqualTo("converged");
    assertThat(column(study.lastRow(), "onA")).isEqualTo(1.0);
    assertThat(study.asked.size()).isLessThan(example.inference().budget().maxCalls().intValue() / 4);
    System.out.printf("example: all on M after %d rounds, %d model calls%n", study.rows.size(), study.asked.size());
  }

  @Test
  void theModuleAcceptsTheLanguageModelPolicyWithItsSettings() {
    assertThat(problems(BASE)).isEmpty();
    assertThat(problems(BASE, "game.settings.nameA=Q", "game.settings.nameB=Q")).containsExactly(
        "game.settings.nameB: expected a name of 1 to 40 letters, digits, '_' or '-', other than nameA ('Q'),"
            + " got 'Q'");
    assertThat(problems(BASE, "game.settings.nameA=two words")).containsExactly(
        "game.settings.nameA: expected a name of 1 to 40 letters, digits, '_' or '-', got 'two words'");
    assertThat(problems(BASE, "game.settings.memory=0")).containsExactly(
        "game.settings.memory: expected a whole number in 1..1000, got 0");
    assertThat(problems("game: {kind: higher-order-naming}", "game.settings.memory=3")).containsExactly(
        "game.settings.memory: applies only to language-model agents (policy.kind: llm)");

    HigherOrderEncounters game = MODULE.encounters(spec("game.settings.nameA=Kay", "game.settings.nameB=Ell",
        "game.settings.memory=8"), 1);
    assertThat(game.conversations().prompts().names()).containsExactly("Kay", "Ell");
    assertThat(MODULE.encounters(spec("game.settings.nameA=Q"), 1).conversations().prompts().names())
        .containsExactly("Q", "M");
    assertThat(MODULE.settingsInForce(spec())).containsEntry("nameA", "M").containsEntry("nameB", "Q")
        .containsEntry("memory", 5);
    assertThat(MODULE.mindBytes(spec())).isEqualTo(40 + 24 + 40 + 56); // the ring, and the context recall
    assertThat(MODULE.mindBytes(Specs.of("game.kind=higher-order-naming"))).isEqualTo(40);
    assertThat(MODULE.encounters(Specs.of("game.kind=higher-order-naming"), 1).conversations()).isNull();
    assertThatThrownBy(() -> new EncounterLoop<>(MODULE.encounters(spec(), 1), N).playNext(null))
        .as("a study under llm is not played by rule").isInstanceOf(IllegalStateException.class);
    assertThat(MODULE.fakeAnswers()).isInstanceOf(HigherOrderFakeAnswers.class);
    assertThat(MODULE.whyItMayNotConverge(spec("committed.fraction=0.3"), 0.3)).contains("not known");
  }

  private static List<String> problems(String yaml, String... overrides) {
    try {
      SpecLoader.parse(yaml, List.of(overrides));
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }
}
