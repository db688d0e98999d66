package dev.norma.agents;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.util.List;

/** Builds validated specs for tests; a spec a test gets wrong is a test bug, so it fails loudly. */
public final class Specs {
  private Specs() {
  }

  public static ExperimentSpec parse(String yaml, String... overrides) {
    try {
      return SpecLoader.parse(yaml, List.of(overrides));
    } catch (SpecException e) {
      throw new IllegalArgumentException("bad test spec: " + e.getMessage(), e);
    }
  }

  /** The default spec with {@code path=value} overrides. */
  public static ExperimentSpec of(String... overrides) {
    return parse("", overrides);
  }
}
