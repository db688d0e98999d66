package dev.norma.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gateway benchmark runs end to end on a small load and prints every figure (the real run is ./norma bench gateway). */
class GatewayBenchmarkTest {
  @Test
  void aSmallRunPrintsTheComparison() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new GatewayBenchmark()).execute("--calls", "300", "--agents", "60", "--step-ms", "2",
          "--batch", "4");
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(report).isZero();
    assertThat(report).contains("capacity", "gateway overhead per call", "gateway, chat", "naive, one request a call",
        "gateway, completions ×4", "gain over the naive client", "prefill");
  }
}
