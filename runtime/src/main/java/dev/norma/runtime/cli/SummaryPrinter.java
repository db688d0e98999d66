package dev.norma.runtime.cli;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The few lines a researcher reads at the end of a run. */
final class SummaryPrinter {
  private SummaryPrinter() {
  }

  /** The most names listed with their shares; the rest are counted. */
  static final int SHOWN_NAMES = 5;

  /**
   * Prints the summary of a run; {@code committedName} is the committed minority's name (null
   * when there is none), which a flip is to.
   */
  static void print(PrintWriter out, Summary s, Path dir, String committedName) {
    out.printf(Locale.ROOT, "%s · seed %d · %s game, %s policy, %s schedule · %,d agents%s%n",
        s.name(), s.seed(), s.game(), s.policy(), s.schedule(), s.populationSize(),
        s.committedCount() > 0 ? String.format(Locale.ROOT, " (%,d committed)", s.committedCount()) : "");
    // An encounter game's summary has its game's measures (none before its first round ends).
    boolean encounters = !s.measures().isEmpty() || "encounters".equals(s.schedule());
    if (encounters) {
      out.println("stopped: " + s.stopReason());
    } else if (s.converged()) {
      out.printf(Locale.ROOT, "converged on %s at interaction %,d (population round %d)%n",
          s.winner(), s.convergenceInteraction(), s.convergenceRound());
    } else if (Boolean.TRUE.equals(s.flipped())) {
      // A tip is the outcome a committed-minority study looks for, not a failure to converge.
      out.printf(Locale.ROOT, "flipped to %s at population round %d%s%n",
          committedName == null ? "the committed name" : committedName, s.flipRound(),
          "flipped".equals(s.stopReason()) ? "" : " (stopped: " + s.stopReason() + ")");
    } else {
      out.printf(Locale.ROOT, "did not converge (%s)%n", s.stopReason());
    }
    if (s.flipped() != null && (s.converged() || !s.flipped())) {
      out.println(s.flipped()
          ? String.format(Locale.ROOT, "the committed minority flipped the population at round %d", s.flipRound())
          : "the committed minority did not flip the population");
    }
    out.printf(Locale.ROOT, "%,d interactions · %,d population rounds · %.1f s · %,.0f interactions/s%s%n",
        s.interactions(), s.populationRounds(), s.wallSeconds(), s.interactionsPerSecond(),
        s.invalidInteractions() > 0 ? String.format(Locale.ROOT, " · %,d invalid", s.invalidInteractions()) : "");
    if (s.inference() != null) {
      var llm = s.inference();
      out.printf(Locale.ROOT, "llm: %,d calls%s · %,d requests · %,d prompt + %,d answer tokens · %,d retries · "
              + "%,d unusable answers%s%n", llm.calls(),
          llm.replayedCalls() > 0 ? String.format(Locale.ROOT, " (+%,d replayed)", llm.replayedCalls()) : "",
          llm.requests(), llm.promptTokens(), llm.completionTokens(), llm.retries(), llm.invalidAnswers(),
          llm.estimatedCost() > 0 ? String.format(Locale.ROOT, " · estimated cost %.4f", llm.estimatedCost()) : "");
    }
    if (!encounters) {
      out.println("final shares: " + topShares(s.finalShares()));
    } else if (!s.measures().isEmpty()) {
      StringBuilder last = new StringBuilder("last round:");
      s.measures().forEach((column, value) -> last.append(' ').append(column).append(' ').append(measure(value)));
      out.println(last);
    }
    if (s.status() == RunOutcome.INTERRUPTED) {
      out.println("interrupted: everything finished so far is saved");
    }
    if (s.status() == RunOutcome.BUDGET_EXHAUSTED) {
      out.println("budget exhausted: the run stopped; everything finished so far is saved");
    }
    out.println("run directory: " + dir);
  }

  /** A measure as people read it: a count without decimals ("conflicts 84"), else three. */
  static String measure(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  /**
   * The leading names with their shares, largest first: at most {@link #SHOWN_NAMES}, and none
   * that rounds to 0.00 (a run of invented names leaves hundreds of those); the rest are counted
   * with their summed share.
   */
  static String topShares(Map<String, Double> shares) {
    if (shares.isEmpty()) {
      return "-";
    }
    var shown = shares.entrySet().stream()
        .filter(e -> e.getValue() >= 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(SHOWN_NAMES)
        .toList();
    String top = shown.stream()
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
    int others = shares.size() - shown.size();
    if (others == 0) {
      return top;
    }
    double rest = shares.values().stream().mapToDouble(Double::doubleValue).sum()
        - shown.stream().mapToDouble(Map.Entry::getValue).sum();
    return (top.isEmpty() ? "" : top + " ") + String.format(Locale.ROOT, "(+%,d other%s, %.2f together)",
        others, others == 1 ? "" : "s", Math.max(0, rest));
  }
}
