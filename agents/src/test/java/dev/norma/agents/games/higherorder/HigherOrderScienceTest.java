package dev.norma.agents.games.higherorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The higher-order naming game with a committed minority (Iacopini, Petri, Baronchelli &amp;
 * Barrat, Commun. Phys. 5, 64, 2022) against its mean-field equations, and the paper's two
 * qualitative findings on homogeneously mixed groups: the critical mass p_c is smaller for lower β
 * (at fixed g), and it depends on g non-monotonically (at fixed β).
 *
 * <p>Mean field (derived here; {@link HigherOrderMeanField} integrates it). Let a, b, c be the
 * uncommitted agents on A, B, AB as fractions of the population, p the committed (on A), and
 * k = g − 1. In a large population a group's members are independent draws. The speaker says A
 * with probability a + p + c/2 and B with probability b + c/2; all k hearers know A with
 * probability (1 − b)^k, all know B with probability (1 − a − p)^k.
 * <ul>
 *   <li>A grows only when a unanimous group agrees on A (probability β): its AB members turn A.
 *       The speaker is one if it is AB (and said A: c/2); given unanimity each hearer is AB with
 *       probability c/(1 − b), k c/(1 − b) of them on average.</li>
 *   <li>A shrinks only when B is said and an A hearer learns it. An A hearer rules out agreement
 *       on B, so whatever β each of the k a A hearers expected turns AB: k a (b + c/2).</li>
 * </ul>
 * With time in population rounds (N group interactions, each advancing time by 1/N), and B
 * likewise:
 * <pre>
 *   da/dt = β (1−b)^k c/2 + β k c (1−b)^(k−1) (a + p + c/2) − k a (b + c/2)
 *   db/dt = β (1−a−p)^k c/2 + β k c (1−a−p)^(k−1) (b + c/2) − k b (a + p + c/2)
 * </pre>
 * At g = 2 these are the paper's pairwise equations, and at β = 1 Xie et al.'s; at g = 3,
 * multiplied out, they are the paper's cubic equations for triangles. The critical mass is the
 * least p from which, starting from all uncommitted agents on B, most of them end on A.
 *
 * <p>Where the points come from: the paper's mean-field phase diagram in β and p for pairs and
 * triangles (g = 2 and 3; its Fig. 2 as we recall it) and its simulations on homogeneous
 * hypergraphs with larger groups (a later figure). Figure numbers are from memory, not checked
 * against the article; the values below are this mean field's and this simulation's.
 *
 * <p>Measured. Mean-field p_c (bisection to 1e-4 on tipping within 3000 rounds):
 * <pre>
 *   β      g = 2    g = 3            g      β = 1    β = 0.6
 *   0.4    0.0206   0.0317           2      0.0979   0.0601
 *   0.5    0.0435   0.0570           3      0.1250   0.0766
 *   0.6    0.0601   0.0766           4      0.1308   0.0813
 *   0.8    0.0829   0.1051           6      0.1244   0.0801
 *   1.0    0.0979   0.1250           8      0.1136   0.0756
 *                                    16     0.0823   0.0597
 * </pre>
 * Simulation against the mean field (N = 5000, mean of 8 seeds, 60 rounds), the largest gap in
 * any round and state: 0.018 at (g, β, p) = (3, 0.5, 0.10), 0.013 at (4, 0.6, 0.05), 0.017 at
 * (5, 1, 0.20), 0.007 at (2, 0.8, 0.15), 0.012 at (8, 0.8, 0.15). Tipping in simulation (N = 2000,
 * 6 seeds, 300 rounds): at p = 0.10 groups of 3 and 4 all tip with β = 0.6 and none with β = 1;
 * at β = 1 and p = 0.115 pairs and groups of 12 all tip, groups of 4 none. The altered rules miss
 * the mean field at (3, 0.5, 0.10) by 0.29 (majority), 0.52 (β per hearer) and 1.0 (hearers that
 * do not learn); β drawn per member stays within 0.008.
 *
 * Below β ≈ 1/3 the mean field has an AB-rich mixed state instead of a B majority, and "tipping"
 * means something else; these tests stay at β ≥ 0.4.
 */
