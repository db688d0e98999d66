package dev.norma.protocols.spec;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a language-model player of the naming game is prompted and sampled ({@code policy.kind:
 * llm}). Sampling parameters are sent to each endpoint only where it accepts them (see
 * {@link EndpointSpec}).
 *
 * @param temperature  sampling temperature (Ashery et al.: 0.5)
 * @param topP         nucleus sampling mass; unset: not sent
 * @param topK         top-k sampling (Ashery et al.: 10); sent only to endpoints that accept it
 * @param maxTokens    the most tokens an answer may have
 * @param seed         when set, every request carries a seed derived from it and the decision's
 *                     identity (agent, interaction, role, attempt), so servers that honour seeds
 *                     answer the same request the same way; unset: no seed is sent
 * @param parseRetries how many times an agent is asked again after an answer that names no
 *                     single option; after that the interaction is invalid
 * @param constrained  {@code none}; {@code choice}: the answer is restricted to the options
 *                     (vLLM's {@code guided_choice}); {@code json}: a JSON object
 *                     {@code {"value": option}} by {@code response_format} with a JSON schema
 * @param templates    a directory of prompt templates replacing the defaults file by file;
 *                     unset: the default templates
 * @param horizon      the number of rounds the game is announced to last (Ashery et al.: 100)
 * @param contextTokens the most tokens (estimated, four characters to a token) a prompt shows of
 *                     an agent's past; the oldest of what it remembers leave first. Unset: the
 *                     game's own memory is the only bound
 * @param contextOverflow what happens to the past that does not fit {@code contextTokens}:
 *                     {@code dropOldest} (the default) or {@code summarise} (the agent's own model
 *                     folds the oldest into a summary that its prompts show in their place)
 */
public record LlmPolicySpec(Double temperature, Double topP, Integer topK, Integer maxTokens, Long seed,
                            Integer parseRetries, String constrained, String templates, Integer horizon,
                            Integer contextTokens, String contextOverflow) {
  public static final String NONE = "none";
  public static final String CHOICE = "choice";
  public static final String JSON = "json";
  public static final List<String> CONSTRAINTS = List.of(NONE, CHOICE, JSON);
  public static final String DROP_OLDEST = "dropOldest";
  public static final String SUMMARISE = "summarise";
  public static final List<String> OVERFLOWS = List.of(DROP_OLDEST, SUMMARISE);

  public LlmPolicySpec {
    temperature = temperature == null ? 0.5 : temperature;
    maxTokens = maxTokens == null ? 256 : maxTokens;
    parseRetries = parseRetries == null ? 3 : parseRetries;
    constrained = constrained == null ? NONE : constrained;
    horizon = horizon == null ? 100 : horizon;
    contextOverflow = contextOverflow == null ? DROP_OLDEST : contextOverflow;
  }

  public static LlmPolicySpec defaults() {
    return new LlmPolicySpec(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A policy without a token bound on the context window. */
  public LlmPolicySpec(Double temperature, Double topP, Integer topK, Integer maxTokens, Long seed,
                       Integer parseRetries, String constrained, String templates, Integer horizon) {
    this(temperature, topP, topK, maxTokens, seed, parseRetries, constrained, templates, horizon, null, null);
  }

  /** The sampling parameters, each where it is set: the policy's, or a group's ({@link GroupSpec}). */
  static void validateSampling(SpecErrors errors, Double temperature, Double topP, Integer topK, Integer maxTokens) {
    if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
      errors.add("temperature", "expected 0..2, got " + temperature);
    }
    if (topP != null && (topP.isNaN() || topP <= 0 || topP > 1)) {
      errors.add("topP", "expected a probability mass in (0, 1], got " + topP);
    }
    if (topK != null && topK < 1) {
      errors.add("topK", "expected at least 1, got " + topK);
    }
    if (maxTokens != null && (maxTokens < 1 || maxTokens > 1_000_000)) {
      errors.add("maxTokens", "expected 1..1000000 tokens, got " + maxTokens);
    }
  }

  void validate(SpecErrors errors) {
    validateSampling(errors, temperature, topP, topK, maxTokens);
    if (parseRetries < 0 || parseRetries > 100) {
      errors.add("parseRetries", "expected 0..100, got " + parseRetries);
    }
    if (!CONSTRAINTS.contains(constrained)) {
      errors.add("constrained", "expected one of " + CONSTRAINTS + ", got '" + constrained + "'");
    }
    String refused = templates == null || errors.rules() == null ? null : errors.rules().pathProblem(templates, true);
    if (refused != null) {
      errors.add("templates", refused);
    } else if (templates != null) {
      boolean directory;
      try {
        directory = !templates.isBlank() && Files.isDirectory(Path.of(templates));
      } catch (InvalidPathException e) {
        directory = false;
      }
      if (!directory) {
        errors.add("templates", "expected a directory of prompt templates, got '" + templates + "'");
      }
    }
    if (horizon < 1 || horizon > 1_000_000) {
      errors.add("horizon", "expected 1..1000000 rounds, got " + horizon);
    }
    if (contextTokens != null && (contextTokens < 1 || contextTokens > 10_000_000)) {
      errors.add("contextTokens", "expected 1..10000000 tokens, got " + contextTokens);
    }
    if (!OVERFLOWS.contains(contextOverflow)) {
      errors.add("contextOverflow", "expected one of " + OVERFLOWS + ", got '" + contextOverflow + "'");
    } else if (SUMMARISE.equals(contextOverflow) && contextTokens == null) {
      errors.add("contextOverflow", "summarise folds what does not fit policy.llm.contextTokens into a summary;"
          + " set contextTokens too");
    }
  }
}
