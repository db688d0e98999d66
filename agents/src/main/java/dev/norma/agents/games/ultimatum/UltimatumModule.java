package dev.norma.agents.games.ultimatum;

import dev.norma.agents.game.GameModule;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSettings;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecErrors;
import dev.norma.protocols.spec.TopologySpec;
import java.util.List;

/**
 * The ultimatum game in a population that learns by imitation (Nowak, Page &amp; Sigmund, Science
 * 289:1773, 2000), or whose agents play through a language model and learn in context,
 * {@code game.kind: ultimatum}: an encounter game ({@link UltimatumEncounters}) of
 * {@code population.size} agents.
 *
 * <p>Its {@code game.settings}, each defaulting to {@link UltimatumParameters#standard}:
 * {@code reputation} (false), {@code memory} (10 encounters), {@code informedProbability} (1),
 * {@code revisionInterval} (10 rounds), {@code selectionIntensity} (50), {@code mutationProbability}
 * (0.05) and {@code mutationStep} (2 grid steps), in the ranges {@link UltimatumParameters} allows
 * ({@code memory} and {@code selectionIntensity} also bounded above).
 *
 * <p><b>Language-model agents</b>, {@code policy.kind: llm} ({@link UltimatumConversations}):
 * each encounter is two prompts, the proposer's (an offer among 0, 10, …, 100 points) and the
 * responder's (accept or reject the offer shown), each showing the agent's remembered encounters,
 * oldest first, cut to {@code policy.llm.contextTokens}: by {@code policy.llm.contextOverflow}, the
 * oldest lines that do not fit leave ({@code dropOldest}, the default) or, with {@code summarise},
 * the agent's own model is first asked, in a call of its own, to fold them with its summary so far
 * into a summary of at most half the budget, which its prompts then show before the lines left
 * (the summary travels in the agent's saved state); with {@code reputation} the proposer is
 * told the responder's record (the lowest offer it accepted among the encounters it remembers),
 * with probability {@code informedProbability}. Agents learn in context only: they hold no
 * strategy (p, q) and there is no revision, so {@code revisionInterval}, {@code selectionIntensity},
 * {@code mutationProbability} and {@code mutationStep} are read and checked but play no part; nor
 * does {@code policy.llm.horizon}, which a naming-game prompt announces. {@code reputation},
 * {@code memory} and {@code informedProbability} keep their meaning. The prompts are rendered from
 * the templates {@code ultimatum.*.txt} beside this class, which the files of a directory named in
 * {@code policy.llm.templates} replace file by file ({@link UltimatumPromptTemplates}); a template
 * using a variable its part does not allow is an error at {@code policy.llm.templates}, naming
 * the file and the variable. The
 * rows of {@code rounds.csv} drop meanOffer and meanThreshold ({@link UltimatumMeasures}).
 * {@link #fakeAnswers()} stands in for a model in the fake server: it answers the prompts of the
 * default templates, recognised by a phrase of their rules. A prompt from edited templates may
 * not be recognised; the fake server then hands it to the naming game's stand-in, whose answer
 * most likely names no offer or answer of this game, so the turn's answer is invalid: the run
 * goes on and counts it, it does not fail.
 *
 * <p>What the game cannot honour is an error at the field that asks for it: the {@code memory}
 * policy (a naming game's), a committed
 * minority or a prepared population, a topology other than the complete graph or rooms, the
 * timing-dependent {@code continuous} schedule, and the naming games' fields ({@code game.names},
 * {@code game.poolSize}, and {@code game.memory} or {@code game.payoff} set to other than their
 * defaults). Its schedule is its own, a fresh random matching of everyone each matching round, as
 * {@code schedule.kind: rounds} says; {@code sequential}, the spec's default, is read the same. On
 * {@code topology: {kind: rooms, size, moveProbability}} each matching is within the rooms, which
 * mix between rounds ({@link dev.norma.agents.schedule.RoomPairs#matching}).
 */
public final class UltimatumModule implements GameModule, GameSection {
  public static final String KIND = "ultimatum";
  /**
   * The largest memory a spec may ask for. The rules set no bound; this one keeps a mind's saved
   * state an array Java can hold, and lets the study's memory check weigh the rest.
   */
  static final int MAX_MEMORY = 1_000_000;
  /**
   * The largest selection intensity. The rules set no bound; far below this one the Fermi rule is
   * already a step (at β = 10⁴ a payoff difference of a thousandth is imitated with probability
   * 1 − e⁻¹⁰), so larger values only hide a typing mistake.
   */
  static final double MAX_SELECTION_INTENSITY = 1e6;
  /** The naming games' fields as the spec defaults them, which a study of this game leaves alone. */
  private static final GameSpec NAMING_DEFAULTS = new GameSpec(KIND, null, null, null, null);

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  /** The parameters of a study of {@code spec}, which must be valid. */
  public static UltimatumParameters parameters(ExperimentSpec spec) {
    return parameters(GameSettings.of(spec.game()), spec.population().size());
  }

  /** Every setting of the game, defaults written out. */
  @Override
  public java.util.Map<String, Object> settingsInForce(ExperimentSpec spec) {
    GameSettings settings = GameSettings.of(spec.game());
    parameters(settings, spec.population().size());
    return settings.inForce();
  }

