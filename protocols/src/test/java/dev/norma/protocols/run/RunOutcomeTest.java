package dev.norma.protocols.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's status is written by the names the files have always had, and read back from them. */
class RunOutcomeTest {
  @Test
  void eachOutcomeKeepsItsNameInSummaryJson() throws Exception {
    assertThat(Arrays.stream(RunOutcome.values()).map(RunOutcome::wireName))
        .containsExactly("completed", "interrupted", "budget-exhausted", "cancelled", "failed");
    ObjectMapper json = new ObjectMapper();
    for (RunOutcome outcome : RunOutcome.values()) {
      Summary summary = new Summary(Summary.FORMAT, outcome, "s", 1, "naming", "memory", "sequential", 10, 0, 20,
          2, 0, 0, false, null, null, "A", new LinkedHashMap<>(Map.of("A", 1.0)), null, null, "max-rounds", 1.0, 20);
      String written = json.writeValueAsString(summary);
      assertThat(json.readTree(written).path("status").asText()).isEqualTo(outcome.wireName());
      assertThat(json.readValue(written, Summary.class).status()).isEqualTo(outcome);
    }
  }

  @Test
  void anUnknownStatusIsAnErrorNamingIt() {
    assertThatThrownBy(() -> RunOutcome.of("paused")).hasMessage("unknown run status: paused");
  }
}
