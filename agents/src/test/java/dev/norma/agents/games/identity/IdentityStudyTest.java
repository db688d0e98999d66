package dev.norma.agents.games.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.encounter.Utterance;
import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code game.kind: identity}: found by kind; its examples load; what the study cannot honour is
 * an error at the field that asks for it; the rule-based debaters write transcripts whose figures
 * follow their drift; and the fake server's stand-in, answering the rendered prompts, drifts
 * towards "we" as the debate goes on, less under the unique identity. A judge model ({@code
 * scoring: judge}) reads every line after the debate, through turns of its own, and on the
 * stand-in's text agrees with the word rules.
 */
class IdentityStudyTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @org.junit.jupiter.api.io.TempDir
  Path temp;

  private static ExperimentSpec example(String file, String... overrides) throws SpecException {
    return SpecLoader.load(EXAMPLES.resolve(file), List.of(overrides)).resolved();
  }

  private static List<String> problems(String file, String... overrides) {
    try {
      example(file, overrides);
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  /** Rows and transcripts of a loop over {@code rounds} rounds. */
  private record Played(List<double[]> rows, List<Utterance> lines, List<String> columns) {
    double last(String column) {
      return rows.get(rows.size() - 1)[columns.indexOf(column)];
    }
  }

  private static Played play(ExperimentSpec spec, EncounterLoop.Model model) {
    IdentityEncounters game = new IdentityModule().encounters(spec, spec.seed());
    EncounterLoop<IdentityMind> loop = new EncounterLoop<>(game, spec.population().size());
    List<double[]> rows = new ArrayList<>();
    List<Utterance> lines = new ArrayList<>();
    loop.run(spec.stop().maxRounds(), new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
      }

      @Override
      public void round(long round, double[] row) {
        rows.add(row);
      }

      @Override
      public void transcript(long index, int[] members, List<Utterance> said) {
        lines.addAll(said);
      }
    }, model);
    return new Played(rows, lines, loop.measures().columns());
  }

  /** The fake server's stand-in as a model of the loop. */
  static EncounterLoop.Model fakeModel() {
    IdentityFakeAnswers fake = new IdentityFakeAnswers();
    return new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        throw new AssertionError("a debate asks no choices");
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        assertThat(fake.reads(turn.prompt().text())).isTrue();
        return fake.answer(turn.prompt().text(), bound -> 0);
      }
    };
  }

  @Test
  void theStudyIsFoundByKind() {
    assertThat(Games.forKind("identity")).isInstanceOf(IdentityModule.class);
    assertThat(GameSection.forKind("identity")).containsInstanceOf(IdentityModule.class);
    assertThat(Games.fakeAnswers()).anyMatch(answers -> answers instanceof IdentityFakeAnswers);
  }

  @Test
  void theExamplesLoadWithEverySettingWrittenOut() throws Exception {
    ExperimentSpec spec = example("identity.yaml");
    IdentitySettings settings = IdentitySettings.of(spec.game());
    assertThat(settings.conditions()).extracting(IdentitySettings.Condition::name)
        .containsExactly("control", "assistant", "unique");
    assertThat(settings.inForce()).containsKeys("turns", "task", "completions", "conditions", "positive");
    assertThat(example("identity-llm.yaml").policy().kind()).isEqualTo("llm");
    assertThat(example("identity-large.yaml").population().size()).isEqualTo(20_000);
    IdentityPairs pairs = IdentityPairs.assign(IdentitySettings.of(example("identity-llm.yaml").game()),
        example("identity-llm.yaml").population(), 2024);
    // same (a, a), mixed (a, b), mixedUnique (a, b), in turn; group a is 0-7, group b 8-11
    assertThat(pairs.members(0)).containsExactly(0, 1);
    assertThat(pairs.members(1)).containsExactly(2, 8);
    assertThat(pairs.members(2)).containsExactly(3, 9);
    assertThat(pairs.members(3)).containsExactly(4, 5);
    assertThat(pairs.condition(5)).isEqualTo(2);
  }

  @Test
  void whatTheStudyCannotHonourIsAnErrorAtItsField() {
    assertThat(problems("identity.yaml", "game.settings.colour=red")).anyMatch(problem ->
        problem.startsWith("game.settings.colour: not a setting of this game"));
    assertThat(problems("identity.yaml", "game.settings.turns=0")).anyMatch(problem ->
        problem.startsWith("game.settings.turns: expected a whole number in 1..1000"));
    assertThat(problems("identity.yaml", "game.settings.condition=nothing")).anyMatch(problem ->
        problem.startsWith("game.settings.condition: expected one of the conditions [control, assistant, unique]"));
    assertThat(problems("identity.yaml", "population.size=25")).anyMatch(problem ->
        problem.startsWith("population.size: the in-group identity study seats every agent in a debate of 2"));
    assertThat(problems("identity.yaml", "game.settings.sides=x")).anyMatch(problem ->
        problem.startsWith("game.settings.sides: expected a list of texts"));
    assertThat(problems("identity-llm.yaml", "population.groups[1].ids=8-10", "population.size=11"))
        .isNotEmpty();
    assertThat(problems("identity-llm.yaml", "population.groups[1].ids=9-11")).anyMatch(problem ->
        problem.startsWith("game.settings.conditions: every agent sits in one of the 6 debates")
            && problem.contains("agents in no group: the seats take 0, the population has 1"));
    assertThat(problems("identity-llm.yaml", "population.groups[1].name=c")).anyMatch(problem ->
        problem.startsWith("game.settings.conditions[1].seats[1].group: expected a group of population.groups"));
    assertThat(problems("identity-llm.yaml", "policy.llm.contextOverflow=summarise")).anyMatch(problem ->
        problem.startsWith("policy.llm.contextOverflow: a debate starts afresh"));
    assertThat(problems("identity.yaml", "topology.kind=ring")).anyMatch(problem ->
        problem.startsWith("topology.kind: the pairs are the study's own"));
    assertThat(problems("identity.yaml", "topology.kind=rooms", "topology.size=2")).anyMatch(problem ->
        problem.startsWith("topology.kind: the pairs are the study's own") && problem.endsWith("got 'rooms'"));
  }

  @Test
  void aSeatNamingAnUnknownIdentityOrTheWrongNumberOfSeatsIsNamed() throws Exception {
    ExperimentSpec spec = example("identity.yaml");
    Map<String, Object> settings = new java.util.LinkedHashMap<>(spec.game().settings());
    settings.put("conditions", List.of(Map.of("name", "x", "seats", List.of(Map.of("identity", "nobody"),
        Map.of("identity", "none", "drift", 2))), Map.of("name", "y", "seats", List.of(Map.of("identity", "none")))));
    dev.norma.protocols.spec.SpecErrors errors = new dev.norma.protocols.spec.SpecErrors();
    IdentitySettings.checking(new dev.norma.protocols.spec.GameSpec("identity", null, null, null, null, settings),
        errors.at("game"));
    assertThat(errors.messages()).anyMatch(problem -> problem.startsWith(
        "game.settings.conditions[0].seats[0].identity: expected one of game.settings.identities"));
    assertThat(errors.messages()).anyMatch(problem -> problem.startsWith(
        "game.settings.conditions[0].seats[1].drift: expected a number in [0, 1], got 2"));
    assertThat(errors.messages()).anyMatch(problem -> problem.startsWith(
        "game.settings.conditions[1].seats: expected one seat per side (2"));
  }

  @Test
  void ruleBasedDebatersWriteTranscriptsWhoseFiguresFollowTheirDrift() throws Exception {
    ExperimentSpec spec = example("identity.yaml", "population.size=120", "stop.maxRounds=2");
    Played played = play(spec, null);

    // 60 pairs, 2 rounds, 6 turns and 4 completions a debate
    assertThat(played.lines()).hasSize(60 * 2 * 10);
    assertThat(played.lines()).allSatisfy(line -> {
      assertThat(line.model()).isEqualTo("rule");
      assertThat(line.text()).isNotEmpty();
      assertThat(line.tokens()).isEqualTo(IdentityText.tokens(line.text()).size());
    });
    assertThat(played.lines().subList(0, 10)).extracting(Utterance::role).containsExactly("debater", "debater",
        "debater", "debater", "debater", "debater", "we-are", "they-are", "we-are", "they-are");
    assertThat(played.lines().subList(0, 6)).extracting(Utterance::agent).containsExactly(0, 1, 0, 1, 0, 1);
    // The assistant identity drifts most (0.9), the unique one least (0.2).
    assertThat(played.last("assistant_wePer1k")).isGreaterThan(played.last("control_wePer1k"));
    assertThat(played.last("control_wePer1k")).isGreaterThan(played.last("unique_wePer1k"));
    assertThat(played.last("assistant_cooperative")).isGreaterThan(played.last("unique_cooperative"));
    assertThat(played.last("assistant_weDrift")).isPositive();
    assertThat(played.last("assistant_weAre")).isGreaterThan(played.last("unique_weAre"));
    assertThat(played.last("unique_wePer1kLow")).isLessThanOrEqualTo(played.last("unique_wePer1k"));
    assertThat(played.last("unique_wePer1kHigh")).isGreaterThanOrEqualTo(played.last("unique_wePer1k"));
    // The seed decides: the same spec plays the same debates.
    assertThat(play(spec, null).lines()).isEqualTo(played.lines());
  }

  @Test
  void oneConditionAloneIsASettingASweepCanVary() throws Exception {
    Played played = play(example("identity.yaml", "game.settings.condition=unique", "stop.maxRounds=1"), null);
    assertThat(played.columns()).containsExactly(java.util.stream.Stream.concat(
        java.util.stream.Stream.of("wePer1k", "cooperative"),
        IdentityMeasures.FIGURES.stream().map(figure -> "unique_" + figure)).toArray(String[]::new));
  }

  @Test
  void theStandInDriftsTowardsWeLessUnderTheUniqueIdentity() throws Exception {
    ExperimentSpec spec = example("identity-llm.yaml", "stop.maxRounds=1");
    Played played = play(spec, fakeModel());

    assertThat(played.lines()).hasSize(6 * 10);
    assertThat(played.lines()).extracting(Utterance::model).contains("model-a", "model-b");
    for (String condition : List.of("same", "mixed", "mixedUnique")) {
      assertThat(played.last(condition + "_weDrift")).as(condition).isPositive();
      assertThat(played.last(condition + "_invalid")).isZero();
    }
    assertThat(played.last("mixed_wePer1k")).isGreaterThan(played.last("mixedUnique_wePer1k"));
    assertThat(played.last("mixed_weAre")).isGreaterThan(played.last("mixedUnique_weAre"));
    // The first turn argues, the last cooperates as "we".
    Utterance first = played.lines().get(0);
    Utterance last = played.lines().get(5);
    assertThat(first.text()).startsWith("I argue for the motion").doesNotContain("We ");
    assertThat(last.text()).startsWith("We both want");
  }

  /**
   * The fake server's stand-in as the loop's model, judge included: a judge's verdict is its answer
   * read by the turn's parser; every judge's turn asked is kept in {@code judged}. With
   * {@code verdict} given, the judge answers that option's text instead of reading the line.
   */
  private static EncounterLoop.Model judgingModel(List<Turn> judged, String verdict) {
    IdentityFakeAnswers fake = new IdentityFakeAnswers();
    EncounterLoop.Model debater = fakeModel();
    return new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        assertThat(turn.judge()).isNotNull();
        assertThat(fake.reads(turn.prompt().text())).isTrue();
        judged.add(turn);
        String answer = verdict != null && turn.options().contains(verdict) ? verdict
            : verdict != null ? turn.options().get(turn.options().size() - 1)
            : fake.answer(turn.prompt().text(), bound -> 0);
        return turn.parser().parse(answer) instanceof dev.norma.agents.llm.ParsedChoice.Accepted accepted
            ? accepted.option() : Turn.NO_CHOICE;
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        return debater.say(agent, index, turn);
      }
    };
  }

  @Test
  void aJudgeModelReadsEveryLineAfterTheDebateAndAgreesWithTheRulesOnTheStandInsText() throws Exception {
    List<Turn> judged = new ArrayList<>();
    Played byJudge = play(example("identity-judge.yaml", "stop.maxRounds=1"), judgingModel(judged, null));
    List<Turn> none = new ArrayList<>();
    Played byRules = play(example("identity-judge.yaml", "stop.maxRounds=1", "game.settings.scoring=rules"),
        judgingModel(none, null));

    // One verdict a line with a text, after the debate's 10 lines, keyed past them; all to the judge's endpoint.
    assertThat(none).isEmpty();
    assertThat(judged).hasSize(6 * 10).allSatisfy(turn ->
        assertThat(turn.judge()).isEqualTo(new Turn.Judge(null, "judge")));
    assertThat(judged.subList(0, 10)).extracting(turn -> turn.role() + ":" + turn.number()).containsExactly(
        "judge-stance:10", "judge-stance:11", "judge-stance:12", "judge-stance:13", "judge-stance:14",
        "judge-stance:15", "judge-sentiment:16", "judge-sentiment:17", "judge-sentiment:18", "judge-sentiment:19");
    assertThat(judged.subList(0, 10)).extracting(Turn::participant).containsExactly(0, 1, 0, 1, 0, 1, 0, 0, 1, 1);
    assertThat(judged.get(0).options()).containsExactly("cooperative", "adversarial", "neutral");
    assertThat(judged.get(0).prompt().text()).contains("A debater arguing for the motion wrote this message at"
        + " turn 1 of 6:\n<message>\n" + byJudge.lines().get(0).text() + "\n</message>");
    assertThat(judged.get(6).prompt().text()).contains("complete \"We are\"");

    // The same debates, read by the judge and by the rules: the same figures.
    assertThat(byJudge.lines()).isEqualTo(byRules.lines());
    assertThat(byJudge.rows()).hasSameSizeAs(byRules.rows());
    for (int r = 0; r < byJudge.rows().size(); r++) {
      assertThat(byJudge.rows().get(r)).containsExactly(byRules.rows().get(r));
    }
    assertThat(byJudge.last("same_cooperative")).isPositive();
    assertThat(byJudge.last("same_weAre")).isBetween(-1.0, 1.0);

    // A judge that calls everything adversarial and negative moves the figures the rules do not.
    Played harsh = play(example("identity-judge.yaml", "stop.maxRounds=1"), judgingModel(new ArrayList<>(),
        "adversarial"));
    assertThat(harsh.last("same_cooperative")).isZero();
    assertThat(harsh.last("same_adversarial")).isEqualTo(1.0);
    assertThat(harsh.last("same_weAre")).isEqualTo(-1.0);
    assertThat(harsh.last("same_wePer1k")).isEqualTo(byRules.last("same_wePer1k"));
  }

  /**
   * {@code scoring: both} asks the judge as {@code judge} does and keeps the rules' reading beside
   * it: the judge's figures stay the primary columns, the rules' are the {@code *Rules} ones, and
   * the two agree on every message's stance where the judge reads as the rules do. A judge that
   * calls everything adversarial agrees only on the messages the rules call adversarial too, and
   * no better than chance: kappa 0.
   */
  @Test
  void bothScoringsSetTheJudgesReadingBesideTheRulesWithTheirAgreement() throws Exception {
    List<Turn> judged = new ArrayList<>();
    Played both = play(example("identity-judge.yaml", "stop.maxRounds=1", "game.settings.scoring=both"),
        judgingModel(judged, null));
    Played byJudge = play(example("identity-judge.yaml", "stop.maxRounds=1"), judgingModel(new ArrayList<>(), null));
    Played byRules = play(example("identity-judge.yaml", "stop.maxRounds=1", "game.settings.scoring=rules"),
        judgingModel(new ArrayList<>(), null));

    assertThat(judged).hasSize(6 * 10);
    assertThat(both.columns()).startsWith(byJudge.columns().subList(0, 2 + IdentityMeasures.FIGURES.size())
        .toArray(String[]::new));
    assertThat(both.columns()).contains("same_cooperativeRules", "same_stanceAgreement", "same_stanceKappa")
        .hasSize(2 + 3 * (IdentityMeasures.FIGURES.size() + IdentityMeasures.COMPARED.size()));
    for (String condition : List.of("same", "mixed", "mixedUnique")) {
      for (String figure : IdentityMeasures.FIGURES) {
        assertThat(both.last(condition + "_" + figure)).as(condition + "_" + figure)
            .isEqualTo(byJudge.last(condition + "_" + figure));
      }
      for (String figure : List.of("cooperative", "adversarial", "weAre", "theyAre")) {
        assertThat(both.last(condition + "_" + figure + "Rules")).as(condition + "_" + figure + "Rules")
            .isEqualTo(byRules.last(condition + "_" + figure));
      }
      assertThat(both.last(condition + "_stanceAgreement")).isEqualTo(1.0);
      assertThat(both.last(condition + "_stanceKappa")).isEqualTo(1.0);
    }

    Played harsh = play(example("identity-judge.yaml", "stop.maxRounds=1", "game.settings.scoring=both"),
        judgingModel(new ArrayList<>(), "adversarial"));
    assertThat(harsh.last("same_cooperative")).isZero();
    assertThat(harsh.last("same_cooperativeRules")).isEqualTo(byRules.last("same_cooperative"));
    // Every debate turn has a text and a verdict: they agree on the rules' adversarial ones.
    assertThat(harsh.last("same_stanceAgreement")).isEqualTo(byRules.last("same_adversarial"));
    assertThat(harsh.last("same_stanceKappa")).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-12));
  }

  /** The problems of identity-judge.yaml with {@code judge} in place of its judge. */
  private static List<String> judgeProblems(String judge) throws Exception {
    Path file = java.nio.file.Files.createTempFile("identity-judge", ".yaml");
    try {
      java.nio.file.Files.writeString(file, java.nio.file.Files.readString(EXAMPLES.resolve("identity-judge.yaml"))
          .replace("judge: {endpoint: judge}", "judge: " + judge));
      SpecLoader.load(file, List.of()).resolved();
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void aJudgeNeedsTheLanguageModelPolicyAndAModelTheSpecHas() throws Exception {
    assertThat(problems("identity.yaml", "game.settings.scoring=judge")).anyMatch(problem ->
        problem.startsWith("game.settings.judge: scoring: judge needs its model"));
    assertThat(problems("identity-judge.yaml", "policy.kind=rules"))
        .anyMatch(problem -> problem.startsWith("game.settings.scoring: a judge model is asked through the run's"
            + " gateway"));
    assertThat(problems("identity.yaml", "game.settings.scoring=jury")).anyMatch(problem ->
        problem.startsWith("game.settings.scoring: expected 'rules', 'judge' or 'both'"));
    assertThat(judgeProblems("{endpoint: oracle}")).anyMatch(problem -> problem.startsWith(
        "game.settings.judge.endpoint: expected an endpoint of inference.endpoints [model-a, model-b, judge], got"
            + " 'oracle'"));
    assertThat(judgeProblems("{group: c}")).anyMatch(problem -> problem.startsWith(
        "game.settings.judge.group: expected a group of population.groups [a, b], got 'c'"));
    assertThat(judgeProblems("{group: b}")).isEmpty();
    assertThat(judgeProblems("{model: b}")).anyMatch(problem -> problem.startsWith(
        "game.settings.judge: expected {group: NAME} (a group of population.groups) or {endpoint: NAME}"));
    // Under the rules the judge is left unread, so one spec sweeps scoring.
    assertThat(problems("identity-judge.yaml", "game.settings.scoring=rules")).isEmpty();

    // An edited judge's template is checked like the debaters': a variable it may not use is named.
    Path templates = temp;
    java.nio.file.Files.writeString(templates.resolve("identity.judge-stance.txt"), "Judge ${speaker}: ${text}\n");
    assertThat(problems("identity-judge.yaml", "policy.llm.templates=" + templates)).anyMatch(problem ->
        problem.startsWith("policy.llm.templates") && problem.contains("identity.judge-stance.txt")
            && problem.contains("speaker"));
  }
}
