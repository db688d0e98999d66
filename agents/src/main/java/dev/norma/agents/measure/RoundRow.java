package dev.norma.agents.measure;

/**
 * One population round (N consecutive interactions by index), as written to {@code rounds.csv}.
 * Shares, entropy and distinct names count the names produced that round by non-committed agents.
 *
 * @param interactions interactions recorded up to and including this round
 * @param topName      the most produced name (ties: the lowest word id), empty if none
 * @param entropyBits  Shannon entropy of the produced names, Miller–Madow corrected, in bits
 * @param totalWords   sum of all inventory sizes at the round's end; -1 for games without inventories
 */
public record RoundRow(long round, long interactions, double successRate, String topName,
                       double topShare, double entropyBits, int distinctNames, long totalWords) {
  public static final String CSV_HEADER =
      "round,interactions,successRate,topName,topShare,entropyBits,distinctNames,totalWords";

  public String toCsv() {
    return round + "," + interactions + "," + fmt(successRate) + "," + topName + ","
        + fmt(topShare) + "," + fmt(entropyBits) + "," + distinctNames + ","
        + (totalWords < 0 ? "" : Long.toString(totalWords));
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.6f", v);
  }
}
