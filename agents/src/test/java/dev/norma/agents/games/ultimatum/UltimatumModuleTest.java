package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Specs;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code game.kind: ultimatum}: found by kind, its example loads and plays the game of its
 * settings, and what the game cannot honour is an error at the field that asks for it.
 */
class UltimatumModuleTest {
  /** Tests run in the module directory; the examples sit beside the modules. */
  private static final Path EXAMPLE = Path.of("..", "examples", "ultimatum.yaml");

  private final UltimatumModule module = new UltimatumModule();

  private static ExperimentSpec example(String... overrides) throws SpecException {
    return SpecLoader.load(EXAMPLE, List.of(overrides));
  }

  /** What loading the example with {@code overrides} reports, or nothing when it loads. */
  private static List<String> problems(String... overrides) {
    try {
      example(overrides);
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  @Test
  void theGameAndItsSectionAreFoundByKind() {
    assertThat(Games.forKind("ultimatum")).isInstanceOf(UltimatumModule.class);
    assertThat(GameSection.forKind("ultimatum")).containsInstanceOf(UltimatumModule.class);
    assertThat(GameSection.moduleKinds()).contains(UltimatumModule.KIND);
  }

  @Test
  void theExampleIsNowakPageAndSigmundsPopulationWithTheStandardParameters() throws Exception {
    ExperimentSpec spec = example();
    assertThat(spec.name()).isEqualTo("ultimatum");
    assertThat(spec.game().kind()).isEqualTo("ultimatum");
    assertThat(spec.population().size()).isEqualTo(100);
    assertThat(spec.stop().maxRounds()).isEqualTo(3000L);
    assertThat(UltimatumModule.parameters(spec)).isEqualTo(UltimatumParameters.standard(100, false));
    assertThat(UltimatumModule.parameters(example("game.settings.reputation=true")))
        .isEqualTo(UltimatumParameters.standard(100, true));
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec.resolved()), List.of())).isEqualTo(spec.resolved());
    assertThat(Files.readString(EXAMPLE)).as("opens with a comment on the study and its paper")
        .startsWith("# The ultimatum game").contains("Science 289");
  }

  /** What a study of the example plays, row for row, is the game of the standard parameters and the study's seed. */
  @Test
  void theExampleStudyPlaysTheGameOfTheStandardParameters() throws Exception {
    for (boolean reputation : new boolean[] {false, true}) {
      for (long seed : new long[] {1, 2}) {
        ExperimentSpec spec = example("game.settings.reputation=" + reputation);
        List<UltimatumRound> rows = new ArrayList<>();
        new EncounterLoop<>(module.encounters(spec, seed), spec.population().size()).run(300,
            new EncounterLoop.Listener() {
              @Override
              public void encounter(long index, int[] members, double[] outcome) {
              }

              @Override
              public void round(long round, double[] row) {
                rows.add(UltimatumRound.of(round, row));
              }
            });
        List<UltimatumRound> loopRows = new ArrayList<>();
        new UltimatumLoop(new UltimatumGame(UltimatumParameters.standard(100, reputation)), seed)
            .run(300, loopRows::add);
        assertThat(rows).as("reputation %b, seed %d", reputation, seed).isEqualTo(loopRows);
      }
    }
  }

  @Test
  void aSpecNamingOnlyTheKindTakesEveryOtherSectionsDefaults() {
    ExperimentSpec spec = Specs.of("game.kind=ultimatum");
    assertThat(UltimatumModule.parameters(spec)).isEqualTo(UltimatumParameters.standard(24, false));
    assertThat(module.encounters(spec, 3).encountersPerRound()).isEqualTo(24);
    assertThat(Specs.of("game.kind=ultimatum", "schedule.kind=rounds", "policy.kind=rules", "committed.count=0"))
        .isNotNull();
  }

  @Test
  void eachSettingIsReadWithinItsRange() throws Exception {
    UltimatumParameters set = UltimatumModule.parameters(example("game.settings.memory=4",
        "game.settings.informedProbability=0.9", "game.settings.revisionInterval=5",
        "game.settings.selectionIntensity=20", "game.settings.mutationProbability=0.1",
        "game.settings.mutationStep=3", "game.settings.reputation=true"));
    assertThat(set).isEqualTo(new UltimatumParameters(100, 4, true, 0.9, 5, 20, 0.1, 3));

    assertThat(problems("game.settings.informedProbability=1.5"))
        .containsExactly("game.settings.informedProbability: expected a number in [0.0, 1.0], got 1.5");
    assertThat(problems("game.settings.memory=0"))
        .containsExactly("game.settings.memory: expected a whole number in 1..1000000, got 0");
    assertThat(problems("game.settings.mutationStep=101"))
        .containsExactly("game.settings.mutationStep: expected a whole number in 0..100, got 101");
    assertThat(problems("game.settings.revisionInterval=2.5"))
        .containsExactly("game.settings.revisionInterval: expected a whole number in 1..2147483647, got 2.5");
    assertThat(problems("game.settings.selectionIntensity=-1")).singleElement().asString()
        .startsWith("game.settings.selectionIntensity: expected a number in [0.0, ");
    assertThat(problems("game.settings.reputation=yes"))
        .containsExactly("game.settings.reputation: expected true or false, got 'yes'");
    assertThat(problems("game.settings.beta=3")).singleElement().asString()
        .startsWith("game.settings.beta: not a setting of this game; it reads [reputation, memory, ");
  }

  @Test
  void whatTheGameCannotHonourIsAnErrorAtItsField() {
    // The language-model policy itself is accepted (UltimatumLanguageModelTest loads its example), and so
    // are its templates (UltimatumPromptTemplatesTest).
    assertThat(problems("policy.kind=memory"))
        .containsExactly("policy.kind: the memory policy models a naming game's player; the ultimatum game's agents"
            + " imitate by rule or play through a language model: expected 'rules', 'llm' or nothing, got 'memory'");
    assertThat(problems("policy.bias.A=2")).singleElement().asString().startsWith("policy.bias: expected no bias");
    assertThat(problems("committed.fraction=0.1")).singleElement().asString()
        .startsWith("committed.fraction: the ultimatum game has no committed minority");
    assertThat(problems("committed.count=3")).singleElement().asString()
        .startsWith("committed.count: the ultimatum game has no committed minority");
    assertThat(problems("committed.introduce=prepared")).singleElement().asString()
        .startsWith("committed.introduce: the ultimatum game has no names to prepare a population on");
    // Reported once, by the game: the spec knows networks, this game does not play on them.
    assertThat(problems("topology.kind=ring")).containsExactly("topology.kind: the ultimatum game draws a fresh"
        + " random matching each round, of everyone ('complete') or within rooms ('rooms'); expected one of them,"
        + " got 'ring'");
    // Rooms it plays in (UltimatumEncountersTest); the rooms' own checks are the topology's.
    assertThat(problems("topology.kind=rooms", "topology.size=4", "topology.moveProbability=0.2")).isEmpty();
    assertThat(problems("topology.kind=rooms", "topology.size=3")).singleElement().asString()
        .startsWith("topology.size: expected agents per room, from 2 to 100 and dividing population.size 100");
    assertThat(problems("schedule.kind=continuous")).singleElement().asString()
        .startsWith("schedule.kind: the ultimatum game has its own seeded schedule");
    assertThat(problems("game.names=[A, B]")).singleElement().asString().startsWith("game.names: ");
    assertThat(problems("game.poolSize=3")).singleElement().asString().startsWith("game.poolSize: ");
    assertThat(problems("game.memory=20")).singleElement().asString()
        .startsWith("game.memory: a naming game's memory; the ultimatum game's is game.settings.memory");
    assertThat(problems("game.payoff.success=10")).singleElement().asString().startsWith("game.payoff: ");
  }

  @Test
  void aCheckedSpecIsTheOnlyOneTheModuleMakesAGameOf() {
    ExperimentSpec unchecked = new ExperimentSpec(null, null, null, null, null,
        new GameSpec("ultimatum", null, null, null, null, Map.of("memory", 0)), null, null, null, null, null, null,
        null);
    assertThatThrownBy(() -> module.encounters(unchecked, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("game.settings.memory: ");
  }

  /** Measured with JOL on a 64-bit JVM with compressed references: 136, 168, 176 and 528 bytes. */
  @Test
  void aMindWeighsWhatItsMemoryHolds() throws Exception {
    assertThat(module.mindBytes(example("game.settings.memory=1"))).isEqualTo(136);
    assertThat(module.mindBytes(example())).isEqualTo(168);
    assertThat(module.mindBytes(example("game.settings.memory=11"))).isEqualTo(176);
    assertThat(module.mindBytes(example("game.settings.memory=100"))).isEqualTo(528);
  }

  /**
   * A language-model mind adds its context recall (56 bytes), and under summarise room for a
   * summary of half of contextTokens: 400 tokens, 800 characters, 1,600 bytes and a String's 40.
   */
  @Test
  void aLanguageModelMindAlsoWeighsItsRecallAndItsLongestSummary() throws Exception {
    java.nio.file.Path llm = java.nio.file.Path.of("..", "examples", "ultimatum-llm.yaml");
    assertThat(module.mindBytes(SpecLoader.load(llm, List.of()))).isEqualTo(168 + 56);
    assertThat(module.mindBytes(SpecLoader.load(llm, List.of("policy.llm.contextOverflow=summarise"))))
        .isEqualTo(168 + 56 + 40 + 1600);
  }

  /**
   * On rooms of 4 a round is a period of two matchings within the rooms: each of the 100 agents
   * plays twice, only with room-mates (who met whom joins at most a room), the rooms mix between
   * rounds, and the seed alone decides.
   */
  @Test
  void onRoomsEachRoundMatchesEveryAgentTwiceWithinItsRoom() throws Exception {
    ExperimentSpec spec = example("topology.kind=rooms", "topology.size=4", "topology.moveProbability=0.3");
    dev.norma.agents.encounter.EncounterSchedule schedule = module.encounters(spec, 5).newSchedule();
    int crossings = 0;
    List<Integer> all = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      int[] played = new int[100];
      int[] company = new int[100];
      for (int agent = 0; agent < 100; agent++) {
        company[agent] = agent;
      }
      int[] pair = new int[2];
      for (int i = 0; i < 100; i++) {
        schedule.next(pair);
        played[pair[0]]++;
        played[pair[1]]++;
        all.add(pair[0]);
        all.add(pair[1]);
        crossings += pair[0] / 4 != pair[1] / 4 ? 1 : 0;
        assertThat(round > 0 || pair[0] / 4 == pair[1] / 4).as("the first round's rooms are seated by id").isTrue();
        int joined = Math.min(company[pair[0]], company[pair[1]]);
        int left = Math.max(company[pair[0]], company[pair[1]]);
        for (int agent = 0; agent < 100; agent++) {
          company[agent] = company[agent] == left ? joined : company[agent];
        }
      }
      assertThat(played).containsOnly(2);
      int[] companySize = new int[100];
      for (int agent = 0; agent < 100; agent++) {
        companySize[company[agent]]++;
      }
      assertThat(java.util.Arrays.stream(companySize).max().orElseThrow()).isLessThanOrEqualTo(4);
    }
    assertThat(crossings).isPositive();
    List<Integer> again = new ArrayList<>();
    dev.norma.agents.encounter.EncounterSchedule replay = module.encounters(spec, 5).newSchedule();
    int[] pair = new int[2];
    for (int i = 0; i < 20 * 100; i++) {
      replay.next(pair);
      again.add(pair[0]);
      again.add(pair[1]);
    }
    assertThat(again).isEqualTo(all);
  }
}
