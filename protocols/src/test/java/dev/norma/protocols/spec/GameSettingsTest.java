package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A text setting is read like the numbers: a default when absent, a bad value reported at its path. */
class GameSettingsTest {
  private static GameSpec game(Map<String, Object> settings) {
    return new GameSpec("some-module-game", null, null, null, null, settings);
  }

  @Test
  void aTextSettingIsReadCheckedAndStatedInForce() {
    SpecErrors errors = new SpecErrors();
    GameSettings settings = GameSettings.checking(game(Map.of("nameA", "Kay", "nameB", "two words", "code", 7)),
        errors.at("game"));
    assertThat(settings.text("nameA", "M", text -> !text.contains(" "), "one word")).isEqualTo("Kay");
    assertThat(settings.text("nameB", "Q", text -> !text.contains(" "), "one word")).isEqualTo("Q");
    assertThat(settings.text("code", "x", text -> true, "anything")).as("YAML's number as written").isEqualTo("7");
    assertThat(settings.text("nameC", "Z", text -> false, "never")).as("absent: the default, unchecked")
        .isEqualTo("Z");
    assertThat(errors.messages()).containsExactly("game.settings.nameB: expected one word, got 'two words'");
    assertThat(settings.inForce()).containsEntry("nameA", "Kay").containsEntry("nameC", "Z");

    GameSettings checked = GameSettings.of(game(Map.of("nameB", "two words")));
    assertThatThrownBy(() -> checked.text("nameB", "Q", text -> !text.contains(" "), "one word"))
        .hasMessage("game.settings.nameB: expected one word, got 'two words'");
  }
}
