package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeLlmMainTest {

  @Test
  void flagsBecomeSettings() {
    FakeLlmSettings s = FakeLlmMain.parse("--port", "0", "--max-seqs", "2", "--step-ms", "12.5",
        "--decode-token-ms=0.1", "--prefill-token-ms", "0", "--jitter", "0", "--seed", "42",
        "--fault-429", "0.1", "--fault-503", "every:10", "--fault-timeout", "0.5@30-60",
        "--responder", "fixed:M", "--timeout-hold-ms", "0", "--max-queue", "100", "--model", "llama");

    assertThat(s.port()).isZero();
    assertThat(s.maxSeqs()).isEqualTo(2);
    assertThat(s.stepBase()).isEqualTo(Duration.ofMillis(12).plusNanos(500_000));
    assertThat(s.decodeTokenCost()).isEqualTo(Duration.ofNanos(100_000));
    assertThat(s.prefillTokenCost()).isEqualTo(Duration.ZERO);
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.faults()).containsEntry(Fault.RATE_LIMITED, FaultRule.probability(0.1))
        .containsEntry(Fault.UNAVAILABLE, FaultRule.every(10))
        .containsEntry(Fault.TIMEOUT, FaultRule.probability(0.5).during(Duration.ofSeconds(30), Duration.ofSeconds(60)));
    assertThat(s.responder().name()).isEqualTo("fixed(M)");
    assertThat(s.timeoutHold()).isZero();
    assertThat(s.maxQueue()).isEqualTo(100);
    assertThat(s.model()).isEqualTo("llama");
  }

  @Test
  void defaultsServeTheNamingResponderOnPort8000() {
    FakeLlmSettings s = FakeLlmMain.parse();
    assertThat(s.port()).isEqualTo(8000);
    assertThat(s.responder()).isInstanceOf(GamesResponder.class);
    assertThat(s.responder().name()).startsWith("naming(");
    assertThat(s.faults()).isEmpty();
    assertThat(FakeLlmMain.parse("--temperature", "0", "--memory", "5", "--reasoning").responder().name())
        .isEqualTo("naming(t=0.0,h=5,reasoning)");
  }

  @Test
  void mistakesAreReported() {
    assertThatThrownBy(() -> FakeLlmMain.parse("--max-seqs")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> FakeLlmMain.parse("--bogus", "1")).hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> FakeLlmMain.parse("--fault-418", "0.1")).hasMessageContaining("unknown fault '418'");
    assertThatThrownBy(() -> FakeLlmMain.parse("--fault-429", "0.7", "--fault-500", "0.7"))
        .hasMessageContaining("sum to");
    assertThatThrownBy(() -> FakeLlmMain.parse("--fault-429", "0.1", "--fault-503", "1.0@30-60"))
        .hasMessageContaining("more than 1, at 30.0 s");
    // Windows that do not overlap may each use the whole range.
    assertThat(FakeLlmMain.parse("--fault-429", "1.0@0-30", "--fault-503", "1.0@30-60").faults()).hasSize(2);
    assertThatThrownBy(() -> FakeLlmMain.parse("--step-ms", "fast")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> FakeLlmMain.parse("--responder", "oracle")).hasMessageContaining("--responder");
    assertThatThrownBy(() -> FakeLlmMain.parse("--help")).isInstanceOf(FakeLlmMain.HelpRequested.class);
  }

  @Test
  void startsOnPortZeroAndReportsTheBoundPort() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmMain.parse("--port", "0", "--fault-429", "0.05"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      FakeLlmMain.describe(server, new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("fake-llm listening on http://127.0.0.1:" + server.port() + "/v1")
          .contains("max-seqs 256", "faults 429=0.05");
      assertThat(new TestClient(server).get("/health").statusCode()).isEqualTo(200);
    }
  }
}
