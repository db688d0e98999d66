package dev.norma.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code norma bench durable} runs end to end at a tiny size: in memory and durable on the
 * embedded journal, each equal to the plain loop, and prints the ratio (the real figures come
 * from the benchmark at its own size).
 */
class DurableBenchmarkTest {
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTinyRunComparesDurableWithInMemory() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new DurableBenchmark()).execute("--agents", "100", "--rounds", "2", "--repeat", "1",
          "--in-flight", "50", "--warm-up-rounds", "0");
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(report).isZero();
    assertThat(report).contains("repetition 1:", "none:", "durable-H2:", "of in-memory",
        "same interactions as the plain loop: yes");
  }

  /** A server that does not answer fails the benchmark at once, in one line, before any mode runs. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anUnreachableDatabaseFailsBeforeAnyRun() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    java.io.StringWriter errors = new java.io.StringWriter();
    PrintStream original = System.out;
    int code;
    long start = System.nanoTime();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      CommandLine cli = dev.norma.runtime.cli.NormaCli.withOneLineErrors(new CommandLine(new DurableBenchmark()),
          "norma bench");
      cli.setErr(new java.io.PrintWriter(errors, true));
      // Port 1 on the loopback: refused at once.
      code = cli.execute("--db-url", "jdbc:postgresql://127.0.0.1:1/norma");
    } finally {
      System.setOut(original);
    }
    assertThat(code).isEqualTo(1);
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("repetition");
    assertThat(errors.toString().lines().findFirst().orElse(""))
        .startsWith("norma bench: durable failed: cannot reach the journal database jdbc:postgresql://127.0.0.1:1/norma: ");
    assertThat(errors.toString()).doesNotContain("\tat ");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
  }
}
