package dev.norma.agents.measure;

/**
 * How far two raters agree when each puts the same items in one of k categories, from their
 * table of counts ({@code table[i][j]}: items the first rater put in category i and the second in
 * j): the share of items on which they agree, and Cohen's kappa (Cohen 1960), that agreement
 * beyond what their own shares of each category would give by chance:
 *
 * <pre>
 *   p_o = Σ_i n_ii / n        p_e = Σ_i (n_i· / n)(n_·i / n)        κ = (p_o − p_e) / (1 − p_e)
 * </pre>
 *
 * κ is 1 for perfect agreement, 0 for agreement at chance and negative below it. It is undefined
 * (NaN) when both raters put every item in one and the same category (p_e = 1); both figures are
 * NaN without items.
 *
 * @param items    the items rated by both
 * @param observed p_o, the share of items in the same category
 * @param kappa    Cohen's κ
 */
public record Agreement(long items, double observed, double kappa) {

  /** The agreement of a square table of counts. */
  public static Agreement of(long[][] table) {
    int k = table.length;
    long[] rows = new long[k];
    long[] columns = new long[k];
    long n = 0;
    long same = 0;
    for (int i = 0; i < k; i++) {
      if (table[i].length != k) {
        throw new IllegalArgumentException("expected a square table of counts, got row " + i + " of "
            + table[i].length + " in " + k);
      }
      for (int j = 0; j < k; j++) {
        if (table[i][j] < 0) {
          throw new IllegalArgumentException("expected counts, got " + table[i][j] + " at [" + i + "][" + j + "]");
        }
        rows[i] += table[i][j];
        columns[j] += table[i][j];
        n += table[i][j];
      }
      same += table[i][i];
    }
    if (n == 0) {
      return new Agreement(0, Double.NaN, Double.NaN);
    }
    double observed = same / (double) n;
    double chance = 0;
    for (int i = 0; i < k; i++) {
      chance += (rows[i] / (double) n) * (columns[i] / (double) n);
    }
    double kappa = chance >= 1 ? Double.NaN : (observed - chance) / (1 - chance);
    return new Agreement(n, observed, kappa);
  }
}