class HigherOrderScienceTest {
  private static final int N = 5000;
  private static final int SEEDS = 8;
  private static final int ROUNDS = 60;
  /**
   * The largest gap allowed between the mean of 8 runs of N = 5000 and the mean field, in any
   * round and state. A fraction of N agents fluctuates by about sqrt(0.25/N) = 0.007 in one run,
   * 0.0025 in the mean of 8; on the steep part of a tipping, where the fraction on A rises by up
   * to 0.15 a round, a spread of about a round in tipping times moves the mean by a few
   * hundredths; groups drawn without replacement add O(g/N).
   */
  private static final double TOLERANCE = 0.035;

  /** The largest gap between the mean simulated trajectory and the mean field, over rounds and states. */
  private static double deviationFromMeanField(GroupInteraction rules, double beta, double committedFraction) {
    double[][] mean = new double[ROUNDS][3];
    for (int seed = 0; seed < SEEDS; seed++) {
      List<ConventionShares> rows = new HigherOrderLoop(rules, N, committedFraction, seed).runRounds(ROUNDS);
      for (int round = 0; round < ROUNDS; round++) {
        mean[round][0] += rows.get(round).onA() / SEEDS;
        mean[round][1] += rows.get(round).onB() / SEEDS;
        mean[round][2] += rows.get(round).undecided() / SEEDS;
      }
    }
    HigherOrderMeanField model = new HigherOrderMeanField(rules.groupSize(), beta, committedFraction);
    double deviation = 0;
    for (int round = 0; round < ROUNDS; round++) {
      model.round();
      deviation = Math.max(deviation, Math.abs(mean[round][0] - model.onA()));
      deviation = Math.max(deviation, Math.abs(mean[round][1] - model.onB()));
      deviation = Math.max(deviation, Math.abs(mean[round][2] - model.undecided()));
    }
    return deviation;
  }

  /** How many of {@code seeds} runs of N = 2000 tip within 300 rounds. */
  private static int tippingRuns(int groupSize, double beta, double committedFraction, int seeds) {
    int tipped = 0;
    for (int seed = 0; seed < seeds; seed++) {
      HigherOrderLoop loop = new HigherOrderLoop(new HigherOrderNamingGame(groupSize, beta), 2000,
          committedFraction, 100 + seed);
      tipped += loop.tippingRound(300) >= 0 ? 1 : 0;
    }
    return tipped;
  }

  /** (g, β, p): tipping in about 12 rounds, settled below p_c, tipping at once, pairs, groups of 8. */
  private static final double[][] TRAJECTORY_POINTS =
      {{3, 0.5, 0.10}, {4, 0.6, 0.05}, {5, 1.0, 0.20}, {2, 0.8, 0.15}, {8, 0.8, 0.15}};

  @Test
  void simulatedTrajectoriesFollowTheMeanField() {
    for (double[] point : TRAJECTORY_POINTS) {
      int g = (int) point[0];
      double deviation = deviationFromMeanField(new HigherOrderNamingGame(g, point[1]), point[1], point[2]);
      System.out.printf("higher-order naming game, g = %d, beta = %.1f, p = %.2f, N = %d: largest gap to the mean"
          + " field %.4f%n", g, point[1], point[2], N, deviation);
      assertThat(deviation).as("g = %d, beta = %s, p = %s", g, point[1], point[2]).isLessThan(TOLERANCE);
    }
  }

  @Test
  void theCriticalMassIsSmallerForLowerBeta() {
    for (int g : new int[] {2, 3}) {
      double previous = 0;
      for (double beta : new double[] {0.4, 0.5, 0.6, 0.8, 1.0}) {
        double critical = HigherOrderMeanField.criticalFraction(g, beta);
        System.out.printf("higher-order naming game, mean field: g = %d, beta = %.1f, p_c = %.4f%n", g, beta, critical);
        assertThat(critical).as("g = %d, beta = %s", g, beta).isGreaterThan(previous + 0.01);
        previous = critical;
      }
    }
    // Simulation: at p = 0.10, groups of 3 and of 4 tip with beta = 0.6 (p_c 0.077 and 0.081) and
    // hold with beta = 1 (p_c 0.125 and 0.131).
    for (int g : new int[] {3, 4}) {
      assertThat(tippingRuns(g, 0.6, 0.10, 6)).as("g = %d, beta = 0.6", g).isEqualTo(6);
      assertThat(tippingRuns(g, 1.0, 0.10, 6)).as("g = %d, beta = 1", g).isZero();
    }
  }

