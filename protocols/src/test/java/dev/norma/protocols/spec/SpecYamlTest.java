package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SpecLoader#toYaml} and {@link ExperimentSpec#resolved()}: what a run directory records. */
class SpecYamlTest {
  private static final String EVERY_FIELD = """
      format: 1
      name: tipping-48
      seed: 20250514
      population:
        size: 48
      topology:
        kind: complete
      game:
        kind: naming
        names: [Q, M]
        memory: 3
        payoff:
          success: 10
          failure: -5
      committed:
        fraction: 0.25
        name: M
        introduce: prepared
        majorityName: Q
      policy:
        kind: memory
        temperature: 0.5
        bias: {M: 1.5, Q: 0.75}
      schedule:
        kind: rounds
        inFlight: 64
      stop:
        maxRounds: 60
        onConvergence: false
        convergenceWindowRounds: 4
        flipThreshold: 0.9
        flipWindowRounds: 2
        flipWithinRounds: 30
        onFlip: false
      output:
        dir: runs/tipping
        interactions: false
      """;

  static Stream<String> specs() {
    return Stream.of(
        "",
        EVERY_FIELD,
        "game: {kind: minimal-naming}\ncommitted: {count: 10, name: A, introduce: atRound 20}",
        "game: {kind: binary-agreement}\ncommitted: {fraction: 0.12}\npopulation: {size: 1000}",
        "game: {poolSize: 26}\ncommitted: {introduce: prepared}",
        "game: {kind: minimal-naming, names: [Q, M, X]}\ncommitted: {count: 2}",
        "game: {names: ['1', '0x10', '1e3', '.5', '-2', yes, 'null', '~', 'true', Y, N, '#a', 'a: b']}");
  }

  @ParameterizedTest
  @MethodSource("specs")
  void writingThenParsingGivesAnEqualSpec(String yaml) {
    ExperimentSpec spec = parse(yaml);
    assertThat(parse(SpecLoader.toYaml(spec))).isEqualTo(spec);
  }

  @Test
  void everyFieldIsWrittenInSpecOrderAndUnsetOnesAreLeftOut() {
    String written = SpecLoader.toYaml(parse(EVERY_FIELD));
    assertThat(written).startsWith("format: 1\nname: tipping-48\nseed: 20250514\npopulation:\n  size: 48\n");
    assertThat(written).containsSubsequence("population:", "topology:", "game:", "committed:", "policy:",
        "schedule:", "stop:", "output:");
    assertThat(SpecLoader.toYaml(ExperimentSpec.defaults())).doesNotContain("seed", "dir", "poolSize", "count");
  }

  @Test
  void aBiasKeepsItsWrittenOrder() {
    String written = SpecLoader.toYaml(parse("policy:\n  bias: {X: 2, Q: 3, M: 4}\n"));
    assertThat(written).containsSubsequence("X: 2.0", "Q: 3.0", "M: 4.0");
  }

  @Test
  void aDrawnSeedIsWrittenAndReadBack() {
    ExperimentSpec seeded = ExperimentSpec.defaults().withSeed(-8_765_432_109_876L);
    assertThat(parse(SpecLoader.toYaml(seeded)).seed()).isEqualTo(-8_765_432_109_876L);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void resolvedIsIdempotentReparsesAndKeepsEveryDerivedValue(String yaml) {
    ExperimentSpec spec = parse(yaml);
    ExperimentSpec resolved = spec.resolved();

    assertThat(resolved.resolved()).isEqualTo(resolved);
    assertThat(parse(SpecLoader.toYaml(resolved))).isEqualTo(resolved);

    var pool = spec.game().resolvedNames();
    assertThat(resolved.game().resolvedNames()).isEqualTo(pool);
    assertThat(resolved.policy().kind()).isEqualTo(spec.policy().resolvedKind(spec.game()));
    assertThat(resolved.committedCount()).isEqualTo(spec.committedCount());
    assertThat(resolved.committed().introduce()).isEqualTo(spec.committed().introduce());
    if (spec.committedCount() > 0) {
      assertThat(resolved.committed().name()).isEqualTo(spec.committed().resolvedName(pool));
    }
    assertThat(resolved.committed().resolvedMajorityName(pool))
        .isEqualTo(spec.committed().resolvedMajorityName(pool));
  }

  @Test
  void resolvedWritesOutThePoolThePolicyAndTheNames() {
    ExperimentSpec resolved = parse("game: {poolSize: 3}\ncommitted: {introduce: prepared, count: 2}").resolved();
    assertThat(resolved.game().names()).containsExactly("A", "B", "C");
    assertThat(resolved.game().poolSize()).isNull();
    assertThat(resolved.policy().kind()).isEqualTo(PolicySpec.MEMORY);
    assertThat(resolved.committed().name()).isEqualTo("A");
    assertThat(resolved.committed().majorityName()).isEqualTo("B");

    ExperimentSpec naming = ExperimentSpec.defaults().resolved();
    assertThat(naming.game().names()).isEqualTo(GameSpec.TEN_NAMES);
    assertThat(naming.committed().name()).as("no minority, no committed name").isNull();
    assertThat(naming.committed().majorityName()).isNull();

    ExperimentSpec binary = parse("game: {kind: binary-agreement}").resolved();
    assertThat(binary.game().names()).containsExactly("A", "B");
    assertThat(binary.policy().kind()).isEqualTo(PolicySpec.RULES);
    assertThat(binary.committed().majorityName()).as("binary agreement starts from its majority").isEqualTo("B");
  }

  @Test
  void resolvedKeepsAGameThatInventsNamesWithoutAPool() {
    ExperimentSpec resolved = parse("game: {kind: minimal-naming}").resolved();
    assertThat(resolved.game().names()).isNull();
    assertThat(resolved.game().resolvedNames()).isEmpty();
    assertThat(resolved.policy().kind()).isEqualTo(PolicySpec.RULES);
  }

  @Test
  void resolvedLeavesASpecWithABrokenGameAlone() {
    ExperimentSpec broken = new ExperimentSpec(null, null, null, null, null,
        new GameSpec("nameing", null, null, null, null), null, null, null, null, null, null, null);
    assertThat(broken.resolved()).isSameAs(broken);
  }
}
