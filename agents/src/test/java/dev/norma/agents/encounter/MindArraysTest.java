package dev.norma.agents.encounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.Mind;
import org.junit.jupiter.api.Test;

/** Arrays of minds are typed by the minds' most specific common class, which a game's bridge method can take. */
class MindArraysTest {
  private static class Plain extends Mind {
    Plain(int id) {
      super(id, 1);
    }
  }

  private static final class Committed extends Plain {
    Committed(int id) {
      super(id);
    }
  }

  private static final class Other extends Mind {
    Other(int id) {
      super(id, 1);
    }
  }

  @Test
  void theComponentTypeIsTheMindsMostSpecificCommonClass() {
    assertThat(MindArrays.commonClass(new Mind[] {new Committed(0), new Committed(1)})).isEqualTo(Committed.class);
    assertThat(MindArrays.commonClass(new Mind[] {new Committed(0), new Plain(1)})).isEqualTo(Plain.class);
    assertThat(MindArrays.commonClass(new Mind[] {new Plain(0), new Committed(1)})).isEqualTo(Plain.class);
    assertThat(MindArrays.commonClass(new Mind[] {new Plain(0), new Other(1)})).isEqualTo(Mind.class);
    assertThat(MindArrays.commonClass(new Mind[0])).isEqualTo(Mind.class);
  }

  @Test
  void aNewArrayIsOfThatClass() {
    Mind[] group = MindArrays.newArray(Plain.class, 3);
    assertThat(group).hasSize(3);
    assertThat(group.getClass()).isEqualTo(Plain[].class);
    assertThatThrownBy(() -> MindArrays.newArray(String.class, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