  @Test
  void theCriticalMassRisesThenFallsWithGroupSize() {
    int[] sizes = {2, 3, 4, 6, 8, 16};
    for (double beta : new double[] {1.0, 0.6}) {
      double[] critical = new double[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        critical[i] = HigherOrderMeanField.criticalFraction(sizes[i], beta);
        System.out.printf("higher-order naming game, mean field: beta = %.1f, g = %d, p_c = %.4f%n", beta, sizes[i],
            critical[i]);
      }
      // Largest at g = 4: rising from pairs to groups of four, falling beyond.
      assertThat(critical[1]).as("beta = %s, g 2 to 3", beta).isGreaterThan(critical[0] + 0.01);
      assertThat(critical[2]).as("beta = %s, g 3 to 4", beta).isGreaterThan(critical[1]);
      assertThat(critical[3]).as("beta = %s, g 4 to 6", beta).isLessThan(critical[2]);
      assertThat(critical[4]).as("beta = %s, g 6 to 8", beta).isLessThan(critical[3]);
      assertThat(critical[5]).as("beta = %s, g 8 to 16", beta).isLessThan(critical[4] - 0.01);
    }
    // Simulation at beta = 1, p = 0.115: pairs (p_c 0.098) and groups of 12 (p_c 0.095) tip,
    // groups of 4 (p_c 0.131) hold.
    assertThat(tippingRuns(2, 1.0, 0.115, 6)).isEqualTo(6);
    assertThat(tippingRuns(4, 1.0, 0.115, 6)).isZero();
    assertThat(tippingRuns(12, 1.0, 0.115, 6)).isEqualTo(6);
  }

  /**
   * Negative controls: each altered rule, played where the published one follows the mean field
   * (g = 3, β = 0.5, p = 0.10), misses it by more than the tolerance, so the trajectory test would
   * fail. Agreement when at least half the hearers know the word tips much sooner; β per hearer
   * (a unanimous group of 3 agrees with probability β² = 0.25) leaves most agents undecided; hearers
   * that do not learn never let A in.
   */
  @Test
  void alteredRulesMissTheMeanField() {
    double beta = 0.5;
    double p = 0.10;
    for (AlteredGroupRules altered : List.of(AlteredGroupRules.majority(3, beta),
        AlteredGroupRules.betaPerHearer(3, beta), AlteredGroupRules.deafHearers(3, beta))) {
      double deviation = deviationFromMeanField(altered, beta, p);
      System.out.printf("altered rule %s: largest gap to the mean field %.4f%n", altered.getClass(), deviation);
      assertThat(deviation).isGreaterThan(2 * TOLERANCE);
    }
    // Majority with groups of 4 (2 of 3 hearers suffice) below the critical mass, too.
    assertThat(deviationFromMeanField(AlteredGroupRules.majority(4, 0.6), 0.6, 0.05)).isGreaterThan(TOLERANCE);
    // Hearers that do not learn: pairs never tip, even well above p_c.
    HigherOrderLoop deafPairs = new HigherOrderLoop(AlteredGroupRules.deafHearers(2, 1.0), 2000, 0.14, 0);
    assertThat(deafPairs.tippingRound(200)).isEqualTo(-1);
  }

  /**
   * A limit of the mean field: β drawn independently for each member of a unanimous group
   * changes as many members on average as one draw for the whole group, so its mean field is the
   * same and it stays within the tolerance. Only fluctuations could tell the two apart.
   */
  @Test
  void betaPerMemberHasTheSameMeanField() {
    double deviation = deviationFromMeanField(AlteredGroupRules.betaPerMember(3, 0.5), 0.5, 0.10);
    System.out.printf("beta per member: largest gap to the mean field %.4f%n", deviation);
    assertThat(deviation).isLessThan(TOLERANCE);
  }

  @Test
  void theMeanFieldConservesThePopulation() {
    HigherOrderMeanField model = new HigherOrderMeanField(4, 0.6, 0.08);
    for (int round = 0; round < 50; round++) {
      model.round();
      assertThat(model.onA() + model.onB() + model.undecided()).isCloseTo(1.0, within(1e-12));
      assertThat(model.onA()).isBetween(0.0, 1.0);
      assertThat(model.onB()).isBetween(0.0, 1.0);
      assertThat(model.undecided()).isBetween(0.0, 1.0);
    }
  }
}
