package dev.norma.runtime.inference;

import dev.norma.protocols.spec.LlmPolicySpec;
import java.util.List;

/**
 * What is sent with every request of a run, besides the prompt: the sampling parameters and the
 * answer constraint. Each endpoint gets only what it accepts ({@code top_k} only where
 * {@code acceptsTopK}).
 *
 * @param options the options a constrained answer is restricted to (the game's pool)
 */
public record SamplingParams(double temperature, Double topP, Integer topK, int maxTokens, String constrained,
                             List<String> options) {

  public static SamplingParams of(LlmPolicySpec llm, List<String> options) {
    return new SamplingParams(llm.temperature(), llm.topP(), llm.topK(), llm.maxTokens(), llm.constrained(),
        List.copyOf(options));
  }

  /** A short, stable identity of these parameters, for the journal and the replay key. */
  public String key() {
    return "temperature=" + temperature + ";topP=" + topP + ";topK=" + topK + ";maxTokens=" + maxTokens
        + ";constrained=" + constrained;
  }
}
