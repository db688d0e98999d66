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
 * Every benchmark the README shows runs to its end at tiny sizes and prints its figures, so none
 * can stop working unseen (the crash-loop soak has a test of its own). What the figures are worth
 * is for the benchmarks themselves, run at their real sizes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchmarksRunTest {

  @Test
  void actors() {
    assertThat(bench("actors", "--agents", "500", "--rounds", "4", "--in-flight", "100"))
        .contains("plain loop:", "bytes per idle agent", "same interactions as the plain loop: yes");
  }

  /** Agents passivated during the run (500 live of 1,000) and after it, their heap measured: the command runs. */
  @Test
  void scale() {
    assertThat(bench("scale", "--agents", "1000", "--interactions", "4000", "--in-flight", "50", "--active-limit", "500"))
        .contains("plain loop:", "bytes per idle agent at 1,000 agents", "same interactions as the plain loop: yes");
  }

  /** One game: the engine's equality to the loop for both is EncounterEngineTest's; here the command runs. */
  @Test
  void encounters() {
    String game = "higher-order-naming";
    assertThat(bench("encounters", "--game", game, "--agents", "200", "--rounds", "5", "--in-flight", "50"))
        .contains("plain loop:", "bytes per agent", "same interactions and rounds as the plain loop: yes");
  }

  @Test
  void gateway() {
    assertThat(bench("gateway", "--agents", "20", "--calls", "200", "--step-ms", "2"))
        .contains("gateway overhead per call", "gain over the naive client");
  }

  /** One node and two, durable against not, and three nodes of which one is killed. */
  @Test
  @org.junit.jupiter.api.Tag("slow") // six node JVMs, about a minute
  void cluster() {
    assertThat(bench("cluster", "--agents", "600", "--rounds", "4", "--heap", "256m"))
        .contains("scaling:", "durability:", "failover:", "every study equal to the plain loop of its seed: yes");
  }

  /** Runs {@code norma bench ARGS} in this JVM; returns what it printed, asserting it exited 0. */
  private static String bench(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try (PrintStream both = new PrintStream(new TeeStream(original, printed), true, StandardCharsets.UTF_8)) {
      System.setOut(both);
      code = new CommandLine(new LoadtestCli()).execute(args);
    } finally {
      System.setOut(original);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(code).as(String.join(" ", args) + " printed:\n" + out).isZero();
    return out;
  }

  /** Writes to the terminal and keeps a copy. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
