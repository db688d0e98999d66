package dev.norma.runtime.cli;

import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.game.GameModule;
import dev.norma.agents.game.Games;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.inference.EndpointTokenizer;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmStudy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
 *
 * <p>An encounter game ({@link EncounterGame}) has no memory policy to stand for its model: its
 * study is played in process by {@link EncounterLoop}, each turn answered by the stand-in answers
 * its module brings for the fake server ({@link GameModule#fakeAnswers()}), choices and free text
 * alike (a CRSEC norm written, a debate's turn). Calls are the turns
 * asked; prompt tokens a call are the mean over those turns' prompts, the longest counted as
 * above and the others scaled to it by their characters (one tokenizer request however many
 * prompts). The bound is {@code stop.maxRounds} at the most turns an encounter took. The calls a
 * period are the mean over the periods played, and under it each role of turn's mean (a turn that
 * comes only some periods, a CRSEC synthesis, is spread over all of them).
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
    description = {"Expected calls, tokens and cost of a language-model study, before spending any."})
public final class EstimateCommand implements Callable<Integer> {
  /** Characters per token for English prompts, roughly (BPE tokenizers of current models). */
  static final double CHARS_PER_TOKEN = 4.0;
  /** Tokens of an answer that is the final line alone, {'value': 'X'}. */
  static final int SHORTEST_ANSWER_TOKENS = 9;
  /** Stream id of the stand-in answers' draws in an encounter game's runs: below the study's reserved ids. */
  private static final long STAND_IN_STREAM = -2_000_000;

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
   * The figures of an estimate, and the words that say where they come from.
   *
   * @param lengthsFrom         what played the runs the calls come from, for the first line
   * @param boundBy             what bounds the calls, for the calls line
   * @param promptShown         which prompt the tokens a call are of, for the prompt line
   * @param promptTokensCounted how the prompt tokens were counted, for the prompt line
   * @param caveat              a line on how far the lengths hold, or null
   */
  record Estimate(long medianCalls, long maxCalls, long boundCalls, double promptTokensPerCall,
                  String promptTokensCounted, int maxAnswerTokens, double promptPrice, double completionPrice,
                  String lengthsFrom, String boundBy, String promptShown, String caveat, double callsPerPeriod,
                  Map<String, Double> callsPerPeriodByRole) {
    /**
     * This estimate with the mean calls a population round (period) took, NaN when not measured,
     * and of them those of each role of turn (a CRSEC synthesis, an evaluation), in role order.
     */
    Estimate withCallsPerPeriod(double calls, Map<String, Double> byRole) {
      return new Estimate(medianCalls, maxCalls, boundCalls, promptTokensPerCall, promptTokensCounted, maxAnswerTokens,
          promptPrice, completionPrice, lengthsFrom, boundBy, promptShown, caveat, calls, Map.copyOf(byRole));
    }

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
    Estimate e;
    if (EncounterRuns.gameOf(spec.withSeed(seedOf(spec))) == null) {
      e = estimate(spec, runs, offline);
    } else if (Games.forKind(spec.game().kind()).fakeAnswers() == null) {
      err.println("norma: game.kind '" + spec.game().kind() + "' brings no stand-in answers to play its study"
          + " with, so its length cannot be estimated");
      return NormaCli.EXIT_BAD_INPUT;
    } else {
      e = estimateEncounters(spec, runs, offline);
    }
    var llm = spec.policy().llm();
    out.printf(Locale.ROOT, "%s · %d agents · estimate from %d runs of %s%n",
        spec.name(), spec.population().size(), runs, e.lengthsFrom());
    out.printf(Locale.ROOT, "calls:          median %,d · largest %,d · bound %,d (%s)%n",
        e.medianCalls(), e.maxCalls(), e.boundCalls(), e.boundBy());
    out.printf(Locale.ROOT, "prompt tokens:  about %,.0f a call (%s, %s) → median %,.0f · bound %,.0f%n",
        e.promptTokensPerCall(), e.promptShown(), e.promptTokensCounted(),
        e.medianCalls() * e.promptTokensPerCall(), e.boundCalls() * e.promptTokensPerCall());
    if (!Double.isNaN(e.callsPerPeriod())) {
      out.printf(Locale.ROOT, "per period:     about %,.0f calls and %,.0f prompt tokens (mean of the periods played)%n",
          e.callsPerPeriod(), e.callsPerPeriod() * e.promptTokensPerCall());
      List<String> roles = new ArrayList<>();
      new TreeMap<>(e.callsPerPeriodByRole()).forEach((role, calls) ->
          roles.add(String.format(Locale.ROOT, "%s %,.1f", role, calls)));
      out.println("  by turn:      " + String.join(" · ", roles));
    }
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
    if (e.caveat() != null) {
      out.println(e.caveat());
    }
    var budget = spec.inference().budget();
    if (budget.maxCalls() != null && budget.maxCalls() < e.maxCalls()) {
      out.printf(Locale.ROOT, "note: budget.maxCalls %,d is below the largest estimate; the run may stop early%n",
          budget.maxCalls());
    }
    return NormaCli.EXIT_OK;
  }

  static Estimate estimate(ExperimentSpec spec, int runs, boolean offline) {
    long seed = seedOf(spec);
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
    LanguageModelPlay play = LlmStudy.languageModelOf(plan);
    RenderedPrompt full = play.renderAfter(play.window());
    PromptTokens tokens = PromptTokens.of(spec, full, offline);
    return priced(spec, calls[runs / 2], calls[runs - 1], 2 * plan.maxInteractions(), tokens.tokens(),
        tokens.counted(), "the memory policy (a model of the LLM player)", "stop.maxRounds", "full memory", null);
  }

  /**
   * The estimate of an encounter game's study: {@code runs} plays of it with the stand-in answers
   * of its module, seeds from the spec's as the memory-policy runs take them.
   */
  static Estimate estimateEncounters(ExperimentSpec spec, int runs, boolean offline) {
    long seed = seedOf(spec);
    FakeAnswers answers = Games.forKind(spec.game().kind()).fakeAnswers();
    TurnsAsked asked = new TurnsAsked();
    long[] calls = new long[runs];
    long encountersPerRound = 0;
    long[] periods = new long[1];
    for (int r = 0; r < runs; r++) {
      EncounterGame<? extends Mind> game = EncounterRuns.gameOf(spec.withSeed(seed + r));
      encountersPerRound = game.encountersPerRound();
      long before = asked.calls;
      asked.encounter = -1;
      Streams.RandomStream draws = new Streams.RandomStream(seed + r, STAND_IN_STREAM);
      EncounterLoop.Model standIn = new EncounterLoop.Model() {
        @Override
        public int choose(int agent, long index, Turn turn) {
          asked.add(index, turn);
          ParsedChoice parsed = turn.parser().parse(answers.answer(turn.prompt().text(), draws::nextInt));
          return parsed instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
        }

        /** A free-text turn (a norm written, what is said in a debate): the stand-in's text. */
        @Override
        public String say(int agent, long index, Turn turn) {
          asked.add(index, turn);
          return answers.answer(turn.prompt().text(), draws::nextInt).strip();
        }

        @Override
        public String summarise(int agent, long index, Turn turn) {
          asked.add(index, turn);
          return EncounterLoop.Model.super.summarise(agent, index, turn);
        }
      };
      new EncounterLoop<>(game, spec.population().size()).run(spec.stop().maxRounds(), new EncounterLoop.Listener() {
        @Override
        public void encounter(long index, int[] members, double[] outcome) {
        }

        @Override
        public void round(long round, double[] row) {
          periods[0]++;
        }
      }, standIn);
      calls[r] = asked.calls - before;
    }
    Arrays.sort(calls);
    if (asked.longest == null) {
      throw new IllegalStateException("game.kind '" + spec.game().kind() + "' asked no turn in " + runs + " runs");
    }
    PromptTokens longest = PromptTokens.of(spec, asked.longest, offline);
    double meanTokens = longest.tokens() * asked.characters / asked.calls / characters(asked.longest);
    return priced(spec, calls[runs / 2], calls[runs - 1],
        spec.stop().maxRounds() * encountersPerRound * asked.mostInAnEncounter, meanTokens, longest.counted(),
        "the game's stand-in player", String.format(Locale.ROOT, "stop.maxRounds at %d turns an encounter, the most"
            + " one took", asked.mostInAnEncounter),
        String.format(Locale.ROOT, "mean of the turns asked; the longest %,.0f", longest.tokens()),
        "lengths come from the game's stand-in player (the fake server's answers): a real model may play longer"
            + " or shorter").withCallsPerPeriod(periods[0] == 0 ? Double.NaN : asked.calls / (double) periods[0],
        asked.perPeriodByRole(periods[0]));
  }

  /** What the turns of the stand-in runs asked: how many (by role too), their prompts' characters, the longest. */
  private static final class TurnsAsked {
    long calls;
    final Map<String, Long> byRole = new TreeMap<>();
    double characters;
    RenderedPrompt longest;
    long mostInAnEncounter;
    /** The encounter the last turn was of; -1 at the start of a run. */
    long encounter = -1;
    private long inThisEncounter;

    void add(long index, Turn turn) {
      RenderedPrompt prompt = turn.prompt();
      calls++;
      byRole.merge(turn.role(), 1L, Long::sum);
      characters += characters(prompt);
      if (longest == null || characters(prompt) > characters(longest)) {
        longest = prompt;
      }
      inThisEncounter = index == encounter ? inThisEncounter + 1 : 1;
      encounter = index;
      mostInAnEncounter = Math.max(mostInAnEncounter, inThisEncounter);
    }

    /** The mean calls of each role over {@code periods} periods played. */
    Map<String, Double> perPeriodByRole(long periods) {
      Map<String, Double> mean = new TreeMap<>();
      byRole.forEach((role, count) -> mean.put(role, periods == 0 ? Double.NaN : count / (double) periods));
      return mean;
    }
  }

  private static int characters(RenderedPrompt prompt) {
    return prompt.system().length() + prompt.user().length();
  }

  /**
   * A prompt's tokens, by the first endpoint's tokenizer or at four characters a token.
   *
   * @param counted how, for the prompt line
   */
  private record PromptTokens(double tokens, String counted) {
    static PromptTokens of(ExperimentSpec spec, RenderedPrompt prompt, boolean offline) {
      EndpointSpec first = spec.inference().endpoints().get(0);
      String fallback = String.format(Locale.ROOT, "%.0f characters a token", CHARS_PER_TOKEN);
      double estimated = characters(prompt) / CHARS_PER_TOKEN;
      if (offline) {
        return new PromptTokens(estimated, fallback + ": --offline");
      }
      EndpointTokenizer.Count count = EndpointTokenizer.count(first, prompt,
          InferenceSettings.fromConfig(ConfigFactory.load()).secretsDir());
      return count.counted()
          ? new PromptTokens(count.tokens(), "counted by endpoint " + first.name() + "'s tokenizer")
          : new PromptTokens(estimated, fallback + ": " + count.unavailable());
    }
  }

  /** The estimate with the endpoints' prices (their mean) and the spec's longest answer. */
  private static Estimate priced(ExperimentSpec spec, long medianCalls, long maxCalls, long boundCalls,
                                 double promptTokens, String counted, String lengthsFrom, String boundBy,
                                 String promptShown, String caveat) {
    List<EndpointSpec> endpoints = spec.inference().endpoints();
    double promptPrice = endpoints.stream().mapToDouble(x -> x.promptPrice() == null ? 0 : x.promptPrice()).average().orElse(0);
    double completionPrice = endpoints.stream().mapToDouble(x -> x.completionPrice() == null ? 0 : x.completionPrice())
        .average().orElse(0);
    return new Estimate(medianCalls, maxCalls, boundCalls, promptTokens, counted, spec.policy().llm().maxTokens(),
        promptPrice, completionPrice, lengthsFrom, boundBy, promptShown, caveat, Double.NaN, Map.of());
  }

  private static long seedOf(ExperimentSpec spec) {
    return spec.seed() != null ? spec.seed() : 1;
  }

  /**
   * The prompt of a representative agent of {@code spec} after {@code encounters} encounters
   * (its game chooses what it played), options in their own order.
   */
  public static RenderedPrompt promptAfter(ExperimentSpec spec, int encounters) {
    return LlmStudy.languageModelOf(new StudyPlan(spec, seedOf(spec))).renderAfter(encounters);
  }
}
