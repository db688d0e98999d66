package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.game.Games;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code game.kind: crsec}: found by kind, its examples load, and each bad setting is named. */
class CrsecModuleTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "crsec.yaml");
  private static final Path LARGE = Path.of("..", "examples", "crsec-large.yaml");

  private static List<String> problems(String... overrides) {
    return problemsOf(EXAMPLE, overrides);
  }

  private static List<String> problemsOf(Path example, String... overrides) {
    try {
      SpecLoader.load(example, List.of(overrides));
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  @Test
  void theGameIsFoundByKindAndTheExamplesAreTheCafesOfThePaper() throws Exception {
    assertThat(Games.forKind("crsec")).isInstanceOf(CrsecModule.class);
    assertThat(GameSection.forKind("crsec")).containsInstanceOf(CrsecModule.class);
    ExperimentSpec spec = SpecLoader.load(EXAMPLE, List.of());
    assertThat(CrsecModule.parameters(spec)).isEqualTo(CrsecParameters.standard(200));
    ExperimentSpec large = SpecLoader.load(LARGE, List.of());
    assertThat(CrsecModule.parameters(large).rooms()).isEqualTo(1000);
    assertThat(large.population().size()).isEqualTo(10_000);
    assertThat(large.stop().maxRounds()).isEqualTo(20);
    assertThat(new CrsecModule().settingsInForce(spec)).containsEntry("advocatesPerRoom", 3)
        .extractingByKey("themes").asList().first().isEqualTo(Map.of("name", "smoking", "verb", "smoke",
            "object", "indoors", "proper", "avoid", "habitShare", 0.3, "mindedShare", 0.6,
            "group", "consideration for others"));
  }

  @Test
  void withoutThemesTheDefaultsPlay() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("name: c\npopulation: {size: 30}\ntopology: {kind: rooms}\n"
        + "game: {kind: crsec}\n", List.of());
    assertThat(CrsecModule.parameters(spec).themes()).isEqualTo(Theme.DEFAULTS);
    assertThat(CrsecModule.parameters(spec).rooms()).isEqualTo(3);
  }

  @Test
  void eachBadSettingIsAnErrorAtItsField() {
    assertThat(problems("topology.size=7")).containsExactly("topology.size: expected agents per room, from 2 to 200"
        + " and dividing population.size 200 (every room full), got 7");
    assertThat(problems("game.settings.advocatesPerRoom=11")).anyMatch(p -> p.startsWith(
        "game.settings.advocatesPerRoom:"));
    assertThat(problems("game.settings.compliance=1.5")).anyMatch(p -> p.startsWith("game.settings.compliance:"));
    assertThat(problems("game.settings.complience=0.5")).anyMatch(p -> p.startsWith("game.settings.complience:")
        && p.contains("not a setting"));
    assertThat(themeProblems("{name: smoking, verb: smoke, proper: sometimes}", "{verb: tip, habitShare: 2, colour: red}",
        "{name: smoking, verb: smoke}")).containsExactlyInAnyOrder(
        "game.settings.themes[0].proper: expected 'do' or 'avoid' (what advocates stand for), got 'sometimes'",
        "game.settings.themes[1].colour: not a field of a theme; expected name, verb, object, proper, habitShare,"
            + " mindedShare or group",
        "game.settings.themes[1].name: missing",
        "game.settings.themes[1].habitShare: expected a number in [0, 1], got 2",
        "game.settings.themes[2].name: theme 'smoking' is named twice");
    assertThat(problems("committed.count=3")).anyMatch(p -> p.startsWith("committed.count:"));
    assertThat(problems("topology.kind=ring")).anyMatch(p -> p.startsWith("topology.kind:"));
    assertThat(yamlProblems("name: c\npopulation: {size: 30}\ngame: {kind: crsec}\n")).containsExactly("topology.kind: the crsec game seats its agents in"
        + " rooms (cafés); expected topology: {kind: rooms, size: 10, moveProbability: 0.1} (agents per room, the"
        + " chance to change seats before a period), got 'complete' (also the kind of an unset topology)");
    assertThat(problems()).isEmpty();
  }

  @Test
  void theRoomsAreTheTopologyAndTheirOldSettingsSayWhereTheyWent() throws Exception {
    ExperimentSpec spec = SpecLoader.load(EXAMPLE, List.of("topology.size=5", "topology.moveProbability=0.3"));
    CrsecParameters parameters = CrsecModule.parameters(spec);
    assertThat(parameters.roomSize()).isEqualTo(5);
    assertThat(parameters.moveProbability()).isEqualTo(0.3);
    assertThat(parameters.rooms()).isEqualTo(40);
    assertThat(new CrsecModule().settingsInForce(spec)).doesNotContainKeys("roomSize", "moveProbability");
    assertThat(problems("game.settings.roomSize=5", "game.settings.moveProbability=0.3")).containsExactlyInAnyOrder(
        "game.settings.roomSize: moved to topology.size (rooms are a topology kind any game can name): write"
            + " topology: {kind: rooms, size: 5} instead",
        "game.settings.moveProbability: moved to topology.moveProbability (rooms are a topology kind any game can"
            + " name): write topology: {kind: rooms, moveProbability: 0.3} instead");
    assertThat(problems("topology.size=5", "game.settings.advocatesPerRoom=6")).containsExactly(
        "game.settings.advocatesPerRoom: expected a whole number in 0..5, got 6");
  }

  @Test
  void itTakesUncommitAndRemoveAgentsAndRefusesEveryOtherIntervention() {
    assertThat(problems("interventions=[{at: {round: 0}, action: uncommit, count: 20},"
        + " {at: {round: 4}, action: uncommit, fraction: 0.5}]")).isEmpty();
    assertThat(problems("interventions=[{at: {round: 2}, action: commit, count: 3},"
        + " {at: {interaction: 400}, action: uncommit, name: A, count: 10},"
        + " {at: {round: 3}, action: uncommit, count: 50},"
        + " {at: {round: 1}, action: uncommit, count: 1}]")).containsExactlyInAnyOrder(
        "interventions[0].action: the crsec game takes 'uncommit' (its advocates become ordinary customers) and"
            + " 'removeAgents' (agents leave their rooms); expected one of them, got 'commit'",
        "interventions[1].at.interaction: the crsec game changes between periods; expected {round: K}, period K",
        "interventions[1].name: not a field of 'uncommit' in the crsec game, which takes count or fraction of its"
            + " advocates",
        "interventions[3].at: expected interventions in the order they apply: index 200 comes before the previous"
            + " intervention's 600",
        "interventions[3].count: expected 1 to the 0 agents still advocating at that moment, got 1");
  }

  @Test
  void removeAgentsTakesAdvocatesOrTheOthersOfThosePresentAndNamesEachBadField() {
    // The small example: 200 agents, 60 of them advocates.
    assertThat(problems("interventions=[{at: {round: 0}, action: removeAgents, committed: true, fraction: 1},"
        + " {at: {round: 2}, action: removeAgents, committed: false, count: 140},"
        + " {at: {round: 3}, action: uncommit, count: 0}]")).containsExactly(
        "interventions[1].count: leaves 0 of the 140 agents present at that moment: at least 2 must stay",
        "interventions[2].count: expected 1 to the 0 agents still advocating at that moment, got 0");
    assertThat(problems("interventions=[{at: {round: 0}, action: uncommit, count: 10},"
        + " {at: {round: 1}, action: removeAgents, committed: true, count: 50},"
        + " {at: {round: 2}, action: removeAgents, count: 100},"
        + " {at: {round: 3}, action: removeAgents, committed: false, fraction: 0.5}]")).isEmpty();
    assertThat(problems("interventions=[{at: {round: 1}, action: removeAgents, committed: true, count: 61},"
        + " {at: {interaction: 400}, action: removeAgents, count: 5},"
        + " {at: {round: 4}, action: removeAgents, name: A, p: 0.1, count: 5},"
        + " {at: {round: 5}, action: removeAgents, committed: false},"
        + " {at: {round: 6}, action: removeAgents, count: 3, fraction: 0.1},"
        + " {at: {round: 7}, action: removeAgents, committed: false, count: 141},"
        + " {at: {round: 8}, action: uncommit, committed: true}]")).containsExactlyInAnyOrder(
        "interventions[0].count: expected 1 to the 60 agents still advocating at that moment, got 61",
        "interventions[1].at.interaction: the crsec game changes between periods; expected {round: K}, period K",
        "interventions[2].name: not a field of 'removeAgents' in the crsec game, which takes count or fraction of"
            + " the agents present, and committed: true (advocates) or false (the others)",
        "interventions[2].p: not a field of 'removeAgents' in the crsec game, which takes count or fraction of"
            + " the agents present, and committed: true (advocates) or false (the others)",
        "interventions[3].count: expected count or fraction: how many agents leave",
        "interventions[4].count: give either count or fraction, not both",
        "interventions[5].count: expected 1 to the 140 ordinary customers present at that moment, got 141",
        "interventions[6].committed: not a field of 'uncommit' in the crsec game, which takes count or fraction"
            + " of its advocates");
  }

  private static List<String> themeProblems(String... themes) {
    return yamlProblems("name: c\npopulation: {size: 30}\ntopology: {kind: rooms}\n"
        + "game: {kind: crsec, settings: {themes: [" + String.join(", ", themes) + "]}}\n");
  }

  private static List<String> yamlProblems(String yaml) {
    try {
      SpecLoader.parse(yaml, List.of());
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  @Test
  void theLanguageModelPolicyTakesItsTemplatesAndRefusesWhatItCannotHonour(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path llm = Path.of("..", "examples", "crsec-llm.yaml");
    ExperimentSpec spec = SpecLoader.load(llm, List.of()).resolved();
    assertThat(spec.policy().kind()).isEqualTo("llm");
    assertThat(spec.population().size()).isEqualTo(100);
    assertThat(new CrsecModule().encounters(spec, 1).conversations()).isInstanceOf(CrsecConversations.class);
    assertThat(problemsOf(llm)).isEmpty();
    assertThat(problemsOf(llm, "policy.llm.contextOverflow=summarise"))
        .anyMatch(p -> p.startsWith("policy.llm.contextOverflow:"));
    assertThat(problemsOf(llm, "policy.llm.constrained=choice"))
        .anyMatch(p -> p.startsWith("policy.llm.constrained:"));
    // A directory of edited templates is checked file by file.
    java.nio.file.Files.writeString(dir.resolve("crsec.speak.txt"), "Tell ${other} about ${weather}.");
    assertThat(problemsOf(llm, "policy.llm.templates=" + dir)).anyMatch(p ->
        p.startsWith("policy.llm.templates:") && p.contains("crsec.speak.txt") && p.contains("${weather}"));
    java.nio.file.Files.writeString(dir.resolve("crsec.speak.txt"), "Tell ${other}: ${norm}");
    assertThat(problemsOf(llm, "policy.llm.templates=" + dir)).isEmpty();
  }
}
