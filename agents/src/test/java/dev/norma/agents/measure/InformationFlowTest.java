package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.measure.InformationFlow.Result;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InformationFlowTest {
  private static final double LN2 = Math.log(2);

  @Test
  void aTwoByTwoTableByHand() {
    // (A, P) over 8 tuples, A' always 0: (0,0) x3, (0,1) x1, (1,0) x1, (1,1) x3.
    // H(A) = H(P) = 1 bit; H(A,P) = 2 · 3/8 · log2(8/3) + 2 · 1/8 · 3 = 1.061278 + 0.75 = 1.811278.
    // Plug-in I = 1 + 1 - 1.811278 = 0.188722 bits.
    // Miller-Madow adds (K - 1) / (2n ln 2) bits per term, K = 2, 2, 4: I = 0.188722 + (1 + 1 - 3) / (16 ln 2)
    // = 0.188722 - 0.090168 = 0.098554.
    // With A' constant, TE = I(A;P|A') = I(A;P): the same plug-in value, and the same correction
    // (K = 2, 2, 4, 1 for H(A,A'), H(P,A'), H(A,P,A'), H(A')).
    Result result = repeated(new int[] {3, 0, 0, 0}, new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 0},
        new int[] {3, 1, 1, 0}).result();
    assertThat(result.samples()).isEqualTo(8);
    double plugIn = 2 - (0.75 * Math.log(8.0 / 3) / LN2 + 0.75);
    assertThat(plugIn).isCloseTo(0.188722, within(1e-6));
    assertThat(result.mutualInformation().plugInBits()).isCloseTo(plugIn, within(1e-12));
    assertThat(result.mutualInformation().correctedBits()).isCloseTo(plugIn - 1 / (16 * LN2), within(1e-12));
    assertThat(result.transferEntropy().plugInBits()).isCloseTo(plugIn, within(1e-12));
    assertThat(result.transferEntropy().correctedBits()).isCloseTo(plugIn - 1 / (16 * LN2), within(1e-12));
    assertThat(result.mutualInformation().pValue()).isNaN();
  }

  @Test
  void largeActionIdsGiveTheSameValuesAsSmallOnes() {
    // The table above with ids 0 -> 1000 and 1 -> 2_000_000 (counted by sorting, not in a dense
    // table): entropies depend on the joint counts only.
    InformationFlow small = new InformationFlow(30, 2);
    InformationFlow large = new InformationFlow(30, 2);
    int[][] tuples = {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 0}};
    for (int[] t : tuples) {
      small.add(t[0], t[1], t[2]);
      large.add(relabel(t[0]), relabel(t[1]), relabel(t[2]));
    }
    assertThat(large.result()).isEqualTo(small.result());
  }

  private static int relabel(int action) {
    return action == 0 ? 1000 : 2_000_000;
  }

  @Test
  void anAgentThatKeepsItsOwnActionHasMutualInformationButNoTransferEntropy() {
    // (A, P, A'): (0,0,0) x3, (0,1,0) x1, (1,1,1) x3, (1,0,1) x1. A = A': the agent repeats itself.
    // The (A, P) table is the one above, so I(A;P) = 0.188722 bits, but given A' the partner
    // tells nothing more: H(A,A') = 1, H(P,A') = H(A,P,A') = 1.811278, H(A') = 1, TE = 0; the
    // Miller-Madow terms (K = 2, 4, 4, 2) cancel too.
    Result result = repeated(new int[] {3, 0, 0, 0}, new int[] {1, 0, 1, 0}, new int[] {3, 1, 1, 1},
        new int[] {1, 1, 0, 1}).result();
    assertThat(result.mutualInformation().plugInBits()).isCloseTo(0.188722, within(1e-6));
    assertThat(result.transferEntropy().plugInBits()).isCloseTo(0, within(1e-12));
    assertThat(result.transferEntropy().correctedBits()).isCloseTo(0, within(1e-12));
  }

  @Test
  void independentActionsCarryNoInformationAfterCorrectionAndAreNotSignificant() {
    // Negative control: A, P and A' drawn independently and uniformly from 4 actions, n = 2000.
    // Plug-in MI is biased up by about (4 - 1)² / (2n ln 2) = 0.0032 bits; corrected and excess
    // values are near 0, and the surrogate test does not reject.
    SplittableRandom random = new SplittableRandom(11);
    InformationFlow flow = new InformationFlow(InformationFlow.DEFAULT_SURROGATES, 5);
    for (int i = 0; i < 2000; i++) {
      flow.add(random.nextInt(4), random.nextInt(4), random.nextInt(4));
    }
    Result result = flow.result();
    assertThat(result.mutualInformation().plugInBits()).isGreaterThan(0);
    assertThat(result.mutualInformation().correctedBits()).isCloseTo(0, within(0.003));
    assertThat(result.mutualInformation().excessBits()).isCloseTo(0, within(0.003));
    assertThat(result.mutualInformation().pValue()).isGreaterThan(0.05);
    assertThat(result.transferEntropy().excessBits()).isCloseTo(0, within(0.01));
    assertThat(result.transferEntropy().pValue()).isGreaterThan(0.05);
  }

  @Test
  void anAgentThatCopiesItsPartnerCarriesAllItsEntropyFromThePartner() {
    // A_t = P_{t-1}, both uniform over 4 actions, A' independent: I(A;P) = H(A) ≈ 2 bits, TE ≈ 2
    // bits, and no shuffle comes close: p = 1 / (1 + 200).
    SplittableRandom random = new SplittableRandom(12);
    InformationFlow flow = new InformationFlow(InformationFlow.DEFAULT_SURROGATES, 5);
    int[] counts = new int[4];
    for (int i = 0; i < 1000; i++) {
      int partner = random.nextInt(4);
      counts[partner]++;
      flow.add(partner, partner, random.nextInt(4));
    }
    Result result = flow.result();
    assertThat(result.mutualInformation().plugInBits()).isCloseTo(Entropy.plugInBits(counts, 4), within(1e-12));
    assertThat(result.mutualInformation().plugInBits()).isCloseTo(2, within(0.01));
    assertThat(result.mutualInformation().excessBits()).isGreaterThan(1.9);
    assertThat(result.mutualInformation().pValue()).isEqualTo(1.0 / 201);
    assertThat(result.transferEntropy().correctedBits()).isCloseTo(2, within(0.05));
    assertThat(result.transferEntropy().pValue()).isEqualTo(1.0 / 201);
  }

  @Test
  void theSameSeedGivesTheSameSurrogatesAndAnotherSeedOthers() {
    InformationFlow first = new InformationFlow(50, 99);
    InformationFlow again = new InformationFlow(50, 99);
    InformationFlow other = new InformationFlow(50, 100);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 300; i++) {
      int a = random.nextInt(3);
      int p = random.nextDouble() < 0.3 ? a : random.nextInt(3);
      int own = random.nextInt(3);
      first.add(a, p, own);
      again.add(a, p, own);
      other.add(a, p, own);
    }
    assertThat(again.result()).isEqualTo(first.result());
    assertThat(first.result()).isEqualTo(first.result());
    assertThat(other.result().mutualInformation().correctedBits())
        .isEqualTo(first.result().mutualInformation().correctedBits());
    assertThat(other.result().mutualInformation().surrogateMeanBits())
        .isNotEqualTo(first.result().mutualInformation().surrogateMeanBits());
  }

  @Test
  void anEmptyWindowHasNothingToReport() {
    Result result = new InformationFlow(10, 1).result();
    assertThat(result.samples()).isZero();
    assertThat(result.mutualInformation().correctedBits()).isZero();
    assertThat(result.transferEntropy().pValue()).isEqualTo(1.0);
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> new InformationFlow(-1, 0)).hasMessageContaining("surrogates");
    InformationFlow flow = new InformationFlow(0, 0);
    assertThatThrownBy(() -> flow.add(0, -1, 0)).hasMessageContaining("partnerPreviousAction");
    assertThatThrownBy(() -> flow.add(0, 0, 1 << 21)).hasMessageContaining("agentPreviousAction");
  }

  /** A window without surrogates holding each {times, action, partnerPrevious, ownPrevious} that many times. */
  private static InformationFlow repeated(int[]... rows) {
    InformationFlow flow = new InformationFlow(0, 1);
    for (int[] row : rows) {
      for (int i = 0; i < row[0]; i++) {
        flow.add(row[1], row[2], row[3]);
      }
    }
    return flow;
  }
}
