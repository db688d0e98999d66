package dev.norma.agents.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Specs;
import dev.norma.agents.games.higherorder.HigherOrderModule;
import dev.norma.agents.games.naming.NamingGame;
import dev.norma.agents.games.naming.NamingGameModule;
import dev.norma.agents.games.speakerhearer.SpeakerHearerGame;
import dev.norma.agents.games.speakerhearer.SpeakerHearerModule;
import dev.norma.agents.games.ultimatum.UltimatumModule;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Games are found by kind among the modules on the class path; every kind a spec accepts has one. */
class GamesTest {

  @Test
  void everyKindASpecAcceptsIsPlayedByOneModule() {
    List<String> accepted = new ArrayList<>(GameSpec.KINDS);
    accepted.addAll(GameSection.moduleKinds());
    assertThat(Games.kinds()).containsExactlyInAnyOrderElementsOf(accepted);
    assertThat(Games.forKind("naming")).isInstanceOf(NamingGameModule.class);
    assertThat(Games.forKind("minimal-naming")).isInstanceOf(SpeakerHearerModule.class);
    assertThat(Games.forKind("binary-agreement")).isInstanceOf(SpeakerHearerModule.class);
    assertThat(Games.forKind("higher-order-naming")).isInstanceOf(HigherOrderModule.class);
    assertThat(Games.forKind("ultimatum")).isInstanceOf(UltimatumModule.class);
  }

  @Test
  void anUnknownKindIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> Games.forKind("debate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no game plays game.kind 'debate'; known kinds: " + Games.kinds())
        .hasMessageContaining("[binary-agreement, crsec, higher-order-naming, ");
    assertThat(Games.kinds()).isSorted().contains("minimal-naming", "naming", "ultimatum");
  }

  @Test
  void aStudyPlaysTheGameItsKindNames() {
    assertThat(new StudyPlan(Specs.of("game.kind=naming"), 1).game()).isInstanceOf(NamingGame.class);
    assertThat(new StudyPlan(Specs.of("game.kind=minimal-naming", "population.size=10"), 1).game())
        .isInstanceOfSatisfying(SpeakerHearerGame.class, minimal -> assertThat(minimal.names()).isEmpty());
    assertThat(new StudyPlan(Specs.of("game.kind=binary-agreement", "population.size=10"), 1).game())
        .isInstanceOfSatisfying(SpeakerHearerGame.class, binary -> assertThat(binary.names()).containsExactly("A", "B"));
  }
}
