package dev.norma.testkit;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.testkit.fakellm.FakeLlmServer;
import java.util.List;

/** Spec text and specs for tests of whole studies. */
public final class Specs {
  private Specs() {
  }

  /** {@code yaml} with {@code path=value} overrides, bound and resolved as a run resolves it. */
  public static ExperimentSpec parse(String yaml, String... overrides) throws SpecException {
    return SpecLoader.parse(yaml, List.of(overrides)).resolved();
  }

  /**
   * 24 language-model agents of the naming game (ten names, memory 5) asking {@code server}, at
   * most 32 calls in flight, for at most 120 rounds; seed 11. Tests change it with overrides or
   * by replacing a line's text ({@code maxInFlight: 32}, {@code stop: {maxRounds: 120}}).
   */
  public static String llm(FakeLlmServer server) {
    return """
        name: llm-e2e
        seed: 11
        population: {size: 24}
        game: {names: [Q, M, X, "Y", F, J, P, R, C, D], memory: 5}
        policy:
          kind: llm
          llm: {temperature: 0.5, maxTokens: 32, seed: 5}
        inference:
          endpoints:
            - {name: fake, url: '%s', model: norma-fake-llm, maxInFlight: 32}
        stop: {maxRounds: 120}
        """.formatted(url(server));
  }

  /** The fake server's API base URL, as specs name it (and nodes allow it). */
  public static String url(FakeLlmServer server) {
    return server.baseUri() + "/v1";
  }
}
