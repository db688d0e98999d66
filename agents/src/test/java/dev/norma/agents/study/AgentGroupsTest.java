package dev.norma.agents.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.GroupSpec;
import dev.norma.protocols.spec.PopulationSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentGroupsTest {
  private static GroupSpec ids(String name, String ids) {
    return new GroupSpec(name, ids, null, null, null, null, null, null, null, null);
  }

  private static GroupSpec count(String name, int count) {
    return new GroupSpec(name, null, count, null, null, null, null, null, null, null);
  }

  private static GroupSpec fraction(String name, double fraction) {
    return new GroupSpec(name, null, null, fraction, null, null, null, null, null, null);
  }

  @Test
  void idRangesTakeTheirIdsAndCountsAndFractionsDrawExactlyTheirSizeFromTheRest() {
    PopulationSpec population = new PopulationSpec(100, List.of(count("c", 30), ids("i", "10-19"),
        fraction("f", 0.155)));
    int[] groupOf = AgentGroups.assign(population, 7);

    for (int id = 10; id <= 19; id++) {
      assertThat(groupOf[id]).isEqualTo(1);
    }
    assertThat(Arrays.stream(groupOf).filter(g -> g == 0).count()).isEqualTo(30);
    assertThat(Arrays.stream(groupOf).filter(g -> g == 2).count()).isEqualTo(16); // 15.5 rounds to 16
    assertThat(Arrays.stream(groupOf).filter(g -> g == AgentGroups.NONE).count()).isEqualTo(44);
    // Drawn, not the first free ids: the count group reaches into the top half.
    assertThat(Arrays.stream(groupOf, 50, 100).filter(g -> g == 0).count()).isBetween(5L, 25L);
  }

  @Test
  void theSeedDecidesTheDraw() {
    PopulationSpec population = new PopulationSpec(200, List.of(count("c", 50)));
    assertThat(AgentGroups.assign(population, 3)).isEqualTo(AgentGroups.assign(population, 3));
    assertThat(AgentGroups.assign(population, 3)).isNotEqualTo(AgentGroups.assign(population, 4));
  }

  @Test
  void withoutGroupsNoAgentHasOne() {
    assertThat(AgentGroups.assign(new PopulationSpec(5), 1)).containsOnly(AgentGroups.NONE);
  }
}
