package dev.norma.agents.game;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run directory's {@code spec.yaml} states every setting of a module game in force, defaults
 * included, so a later change of a default cannot change what a recorded run was; reading it back
 * gives the same spec.
 */
class SettingsInForceTest {

  @Test
  void theHigherOrderGamesResolvedSpecNamesBothSettings() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("game:\n  kind: higher-order-naming\n", List.of(
        "committed.fraction=0.1", "game.settings.beta=1"));
    Map<String, Object> settings = spec.resolved().game().settings();
    assertThat(settings).containsExactly(Map.entry("groupSize", 3), Map.entry("beta", 1.0));
    assertRoundTrip(spec);
  }

  @Test
  void theUltimatumGamesResolvedSpecNamesEverySetting() throws Exception {
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "examples", "ultimatum.yaml"),
        List.of("game.settings.reputation=true"));
    Map<String, Object> settings = spec.resolved().game().settings();
    assertThat(settings.keySet()).containsExactly("reputation", "memory", "informedProbability",
        "revisionInterval", "selectionIntensity", "mutationProbability", "mutationStep");
    assertThat(settings.get("reputation")).isEqualTo(true);
    assertRoundTrip(spec);
  }

  @Test
  void aSpecWithBadSettingsResolvesAsGivenAndIsReportedByValidation() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("game:\n  kind: higher-order-naming\n", List.of("committed.fraction=0.1"));
    ExperimentSpec bad = new ExperimentSpec(spec.format(), spec.name(), spec.seed(), spec.population(),
        spec.topology(), new dev.norma.protocols.spec.GameSpec("higher-order-naming", null, null, null, null,
            Map.of("beta", 2)), spec.committed(), spec.policy(), spec.schedule(), spec.stop(), spec.output(),
        spec.inference(), spec.durability());
    assertThat(bad.resolved().game().settings()).isEqualTo(Map.of("beta", 2));
  }

  private static void assertRoundTrip(ExperimentSpec spec) throws Exception {
    ExperimentSpec resolved = spec.resolved().withSeed(5);
    ExperimentSpec reread = SpecLoader.parse(SpecLoader.toYaml(resolved), List.of());
    assertThat(reread.resolved()).isEqualTo(resolved);
  }
}
