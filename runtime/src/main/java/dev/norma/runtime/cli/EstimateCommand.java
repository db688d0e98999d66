package dev.norma.runtime.cli;

import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.inference.EndpointTokenizer;
import dev.norma.runtime.inference.LlmStudy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code norma estimate SPEC}: what a language-model study will cost before any call is made.
 *
 * <p>How long the study runs is estimated by running it several times with the memory policy,
 * the model of an LLM player that sees what the prompt shows (plain loop, no endpoint): the
 * median and the largest number of interactions, and of calls (two per interaction, none for a
 * committed agent). The hard bound is {@code stop.maxRounds}. Prompt tokens per call are those
 * of the prompt with a full memory, about the longest an agent is shown (a run's mean is a little
 * lower: each agent's first calls remember less), counted by the first
 * endpoint's own tokenizer ({@link EndpointTokenizer}, one request that generates nothing), or at
 * four characters a token when it has none, cannot be reached, or {@code --offline} says not to
 * ask. Answer tokens are between the final line alone and {@code maxTokens}. Cost uses the
 * endpoints' prices (their mean when there are several).
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
    description = {"Expected calls, tokens and cost of a language-model study, before spending any."})
public final class EstimateCommand implements Callable<Integer> {
  /** Characters per token for English prompts, roughly (BPE tokenizers of current models). */
  static final double CHARS_PER_TOKEN = 4.0;
  /** Tokens of an answer that is the final line alone, {'value': 'X'}. */
  static final int SHORTEST_ANSWER_TOKENS = 9;

  @Parameters(index = "0", paramLabel = "SPEC", description = "a spec with policy.kind llm")
  Path specFile;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a spec field (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--runs", paramLabel = "R", description = "memory-policy runs to estimate the length from (default ${DEFAULT-VALUE})")
  int runs = 20;

  @Option(names = "--offline", description = "count prompt tokens at 4 characters a token, without asking the endpoint's tokenizer")
  boolean offline;

  @Spec
  CommandSpec command;

  /**
   * The figures of an estimate.
   *
   * @param promptTokensCounted how the prompt tokens were counted, for the output line
   */
  record Estimate(long medianCalls, long maxCalls, long boundCalls, double promptTokensPerCall,
                  String promptTokensCounted, int maxAnswerTokens, double promptPrice, double completionPrice) {
    double cost(long calls, double answerTokens) {
      return calls * (promptTokensPerCall * promptPrice + answerTokens * completionPrice) / 1e6;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    ExperimentSpec loaded = SpecArguments.load(specFile, overrides, err);
    if (loaded == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    ExperimentSpec spec = loaded.resolved();
    if (!PolicySpec.LLM.equals(spec.policy().kind()) || runs < 1) {
      err.println(runs < 1 ? "norma: --runs must be at least 1"
          : "norma: estimate is for language-model studies: the spec's policy.kind must be llm");
      return NormaCli.EXIT_BAD_INPUT;
    }
    Estimate e = estimate(spec, runs, offline);
    var llm = spec.policy().llm();
    out.printf(Locale.ROOT, "%s · %d agents · estimate from %d runs of the memory policy (a model of the LLM player)%n",
        spec.name(), spec.population().size(), runs);
    out.printf(Locale.ROOT, "calls:          median %,d · largest %,d · bound %,d (stop.maxRounds)%n",
        e.medianCalls(), e.maxCalls(), e.boundCalls());
    out.printf(Locale.ROOT, "prompt tokens:  about %,.0f a call (full memory, %s) → median %,.0f · bound %,.0f%n",
        e.promptTokensPerCall(), e.promptTokensCounted(),
        e.medianCalls() * e.promptTokensPerCall(), e.boundCalls() * e.promptTokensPerCall());
    out.printf(Locale.ROOT, "answer tokens:  %d to %d a call → median %,d to %,d · bound %,d%n",
        SHORTEST_ANSWER_TOKENS, e.maxAnswerTokens(), e.medianCalls() * SHORTEST_ANSWER_TOKENS,
        e.medianCalls() * e.maxAnswerTokens(), e.boundCalls() * e.maxAnswerTokens());
    if (e.promptPrice() > 0 || e.completionPrice() > 0) {
      out.printf(Locale.ROOT, "estimated cost: median %.4f to %.4f · bound %.4f%n",
          e.cost(e.medianCalls(), SHORTEST_ANSWER_TOKENS), e.cost(e.medianCalls(), e.maxAnswerTokens()),
          e.cost(e.boundCalls(), e.maxAnswerTokens()));
    } else {
      out.println("estimated cost: no prices (set promptPrice and completionPrice per million tokens on the endpoints)");
    }
    out.printf(Locale.ROOT, "unusable answers are asked again up to %d times: each adds a call%n", llm.parseRetries());
    var budget = spec.inference().budget();
    if (budget.maxCalls() != null && budget.maxCalls() < e.maxCalls()) {
      out.printf(Locale.ROOT, "note: budget.maxCalls %,d is below the largest estimate; the run may stop early%n",
          budget.maxCalls());
    }
    return NormaCli.EXIT_OK;
  }

  static Estimate estimate(ExperimentSpec spec, int runs, boolean offline) {
    long seed = spec.seed() != null ? spec.seed() : 1;
    long[] calls = new long[runs];
    for (int r = 0; r < runs; r++) {
      StudyPlan plan = new StudyPlan(spec, seed + r);
      long[] count = new long[1];
      new PlainLoop(plan).run(record ->
          count[0] += (record.initiatorCommitted() ? 0 : 1) + (record.responderCommitted() ? 0 : 1), null);
      calls[r] = count[0];
    }
    Arrays.sort(calls);
    StudyPlan plan = new StudyPlan(spec, seed);
    var llm = spec.policy().llm();
    LanguageModelPlay play = LlmStudy.languageModelOf(plan);
    RenderedPrompt full = play.renderAfter(play.window());
    List<EndpointSpec> endpoints = spec.inference().endpoints();
    double promptTokens = (full.system().length() + full.user().length()) / CHARS_PER_TOKEN;
    String fallback = String.format(Locale.ROOT, "%.0f characters a token", CHARS_PER_TOKEN);
    String counted = fallback + ": --offline";
    if (!offline) {
      EndpointTokenizer.Count count = EndpointTokenizer.count(endpoints.get(0), full,
          dev.norma.runtime.inference.InferenceSettings.fromConfig(com.typesafe.config.ConfigFactory.load())
              .secretsDir());
      if (count.counted()) {
        promptTokens = count.tokens();
        counted = "counted by endpoint " + endpoints.get(0).name() + "'s tokenizer";
      } else {
        counted = fallback + ": " + count.unavailable();
      }
    }
    double promptPrice = endpoints.stream().mapToDouble(x -> x.promptPrice() == null ? 0 : x.promptPrice()).average().orElse(0);
    double completionPrice = endpoints.stream().mapToDouble(x -> x.completionPrice() == null ? 0 : x.completionPrice())
        .average().orElse(0);
    return new Estimate(calls[runs / 2], calls[runs - 1], 2 * plan.maxInteractions(), promptTokens, counted,
        llm.maxTokens(), promptPrice, completionPrice);
  }

  /**
   * The prompt of a representative agent of {@code spec} after {@code encounters} encounters
   * (its game chooses what it played), options in their own order.
   */
  public static RenderedPrompt promptAfter(ExperimentSpec spec, int encounters) {
    return LlmStudy.languageModelOf(new StudyPlan(spec, spec.seed() != null ? spec.seed() : 1)).renderAfter(encounters);
  }
}
