package dev.norma.agents.games.speakerhearer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Scaling;
import dev.norma.agents.Specs;
import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.record.InteractionRecord;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The minimal naming game on the complete graph (Baronchelli, Felici, Loreto, Caglioti &amp; Steels,
 * J. Stat. Mech. P06014, 2006): the convergence time, and the peak total number of words, grow as
 * N^1.5 interactions, with sizeable finite-size corrections below N ≈ 10^4.
 *
 * <p>What this implementation gives (means over 100 seeds per size, interactions):
 * <pre>
 *      N   t_conv  t_conv/N^1.5   peak words  peak/N^1.5
 *    256     8516      2.08           1483       0.362
 *    512    20420      1.76           4057       0.350
 *   1024    51885      1.58          11124       0.339
 *   2048   132279      1.43          30918       0.334
 *   4096   352611      1.35          87273       0.333
 *   8192   995945      1.34         247078       0.333
 * </pre>
 * t_conv/N^1.5 is still falling at N = 4096 and levels off by N = 8192, so the apparent exponent
 * rises with N: over five independent sets of 32 seeds, a fit over 256..8192 gave 1.375–1.397 and
 * one over 2048..8192 gave 1.43–1.46. The peak settles sooner: 1.473–1.478 over 256..8192, at
 * 0.333 N^1.5. The bands below are set around these measurements.
 */
class MinimalNamingGameScienceTest {
  private static final int[] SIZES = {256, 512, 1024, 2048, 4096, 8192};
  private static final int SEEDS = 32;

  /** Total words held, followed interaction by interaction from the records' inventory sizes. */
  static final class WordCount implements Consumer<InteractionRecord> {
    private final int[] inventory;
    private long total;
    long peak;

    WordCount(int populationSize) {
      inventory = new int[populationSize];
    }

    @Override
    public void accept(InteractionRecord r) {
      total += r.initiatorInventory() - inventory[r.initiator()];
      inventory[r.initiator()] = r.initiatorInventory();
      total += r.responderInventory() - inventory[r.responder()];
      inventory[r.responder()] = r.responderInventory();
      peak = Math.max(peak, total);
    }
  }

  /** Mean convergence time and mean peak word count over seeds, per size. */
  record Scan(int[] sizes, double[] convergenceTime, double[] peakWords, int unconverged) {
    double timeExponent() {
      return Scaling.logLogSlope(asDoubles(sizes), convergenceTime);
    }

    double peakExponent() {
      return Scaling.logLogSlope(asDoubles(sizes), peakWords);
    }

    double peakOverNToTheThreeHalves(int i) {
      return peakWords[i] / Math.pow(sizes[i], 1.5);
    }

    private static double[] asDoubles(int[] values) {
      return Arrays.stream(values).asDoubleStream().toArray();
    }
  }

  private static StudyPlan plan(int n, long seed, long maxRounds) {
    return new StudyPlan(Specs.of("game.kind=minimal-naming", "population.size=" + n,
        "stop.maxRounds=" + maxRounds), seed);
  }

  /**
   * Runs every size over the seeds; {@code runner} plays one plan and feeds the word count. A run
   * gets at most {@code roundsPerRootN}·√N population rounds (the published rule needs 1.3–2.1·√N
   * on average); after a size with an unconverged run the larger sizes are skipped.
   */
  private static Scan scan(int[] sizes, int seeds, long roundsPerRootN,
                           BiFunction<StudyPlan, WordCount, PopulationObserver> runner) {
    double[] time = new double[sizes.length];
    double[] peak = new double[sizes.length];
    int unconverged = 0;
    for (int i = 0; i < sizes.length && unconverged == 0; i++) {
      long maxRounds = (long) Math.ceil(roundsPerRootN * Math.sqrt(sizes[i]));
      for (int s = 0; s < seeds; s++) {
        StudyPlan plan = plan(sizes[i], 1_000L * sizes[i] + s, maxRounds);
        WordCount words = new WordCount(sizes[i]);
        PopulationObserver observer = runner.apply(plan, words);
        if (observer.converged()) {
          time[i] += (observer.convergenceIndex() + 1) / (double) seeds;
        } else {
          unconverged++;
        }
        peak[i] += words.peak / (double) seeds;
      }
    }
    return new Scan(sizes, time, peak, unconverged);
  }

  private static void report(String what, Scan scan) {
    System.out.printf("minimal naming game, %s: sizes %s, mean t_conv %s, mean peak words %s, "
            + "time exponent %.3f, peak exponent %.3f, unconverged %d%n", what,
        Arrays.toString(scan.sizes()), Arrays.toString(round(scan.convergenceTime())),
        Arrays.toString(round(scan.peakWords())), scan.timeExponent(), scan.peakExponent(),
        scan.unconverged());
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }

  private static PopulationObserver published(StudyPlan plan, WordCount words) {
    return new PlainLoop(plan).run(words, null);
  }

