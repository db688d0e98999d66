package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a new run directory is named from the study, the command line's settings and the time. */
class RunDirectoriesTest {
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 4, 12, 0, 0, 0, ZoneOffset.UTC);

  @TempDir
  Path temp;

  @Test
  void theSettingsAreTheOverridesAndTheSeedMadeSafeForAFileName() {
    assertThat(RunDirectories.settings(List.of(), null)).isEmpty();
    assertThat(RunDirectories.settings(List.of("population.size=1000"), 7L)).isEqualTo("population.size=1000-seed=7");
    assertThat(RunDirectories.settings(List.of("game.names=[Q, M]", "inference.endpoints[0].url=http://gpu:8000/v1"),
        null)).isEqualTo("game.names=_Q_M-inference.endpoints_0_.url=http_gpu_8000_v1");
    assertThat(RunDirectories.settings(List.of("game.payoff.failure=-10", "committed.fraction="), null))
        .isEqualTo("game.payoff.failure=-10-committed.fraction=");
  }

  @Test
  void longSettingsAreCutAndEndWithAChecksumOfTheWhole() {
    String one = RunDirectories.settings(List.of("policy.llm.templates.system=" + "a".repeat(200)), null);
    String other = RunDirectories.settings(List.of("policy.llm.templates.system=" + "a".repeat(199) + "b"), null);
    assertThat(one).hasSize(RunDirectories.MAX_SETTINGS_LENGTH).startsWith("policy.llm.templates.system=aaa")
        .matches(".*~[0-9a-f]{8}");
    assertThat(other).hasSize(RunDirectories.MAX_SETTINGS_LENGTH).isNotEqualTo(one);
  }

  @Test
  void aNewDirectoryIsNamedAfterTheStudyItsSettingsAndTheTimeAndNeverTaken() throws Exception {
    assertThat(RunDirectories.fresh(temp, "naming-game-24", "", NOW))
        .isEqualTo(temp.resolve("naming-game-24-20261204-120000"));
    Path first = RunDirectories.fresh(temp, "naming-game-24", "population.size=1000", NOW);
    assertThat(first).isEqualTo(temp.resolve("naming-game-24-population.size=1000-20261204-120000"));
    Files.createDirectories(first);
    assertThat(RunDirectories.fresh(temp, "naming-game-24", "population.size=1000", NOW))
        .isEqualTo(temp.resolve("naming-game-24-population.size=1000-20261204-120000-2"));
  }
}