  private static UltimatumParameters parameters(GameSettings settings, int populationSize) {
    boolean reputation = settings.flag("reputation", false);
    UltimatumParameters standard = UltimatumParameters.standard(populationSize, reputation);
    int memory = settings.whole("memory", standard.memory(), 1, MAX_MEMORY);
    double informedProbability = settings.real("informedProbability", standard.informedProbability(), 0, 1);
    int revisionInterval = settings.whole("revisionInterval", standard.revisionInterval(), 1, Integer.MAX_VALUE);
    double selectionIntensity = settings.real("selectionIntensity", standard.selectionIntensity(), 0,
        MAX_SELECTION_INTENSITY);
    double mutationProbability = settings.real("mutationProbability", standard.mutationProbability(), 0, 1);
    int mutationStep = settings.whole("mutationStep", standard.mutationStep(), 0, UltimatumGame.SUM);
    settings.noOthers();
    return new UltimatumParameters(populationSize, memory, reputation, informedProbability, revisionInterval,
        selectionIntensity, mutationProbability, mutationStep);
  }

  @Override
  public UltimatumEncounters encounters(ExperimentSpec spec, long seed) {
    UltimatumGame game = new UltimatumGame(parameters(spec));
    if (!PolicySpec.LLM.equals(spec.policy().kind())) {
      return new UltimatumEncounters(game, seed, spec.topology(), null);
    }
    LlmPolicySpec llm = spec.policy().llm();
    UltimatumPromptTemplates templates = UltimatumPromptTemplates.of(llm.templates());
    return new UltimatumEncounters(game, seed, spec.topology(), new UltimatumConversations(game, templates, llm.contextTokens(),
        ContextWindow.Overflow.of(llm.contextOverflow())));
  }

  /** A stand-in player for this game's prompts ({@link UltimatumFakeAnswers}). */
  @Override
  public FakeAnswers fakeAnswers() {
    return new UltimatumFakeAnswers();
  }

  /**
   * A mind with the spec's memory, with compressed references (heaps under 32 GB): the mind itself
   * (its ids, stream, strategy and ring indices, 64 bytes), its two accounts by role (2 × 24) and
   * the ring of remembered encounters (16 + 4 per encounter, padded to 8).
   */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    long ring = 4L * parameters(spec).memory();
    long recall = dev.norma.protocols.spec.PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))
        ? dev.norma.agents.llm.ContextRecall.bytes(spec.policy().llm()) : 0;
    return 64 + 2 * 24 + 16 + (ring + 7) / 8 * 8 + recall;
  }

  @Override
  public void validate(ExperimentSpec spec, SpecErrors gameErrors) {
    // population.size reports a size below 2 itself; 2 stands in so that the settings are still read.
    parameters(GameSettings.checking(spec.game(), gameErrors), Math.max(2, spec.population().size()));
    validateNamingFields(spec.game(), gameErrors);
    SpecErrors root = gameErrors.root();
    validatePolicy(spec.policy(), root.at("policy"));
    validateCommitted(spec.committed(), root.at("committed"));
    String topology = spec.topology().kind();
    // A kind the spec does not know is reported by topology itself.
    if (TopologySpec.KINDS.contains(topology) && !TopologySpec.COMPLETE.equals(topology)
        && !spec.topology().rooms()) {
      root.at("topology").add("kind", "the ultimatum game draws a fresh random matching each round, of everyone"
          + " ('complete') or within rooms ('rooms'); expected one of them, got '" + topology + "'");
    }
    if (ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind())) {
      root.at("schedule").add("kind", "the ultimatum game has its own seeded schedule, a fresh random matching of"
          + " everyone each round; expected 'rounds', got 'continuous'");
    }
  }

  private static void validatePolicy(PolicySpec policy, SpecErrors errors) {
    // A kind the spec does not know is reported by policy itself.
    String kind = policy.kind();
    if (PolicySpec.MEMORY.equals(kind)) {
      errors.add("kind", "the memory policy models a naming game's player; the ultimatum game's agents imitate by"
          + " rule or play through a language model: expected 'rules', 'llm' or nothing, got 'memory'");
    }
    if (PolicySpec.LLM.equals(kind)) {
      UltimatumPromptTemplates.check(policy.llm().templates(), errors.at("llm"));
    }
    if (!policy.bias().isEmpty()) {
      errors.add("bias", "expected no bias: it weighs a naming game's names, and the ultimatum game has none");
    }
  }

  private static void validateCommitted(CommittedSpec committed, SpecErrors errors) {
    String none = "the ultimatum game has no committed minority (every agent learns); expected 0, got ";
    if (committed.count() != null && committed.count() > 0) {
      errors.add("count", none + committed.count());
    }
    if (committed.fraction() != null && committed.fraction() > 0) {
      errors.add("fraction", none + committed.fraction());
    }
    if ("prepared".equals(committed.introduce())) {
      errors.add("introduce", "the ultimatum game has no names to prepare a population on; expected 'start', got"
          + " 'prepared'");
    }
  }

  private static void validateNamingFields(GameSpec game, SpecErrors gameErrors) {
    if (game.names() != null) {
      gameErrors.add("names", "the ultimatum game splits a sum and has no names; its fields are game.settings");
    }
    if (game.poolSize() != null) {
      gameErrors.add("poolSize", "the ultimatum game splits a sum and has no names; its fields are game.settings");
    }
    if (!game.memory().equals(NAMING_DEFAULTS.memory())) {
      gameErrors.add("memory", "a naming game's memory; the ultimatum game's is game.settings.memory, got "
          + game.memory());
    }
    if (!game.payoff().equals(NAMING_DEFAULTS.payoff())) {
      gameErrors.add("payoff", "a naming game's payoffs; the ultimatum game's payoff is the split of the sum");
    }
  }
}
