package dev.norma.agents.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How far one run is from a single convention, from the count of each name in a window (a
 * population round, or the current inventories).
 *
 * <p>Two order parameters, one per family of models (SCIENCE.md §1–2):
 * <ul>
 *   <li>Naming games with W names (Baronchelli et al. 2006; Ashery et al. 2025): the share of the
 *       majority name, {@code max_i n_i / Σ n_i}, from 1/W (all names equally used) to 1
 *       (consensus). This is the {@code topShare} of {@link RoundRow}.</li>
 *   <li>Binary agreement (Xie et al. 2011), agents in states A, B or AB:
 *       {@code |n_A − n_B| / N}, where n_A and n_B count the agents holding only A and only B and N
 *       counts every agent (AB agents and committed agents included): 0 for a balanced or an all-AB
 *       population, 1 for consensus, the magnetisation of the equivalent spin model.</li>
 * </ul>
 */
public final class OrderParameter {
  private OrderParameter() {
  }

  /** A name, its count in the window and its share of the window's total. */
  public record Share(String name, long count, double share) {
  }

  /**
   * The {@code k} most counted names with their shares, most counted first. Ties keep the map's
   * iteration order: pass names in pool order to break ties by the lowest word id, as
   * {@link RoundRow} does. Shares are 0 when the window is empty.
   */
  public static List<Share> leading(Map<String, Long> counts, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k: expected at least 1, got " + k);
    }
    long total = total(counts);
    List<Share> shares = new ArrayList<>(counts.size());
    counts.forEach((name, count) -> shares.add(new Share(name, count, total == 0 ? 0 : (double) count / total)));
    shares.sort(Comparator.comparingLong(Share::count).reversed());
    return List.copyOf(shares.subList(0, Math.min(k, shares.size())));
  }

  /** The share of the most counted name, {@code max_i n_i / Σ n_i}; 0 for an empty window. */
  public static double majorityShare(Map<String, Long> counts) {
    long total = total(counts);
    long max = 0;
    for (long count : counts.values()) {
      max = Math.max(max, count);
    }
    return total == 0 ? 0 : (double) max / total;
  }

  /**
   * Binary agreement's order parameter {@code |n_A − n_B| / N}.
   *
   * @param onlyA      agents holding only A
   * @param onlyB      agents holding only B
   * @param population N, every agent (AB and committed ones included)
   */
  public static double binaryAgreement(long onlyA, long onlyB, long population) {
    if (onlyA < 0 || onlyB < 0 || onlyA + onlyB > population) {
      throw new IllegalArgumentException("expected 0 <= onlyA + onlyB <= population, got onlyA=" + onlyA
          + " onlyB=" + onlyB + " population=" + population);
    }
    return population == 0 ? 0 : (double) Math.abs(onlyA - onlyB) / population;
  }

  private static long total(Map<String, Long> counts) {
    long total = 0;
    for (var entry : counts.entrySet()) {
      if (entry.getValue() == null || entry.getValue() < 0) {
        throw new IllegalArgumentException("counts." + entry.getKey() + ": expected a count >= 0, got "
            + entry.getValue());
      }
      total += entry.getValue();
    }
    return total;
  }
}
