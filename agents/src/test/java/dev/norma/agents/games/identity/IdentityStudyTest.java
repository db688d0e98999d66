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
 * towards "we" as the debate goes on, less under the unique identity.
 */
class IdentityStudyTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

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
}
