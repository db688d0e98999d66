package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines a researcher reads at the end of a run. */
class SummaryPrinterTest {

  private static Summary tipping(boolean converged, Boolean flipped, String stopReason, Map<String, Double> shares) {
    return new Summary(Summary.FORMAT, RunOutcome.COMPLETED, "tipping-48", 7, "naming", "memory", "sequential",
        48, 12, 4_800, 100, 0, 0, converged, converged ? 4_000L : null, converged ? 83L : null,
        converged ? "A" : null, shares, flipped, Boolean.TRUE.equals(flipped) ? 57L : null, stopReason, 1.5, 3_200);
  }

  private static String print(Summary summary, String committedName) {
    StringWriter text = new StringWriter();
    SummaryPrinter.print(new PrintWriter(text, true), summary, Path.of("runs", "x"), committedName);
    return text.toString();
  }

  @Test
  void aFlipIsReportedAsTheTipItIsNotAsAFailureToConverge() {
    String text = print(tipping(false, true, "flipped", Map.of("A", 0.97, "B", 0.03)), "A");
    assertThat(text).contains("flipped to A at population round 57\n").doesNotContain("did not converge");
    assertThat(text).as("said once").doesNotContain("the committed minority flipped");

    assertThat(print(tipping(false, true, "max-rounds", Map.of("A", 0.97)), "A"))
        .contains("flipped to A at population round 57 (stopped: max-rounds)\n");
    assertThat(print(tipping(true, true, "converged", Map.of("A", 1.0)), "A"))
        .contains("converged on A at interaction 4,000 (population round 83)\n")
        .contains("the committed minority flipped the population at round 57\n");
    assertThat(print(tipping(false, false, "flip-window-ended", Map.of("B", 0.9, "A", 0.1)), "A"))
        .contains("did not converge (flip-window-ended)\n")
        .contains("the committed minority did not flip the population\n");
  }

  @Test
  void namesWithNoShareToSpeakOfAreCountedNotListed() {
    Map<String, Double> shares = new LinkedHashMap<>();
    shares.put("w12", 0.90);
    shares.put("w7", 0.07);
    for (int i = 0; i < 300; i++) {
      shares.put("w" + (1000 + i), 0.03 / 300);
    }
    assertThat(SummaryPrinter.topShares(shares)).isEqualTo("w12 0.90, w7 0.07 (+300 others, 0.03 together)");
    Map<String, Double> many = new LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      many.put("n" + i, (7 - i) / 28.0);
    }
    assertThat(SummaryPrinter.topShares(many))
        .isEqualTo("n0 0.25, n1 0.21, n2 0.18, n3 0.14, n4 0.11 (+2 others, 0.11 together)");
    assertThat(SummaryPrinter.topShares(Map.of("D", 1.0))).isEqualTo("D 1.00");
    assertThat(SummaryPrinter.topShares(Map.of())).isEqualTo("-");
  }

  @Test
  void countsArePrintedWithoutDecimalsAndOtherMeasuresWithThree() {
    assertThat(SummaryPrinter.measure(4999)).isEqualTo("4,999");
    assertThat(SummaryPrinter.measure(0.0241)).isEqualTo("0.024");
    assertThat(SummaryPrinter.measure(Double.NaN)).isEqualTo("NaN");
  }
}
