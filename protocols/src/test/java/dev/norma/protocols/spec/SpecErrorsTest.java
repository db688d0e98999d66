package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors are named by their dotted path, and a nested check can still report on another section. */
class SpecErrorsTest {

  @Test
  void nestedErrorsArePrefixedByTheirPath() {
    SpecErrors errors = new SpecErrors();
    errors.at("game").at("settings").add("beta", "expected a number in [0.0, 1.0], got 2");
    assertThat(errors.messages()).containsExactly("game.settings.beta: expected a number in [0.0, 1.0], got 2");
  }

  @Test
  void theRootReachesOtherSectionsAndKeepsTheOrderAndTheRules() {
    SubmissionRules rules = SubmissionRules.CLIENT;
    SpecErrors gameErrors = new SpecErrors(rules).at("game");
    gameErrors.add("kind", "first");
    SpecErrors policyErrors = gameErrors.root().at("policy");
    policyErrors.add("kind", "second");
    gameErrors.at("settings").add("beta", "third");

    assertThat(gameErrors.messages()).containsExactly("game.kind: first", "policy.kind: second",
        "game.settings.beta: third");
    assertThat(policyErrors.rules()).isSameAs(rules);
  }
}
