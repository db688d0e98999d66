package dev.norma.agents.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The share of agreement and Cohen's kappa on tables worked by hand. */
class AgreementTest {
  @Test
  void kappaOfATableWithDisagreementsIsCountedByHand() {
    // Rows: the first rater's cooperative, adversarial, neutral; columns: the second's.
    long[][] table = {
        {20, 5, 5},
        {2, 40, 3},
        {3, 7, 15}};
    // n = 100; on the diagonal 20 + 40 + 15 = 75: p_o = 0.75.
    // Rows 30, 45, 25; columns 25, 52, 23: p_e = .30 * .25 + .45 * .52 + .25 * .23 = .075 + .234 + .0575 = .3665.
    // κ = (.75 − .3665) / (1 − .3665) = .3835 / .6335 = 0.605367...
    Agreement agreement = Agreement.of(table);
    assertThat(agreement.items()).isEqualTo(100);
    assertThat(agreement.observed()).isEqualTo(0.75);
    assertThat(agreement.kappa()).isCloseTo(0.3835 / 0.6335, within(1e-12));
    assertThat(agreement.kappa()).isCloseTo(0.6054, within(1e-4));
  }

  @Test
  void kappaIsOneForPerfectZeroAtChanceAndNegativeBelowIt() {
    assertThat(Agreement.of(new long[][] {{3, 0}, {0, 7}}).kappa()).isEqualTo(1.0);
    // Both raters say yes half the time, independently: p_o = p_e = 0.5.
    assertThat(Agreement.of(new long[][] {{5, 5}, {5, 5}}).kappa()).isCloseTo(0, within(1e-12));
    // They always differ: p_o = 0, p_e = 0.5, κ = −1.
    assertThat(Agreement.of(new long[][] {{0, 4}, {4, 0}}).kappa()).isCloseTo(-1, within(1e-12));
  }

  @Test
  void oneSharedCategoryLeavesKappaUndefinedAndNoItemsLeaveBothUndefined() {
    Agreement oneCategory = Agreement.of(new long[][] {{6, 0}, {0, 0}});
    assertThat(oneCategory.observed()).isEqualTo(1.0);
    assertThat(oneCategory.kappa()).isNaN();
    Agreement none = Agreement.of(new long[][] {{0, 0}, {0, 0}});
    assertThat(none.items()).isZero();
    assertThat(none.observed()).isNaN();
    assertThatThrownBy(() -> Agreement.of(new long[][] {{1, 2}, {3}})).hasMessageContaining("square");
  }
}
