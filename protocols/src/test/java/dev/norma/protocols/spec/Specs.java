package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Shorthands for the spec tests: parse text that must bind, or collect the problems of text that must not. */
final class Specs {
  private Specs() {
  }

  static ExperimentSpec parse(String yaml, String... overrides) {
    try {
      return SpecLoader.parse(yaml, List.of(overrides));
    } catch (SpecException e) {
      throw new AssertionError("expected a valid spec, got:\n" + e.getMessage(), e);
    }
  }

  /** The problems reported for a spec submitted to a node that follows {@code rules}. */
  static List<String> submittedProblems(SubmissionRules rules, String yaml, String... overrides) {
    AtomicReference<List<String>> problems = new AtomicReference<>();
    assertThatThrownBy(() -> SpecLoader.parse(yaml, List.of(overrides), rules))
        .isInstanceOfSatisfying(SpecException.class, e -> problems.set(e.problems()));
    return problems.get();
  }

  /** The problems reported for a spec that must be rejected. */
  static List<String> problems(String yaml, String... overrides) {
    AtomicReference<List<String>> problems = new AtomicReference<>();
    assertThatThrownBy(() -> SpecLoader.parse(yaml, List.of(overrides)))
        .isInstanceOfSatisfying(SpecException.class, e -> problems.set(e.problems()));
    return problems.get();
  }
}