  @Test
  void convergenceTimeAndPeakNumberOfWordsGrowAsNToTheThreeHalves() {
    Scan scan = scan(SIZES, SEEDS, 15, MinimalNamingGameScienceTest::published);
    report("published rule", scan);
    Scan largest = new Scan(Arrays.copyOfRange(SIZES, 3, 6),
        Arrays.copyOfRange(scan.convergenceTime(), 3, 6),
        Arrays.copyOfRange(scan.peakWords(), 3, 6), 0);

    assertThat(scan.unconverged()).isZero();
    assertThat(scan.timeExponent()).as("time exponent, 256..8192").isBetween(1.3, 1.6);
    assertThat(largest.timeExponent()).as("time exponent, 2048..8192").isBetween(1.38, 1.62);
    // The finite-size correction slows the growth at small N; it fades as N grows.
    assertThat(largest.timeExponent()).isGreaterThan(scan.timeExponent());
    assertThat(scan.peakExponent()).as("peak exponent").isBetween(1.42, 1.58);
    // The hearer-only variant below gives 0.44 instead.
    assertThat(scan.peakOverNToTheThreeHalves(5)).isBetween(0.31, 0.36);
  }

  /**
   * Negative control: a hearer that, on failure, drops its words for the one it heard turns the
   * game into a voter model, whose consensus time grows as N^2 (measured slope 2.0–2.2 over
   * 64..512) and whose inventories never exceed one word (peak slope 1.0).
   */
  @Test
  void aHearerThatAdoptsEveryWordItHearsFallsOutsideTheBand() {
    int[] sizes = {64, 128, 256, 512};
    Scan scan = scan(sizes, 16, 1_000, (plan, words) -> new ModifiedRules(plan) {
      @Override
      public Reply respond(InventoryMind hearer, int word, long index) {
        Reply reply = rules.respond(hearer, word, index);
        if (!reply.success()) {
          hearer.collapseTo(word);
        }
        return reply;
      }
    }.run(plan, words, null));
    report("voter-like hearer", scan);

    assertThat(scan.unconverged()).isZero();
    assertThat(scan.timeExponent()).isGreaterThan(1.75);
    assertThat(scan.peakExponent()).isLessThan(1.2);
  }

  /** Negative control: without the collapse on success, synonyms pile up and no consensus forms. */
  @Test
  void withoutTheCollapseOnSuccessThePopulationNeverAgrees() {
    Scan scan = scan(new int[] {128}, 4, 36, (plan, words) -> new ModifiedRules(plan) {
      @Override
      public Reply respond(InventoryMind hearer, int word, long index) {
        boolean held = hearer.holds(word);
        if (!held) {
          hearer.add(word);
        }
        return new Reply(-1, held);
      }

      @Override
      public void conclude(InventoryMind speaker, int ownWord, Reply reply, long index) {
      }
    }.run(plan, words, null));
    report("no collapse on success", scan);

    assertThat(scan.unconverged()).isEqualTo(4);
    // Inventories only grow: after 408 rounds agents hold half of the 128 invented words each
    // (measured 0.50 N^2 words in all).
    assertThat(scan.peakWords()[0]).isGreaterThan(0.3 * 128 * 128);
  }

  /**
   * Negative control: a speaker that keeps its synonyms after a success (the "hearer-only"
   * variant) still converges as N^1.5 (measured time slope 1.38–1.40, peak slope 1.49 over
   * 256..4096), so the exponents cannot tell it apart; its peak prefactor can: 0.44 N^1.5 at
   * N = 2048 against the published rule's 0.33.
   */
  @Test
  void aSpeakerThatKeepsItsSynonymsIsToldApartByThePeakPrefactor() {
    Scan scan = scan(new int[] {2048}, 8, 30, (plan, words) -> new ModifiedRules(plan) {
      @Override
      public void conclude(InventoryMind speaker, int ownWord, Reply reply, long index) {
      }
    }.run(plan, words, null));
    report("speaker keeps its synonyms", scan);

    assertThat(scan.unconverged()).isZero();
    assertThat(scan.peakOverNToTheThreeHalves(0)).isGreaterThan(0.38);
  }

  /**
   * Larger sizes, where the finite-size correction has nearly died out: over 4096..32768 (24
   * seeds) the time exponent measured 1.516 and the peak exponent 1.503. About 80 s.
   */
  @Test
  @Tag("slow")
  void atLargeSizesTheLocalExponentApproachesThreeHalves() {
    int[] sizes = {4096, 8192, 16384, 32768};
    Scan scan = scan(sizes, 24, 15, MinimalNamingGameScienceTest::published);
    report("published rule, large sizes", scan);
    assertThat(scan.unconverged()).isZero();
    assertThat(scan.timeExponent()).isBetween(1.42, 1.58);
    assertThat(scan.peakExponent()).isBetween(1.46, 1.54);
  }
}
