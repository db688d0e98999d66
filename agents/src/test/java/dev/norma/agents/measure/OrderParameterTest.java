package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.measure.OrderParameter.Share;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderParameterTest {
  @Test
  void leadingNamesAndTheirSharesByHand() {
    // A round of 24 productions: Q 12, M 6, X 4, Y 2 -> shares 0.5, 0.25, 1/6, 1/12.
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("Y", 2L);
    counts.put("M", 6L);
    counts.put("Q", 12L);
    counts.put("X", 4L);
    List<Share> top = OrderParameter.leading(counts, 3);
    assertThat(top).extracting(Share::name).containsExactly("Q", "M", "X");
    assertThat(top.get(0).share()).isCloseTo(0.5, within(1e-12));
    assertThat(top.get(1).share()).isCloseTo(0.25, within(1e-12));
    assertThat(top.get(2).share()).isCloseTo(1.0 / 6, within(1e-12));
    assertThat(OrderParameter.leading(counts, 10)).hasSize(4);
    assertThat(OrderParameter.majorityShare(counts)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void tiesKeepTheMapsOrder() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("F", 3L);
    counts.put("J", 3L);
    assertThat(OrderParameter.leading(counts, 1)).extracting(Share::name).containsExactly("F");
  }

  @Test
  void anEmptyWindowHasZeroShares() {
    assertThat(OrderParameter.majorityShare(Map.of("Q", 0L, "M", 0L))).isZero();
    assertThat(OrderParameter.leading(Map.of("Q", 0L), 1).get(0).share()).isZero();
  }

  @Test
  void binaryAgreementIsTheMagnetisation() {
    // N = 100: 60 hold only A, 30 only B, 10 hold both -> |60 - 30| / 100 = 0.3.
    assertThat(OrderParameter.binaryAgreement(60, 30, 100)).isCloseTo(0.3, within(1e-12));
    // Consensus on B is 1; an all-AB population is 0.
    assertThat(OrderParameter.binaryAgreement(0, 100, 100)).isEqualTo(1.0);
    assertThat(OrderParameter.binaryAgreement(0, 0, 100)).isZero();
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> OrderParameter.leading(Map.of("Q", 1L), 0)).hasMessageContaining("k:");
    assertThatThrownBy(() -> OrderParameter.majorityShare(Map.of("Q", -1L))).hasMessageContaining("counts.Q");
    assertThatThrownBy(() -> OrderParameter.binaryAgreement(60, 50, 100)).hasMessageContaining("population=100");
  }
}
