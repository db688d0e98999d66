package dev.norma.protocols.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an agent decides.
 *
 * @param kind        {@code memory} (naming game: a model of what an LLM sees, its last H
 *                    interactions), {@code llm} (naming game: a language model through the
 *                    inference gateway) or {@code rules} (the speaker–hearer games' own update
 *                    rule). Defaults to {@code memory} for {@code naming} and {@code rules} otherwise.
 * @param temperature softmax temperature of the {@code memory} policy; 0 means best response
 * @param bias        prior weight per name for the {@code memory} policy (missing names weigh 1)
 * @param llm         prompting and sampling of the {@code llm} policy
 */
public record PolicySpec(String kind, Double temperature, Map<String, Double> bias, LlmPolicySpec llm) {
  public static final String MEMORY = "memory";
  public static final String RULES = "rules";
  public static final String LLM = "llm";
  public static final List<String> KINDS = List.of(MEMORY, RULES, LLM);

  public PolicySpec {
    temperature = temperature == null ? 0.1 : temperature;
    // Keeps the written order (Map.copyOf's order changes between runs, and so would spec.yaml)
    // and lets a null weight reach validate() to be reported as bias.<name>.
    bias = bias == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bias));
    llm = llm == null ? LlmPolicySpec.defaults() : llm;
  }

  public PolicySpec(String kind, Double temperature, Map<String, Double> bias) {
    this(kind, temperature, bias, null);
  }

  /** The policy kind in force for the given game. */
  public String resolvedKind(GameSpec game) {
    if (kind != null) {
      return kind;
    }
    return GameSpec.NAMING.equals(game.kind()) ? MEMORY : RULES;
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    boolean knownKind = kind == null || KINDS.contains(kind);
    if (!knownKind) {
      errors.add("kind", "expected one of " + KINDS + ", got '" + kind + "'");
    }
    if (temperature.isNaN() || temperature < 0 || temperature > 100) {
      errors.add("temperature", "expected 0..100, got " + temperature);
    }
    llm.validate(errors.at("llm"));
    if (!knownKind || !spec.game().hasKnownKind()) {
      return; // the rest depends on the policy and the game, and one of them is already reported
    }
    String resolved = resolvedKind(spec.game());
    boolean naming = GameSpec.NAMING.equals(spec.game().kind());
    if ((MEMORY.equals(resolved) || LLM.equals(resolved)) && !naming) {
      errors.add("kind", "the " + resolved + " policy plays the naming game only; use 'rules' for " + spec.game().kind());
    }
    if (LLM.equals(resolved) && naming && LlmPolicySpec.SUMMARISE.equals(llm.contextOverflow())) {
      errors.add("llm.contextOverflow", "the naming game's prompts show the last rounds that fit and drop the"
          + " older ones; summarise is for the encounter games so far, expected 'dropOldest'");
    }
    if (RULES.equals(resolved) && naming) {
      errors.add("kind", "the naming game has no rule-based update; use 'memory' or 'llm'");
    }
    if (!spec.game().hasResolvablePool()) {
      return; // game.poolSize is reported
    }
    if (RULES.equals(resolved) && !bias.isEmpty()) {
      errors.add("bias", "expected no bias: it weighs names for the memory policy, and the rules policy has no use for it");
      return;
    }
    var pool = spec.game().resolvedNames();
    for (var entry : bias.entrySet()) {
      if (!pool.contains(entry.getKey())) {
        errors.add("bias." + entry.getKey(), "expected a name of the game's pool " + pool);
      } else if (entry.getValue() == null || !(entry.getValue() > 0) || entry.getValue().isInfinite()) {
        errors.add("bias." + entry.getKey(), "expected a positive weight, got " + entry.getValue());
      }
    }
  }
}
