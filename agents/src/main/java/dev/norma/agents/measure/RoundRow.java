package dev.norma.agents.measure;

import java.util.List;

/**
 * One population round (N consecutive interactions by index), as written to {@code rounds.csv}.
 * Shares, entropy and distinct names count the names produced that round by non-committed agents.
 *
 * <p>The columns after {@code totalWords} came later and are appended, so readers of the first
 * eight columns read on: {@code name2,share2,name3,share3} (the runners-up, empty when fewer names
 * were produced), {@code committedShare} (the committed minority's name, whatever its rank,
 * so a tipping curve never switches names; empty without a minority), and the information flow
 * of the round ({@code mutualInformationBits}, {@code transferEntropyBits} and each one's mean over
 * shuffled partners, {@code …ShuffledBits}; empty where it is not measured). Every name's share goes to
 * {@code shares.csv} in long format.
 *
 * @param interactions   interactions recorded up to and including this round
 * @param topName        the most produced name (ties: the lowest word id), empty if none
 * @param entropyBits    Shannon entropy of the produced names, Miller–Madow corrected, in bits
 * @param totalWords     sum of all inventory sizes at the round's end; -1 for games without inventories
 * @param ranked         every name produced this round with its share, most produced first (ties:
 *                       the lowest word id); {@code ranked.get(0)} is the top name
 * @param committedShare the committed name's share, or NaN without a committed minority
 * @param information    the round's information flow from partners to agents (mutual information
 *                       and transfer entropy, Miller–Madow corrected, with their mean over partners
 *                       shuffled within the round), or null where it is not measured
 */
public record RoundRow(long round, long interactions, double successRate, String topName,
                       double topShare, double entropyBits, int distinctNames, long totalWords,
                       List<NameShare> ranked, double committedShare, InformationFlow.Result information) {
  /** How many leading names {@code rounds.csv} holds per round. */
  public static final int TOP_NAMES = 3;
  public static final String CSV_HEADER =
      "round,interactions,successRate,topName,topShare,entropyBits,distinctNames,totalWords,"
          + "name2,share2,name3,share3,committedShare,mutualInformationBits,mutualInformationShuffledBits,"
          + "transferEntropyBits,transferEntropyShuffledBits";

  /** A name and its share of a round's production. */
  public record NameShare(String name, double share) {
  }

  public RoundRow {
    ranked = List.copyOf(ranked);
  }

  /** A row without information flow. */
  public RoundRow(long round, long interactions, double successRate, String topName, double topShare,
                  double entropyBits, int distinctNames, long totalWords, List<NameShare> ranked,
                  double committedShare) {
    this(round, interactions, successRate, topName, topShare, entropyBits, distinctNames, totalWords, ranked,
        committedShare, null);
  }

  /** A row that knows only its top name (no runners-up, no committed minority). */
  public RoundRow(long round, long interactions, double successRate, String topName, double topShare,
                  double entropyBits, int distinctNames, long totalWords) {
    this(round, interactions, successRate, topName, topShare, entropyBits, distinctNames, totalWords,
        topName.isEmpty() ? List.of() : List.of(new NameShare(topName, topShare)), Double.NaN, null);
  }

  public String toCsv() {
    StringBuilder b = new StringBuilder(96);
    b.append(round).append(',').append(interactions).append(',').append(fmt(successRate)).append(',')
        .append(topName).append(',').append(fmt(topShare)).append(',').append(fmt(entropyBits)).append(',')
        .append(distinctNames).append(',').append(totalWords < 0 ? "" : Long.toString(totalWords));
    for (int rank = 1; rank < TOP_NAMES; rank++) {
      if (rank < ranked.size()) {
        b.append(',').append(ranked.get(rank).name()).append(',').append(fmt(ranked.get(rank).share()));
      } else {
        b.append(",,");
      }
    }
    b.append(',').append(Double.isNaN(committedShare) ? "" : fmt(committedShare));
    if (information == null || information.samples() == 0) {
      return b.append(",,,,").toString();
    }
    InformationFlow.Estimate mi = information.mutualInformation();
    InformationFlow.Estimate te = information.transferEntropy();
    return b.append(',').append(fmt(mi.correctedBits())).append(',').append(fmt(mi.surrogateMeanBits()))
        .append(',').append(fmt(te.correctedBits())).append(',').append(fmt(te.surrogateMeanBits())).toString();
  }

  public static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.6f", v);
  }
}
