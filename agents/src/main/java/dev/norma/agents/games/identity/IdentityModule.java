package dev.norma.agents.games.identity;

import dev.norma.agents.game.FigureGroup;
import dev.norma.agents.game.GameModule;
import dev.norma.agents.llm.FakeAnswers;
import dev.norma.agents.study.AgentGroups;
import dev.norma.protocols.spec.CommittedSpec;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.GroupSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecErrors;
import dev.norma.protocols.spec.TopologySpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-group identity between AI assistants ("We the AI assistants"; Hu et al., Nature Computational
 * Science 2024, for the "We are…"/"They are…" completions), {@code game.kind: identity}: fixed
 * pairs (or groups, one agent a side) of {@code population.size} agents debate an adversarial
 * task for {@code turns} turns every population round ({@link IdentityEncounters}), the
 * population split over the {@code conditions} ({@link IdentityPairs}); each condition names, per
 * seat, a group of {@code population.groups} (its endpoints, so its model, and its persona), an
 * identity prompt, and the rule-based policy's drift. The settings: {@link IdentitySettings}; the
 * figures: {@link IdentityMeasures}; every message is in the run's {@code transcripts.jsonl} and
 * {@code transcripts.parquet}.
 *
 * <p>{@code policy.kind: rules} (the default) plays {@link IdentityRulePolicy}; {@code llm} asks
 * each turn's model for a free text through the gateway, prompts from the templates
 * {@code identity.*.txt} beside this class (which {@code policy.llm.templates} replaces file by
 * file), the debate shown bounded by {@code policy.llm.contextTokens} (its oldest messages leave;
 * {@code summarise} is refused). {@link #fakeAnswers()} stands in for a model in the fake server.
 *
 * <p>What the study cannot honour is an error at the field that asks for it: the {@code memory}
 * policy, a committed minority, a topology other than the complete graph (the pairs are the
 * study's own: a condition is who sits in its seats, so pairs drawn within rooms or a network,
 * which would mix the conditions, are refused), the {@code continuous} schedule, the naming games' fields and constrained
 * decoding (a debate turn is free text).
 */
public final class IdentityModule implements GameModule, GameSection {
  public static final String KIND = "identity";
  /** What the "we" rate's interval in a run is. */
  private static final String ACROSS_PAIRS = "95% interval across pairs";
  private static final GameSpec NAMING_DEFAULTS = new GameSpec(KIND, null, null, null, null);

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  @Override
  public Map<String, Object> settingsInForce(ExperimentSpec spec) {
    return IdentitySettings.of(spec.game()).inForce();
  }

  @Override
  public IdentityEncounters encounters(ExperimentSpec spec, long seed) {
    IdentitySettings settings = IdentitySettings.of(spec.game());
    IdentityPairs pairs = IdentityPairs.assign(settings, spec.population(), seed);
    boolean llm = PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()));
    String[] models = models(spec, seed, llm);
    if (!llm) {
      return new IdentityEncounters(settings, pairs, seed, models, null, null);
    }
    LlmPolicySpec policy = spec.policy().llm();
    return new IdentityEncounters(settings, pairs, seed, models, IdentityPromptTemplates.of(policy.templates()),
        policy.contextTokens());
  }

  /**
   * Each agent's model as the spec assigns it: the models of its group's endpoints (of every
   * endpoint for an agent in no group), joined by {@code +} when they differ; the rule's name when
   * the rule plays.
   */
  static String[] models(ExperimentSpec spec, long seed, boolean llm) {
    int size = spec.population().size();
    String[] models = new String[size];
    if (!llm) {
      java.util.Arrays.fill(models, IdentityRulePolicy.MODEL);
      return models;
    }
    List<EndpointSpec> endpoints = spec.inference().endpoints();
    int[] groupOf = AgentGroups.assign(spec.population(), seed);
    for (int agent = 0; agent < size; agent++) {
      GroupSpec group = groupOf[agent] == AgentGroups.NONE ? null : spec.population().groups().get(groupOf[agent]);
      Set<String> named = new LinkedHashSet<>();
      for (int e = 0; e < endpoints.size(); e++) {
        EndpointSpec endpoint = endpoints.get(e);
        if (group == null || group.endpoints() == null || group.endpoints().isEmpty()
            || group.endpoints().contains(endpoint.name())) {
          named.add(endpoint.model() == null ? "default" : endpoint.model());
        }
      }
      models[agent] = named.isEmpty() ? "default" : String.join("+", named);
    }
    return models;
  }

  /**
   * The conditions side by side: at the last round, the "we" rate per 1,000 tokens with its 95%
   * interval across pairs, and the stance shares and completions' sentiment; by round, a line per
   * condition for the "we" rate (with its interval), its drift, plural forms per turn, the
   * cooperative share and the turns without a usable answer, beside the figure over all debates
   * where there is one. With the rules read beside a judge ({@code scoring: both}), two more at the
   * last round: the cooperative share by the judge and by the rules with their agreement on each
   * judged message's stance (share and Cohen's kappa), and the rules' stance and sentiment. The
   * conditions are read from the columns, so a report needs no spec.
   */
  @Override
  public List<FigureGroup> figureGroups(List<String> columns) {
    List<String> conditions = columns.stream().filter(column -> column.endsWith("_wePer1kLow"))
        .map(column -> column.substring(0, column.length() - "_wePer1kLow".length())).toList();
    if (conditions.isEmpty()) {
      return List.of();
    }
    java.util.function.Function<String, List<String>> of = figure -> conditions.stream()
        .map(condition -> condition + "_" + figure).toList();
    FigureGroup.Measure we = new FigureGroup.Measure("first-person plural per 1,000 tokens", of.apply("wePer1k"),
        of.apply("wePer1kLow"), of.apply("wePer1kHigh"));
    List<FigureGroup> groups = new java.util.ArrayList<>(List.of(
        new FigureGroup("identity-we", "First-person plural per 1,000 tokens", "per 1,000 tokens", 0.0, null, false,
            conditions, List.of(we), ACROSS_PAIRS),
        new FigureGroup("identity-stance", "Stance of the debate turns and sentiment of the completions",
            "share of turns · sentiment", -1.0, 1.0, false, conditions, List.of(
                new FigureGroup.Measure("cooperative turns", of.apply("cooperative")),
                new FigureGroup.Measure("adversarial turns", of.apply("adversarial")),
                new FigureGroup.Measure("\"We are…\" sentiment", of.apply("weAre")),
                new FigureGroup.Measure("\"They are…\" sentiment", of.apply("theyAre")))),
        new FigureGroup("identity-we-rounds", "First-person plural per 1,000 tokens", "per 1,000 tokens", 0.0, null,
            true, conditions, List.of(new FigureGroup.Measure("all debates", List.of("wePer1k")), we), ACROSS_PAIRS),
        new FigureGroup("identity-drift-rounds", "Drift towards \"we\": the last half's rate less the first"
            + " half's", "per 1,000 tokens", null, null, true, conditions,
            List.of(new FigureGroup.Measure("drift", of.apply("weDrift")))),
        new FigureGroup("identity-per-turn-rounds", "First-person plural forms per debate turn",
            "forms per turn", 0.0, null, true, conditions,
            List.of(new FigureGroup.Measure("per turn", of.apply("wePerTurn")))),
        new FigureGroup("identity-cooperative-rounds", "Share of cooperative debate turns", "share of turns",
            0.0, 1.0, true, conditions, List.of(new FigureGroup.Measure("all debates", List.of("cooperative")),
                new FigureGroup.Measure("cooperative", of.apply("cooperative")))),
        new FigureGroup("identity-invalid-rounds", "Turns without a usable answer (the judge's included)",
            "turns", 0.0, null, true, conditions, List.of(new FigureGroup.Measure("invalid", of.apply("invalid"))))));
    if (columns.contains(conditions.get(0) + "_cooperativeRules")) {
      groups.add(1, new FigureGroup("identity-judge-rules", "Cooperative turns and agreement on each judged"
          + " message's stance, the judge against the word rules,", "share · kappa", -1.0,
          1.0, false, conditions, List.of(
              new FigureGroup.Measure("cooperative by the judge", of.apply("cooperative")),
              new FigureGroup.Measure("cooperative by the rules", of.apply("cooperativeRules")),
              new FigureGroup.Measure("same stance (share of judged messages)", of.apply("stanceAgreement")),
              new FigureGroup.Measure("Cohen's kappa", of.apply("stanceKappa")))));
      groups.add(3, new FigureGroup("identity-stance-rules", "Stance and sentiment by the word rules (beside the"
          + " judge's)", "share of turns · sentiment",
          -1.0, 1.0, false, conditions, List.of(
              new FigureGroup.Measure("cooperative turns", of.apply("cooperativeRules")),
              new FigureGroup.Measure("adversarial turns", of.apply("adversarialRules")),
              new FigureGroup.Measure("\"We are…\" sentiment", of.apply("weAreRules")),
              new FigureGroup.Measure("\"They are…\" sentiment", of.apply("theyAreRules")))));
    }
    return List.copyOf(groups);
  }

  @Override
  public FakeAnswers fakeAnswers() {
    return new IdentityFakeAnswers();
  }

  /** A mind: its id, stream and commitment (as every mind), and its count of debates. */
  @Override
  public long mindBytes(ExperimentSpec spec) {
    return 48;
  }

  /**
   * A judge model needs the language-model policy (its calls go through the run's gateway, which
   * a rule-based study does not open) and a group or endpoint the spec has.
   */
  private static void checkJudge(ExperimentSpec spec, IdentitySettings settings, SpecErrors settingsErrors) {
    if (!settings.judged()) {
      return;
    }
    if (!PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      settingsErrors.add("scoring", "a judge model is asked through the run's gateway, which only policy.kind:"
          + " llm opens; expected 'rules' with rule-based debaters, got '" + settings.scoring() + "'");
    }
    String group = settings.judge().group();
    if (group != null && spec.population().groups().stream().noneMatch(g -> g.name().equals(group))) {
      settingsErrors.add("judge.group", "expected a group of population.groups " + spec.population().groups()
          .stream().map(GroupSpec::name).toList() + ", got '" + group + "'");
    }
    String endpoint = settings.judge().endpoint();
    if (endpoint != null && spec.inference().endpoints().stream().noneMatch(e -> endpoint.equals(e.name()))) {
      settingsErrors.add("judge.endpoint", "expected an endpoint of inference.endpoints " + spec.inference()
          .endpoints().stream().map(EndpointSpec::name).toList() + ", got '" + endpoint + "'");
    }
  }

  @Override
  public void validate(ExperimentSpec spec, SpecErrors gameErrors) {
    IdentitySettings settings = IdentitySettings.checking(spec.game(), gameErrors);
    SpecErrors root = gameErrors.root();
    IdentityPairs.check(settings, spec.population(), gameErrors.at("settings"), root.at("population"));
    checkJudge(spec, settings, gameErrors.at("settings"));
    if (spec.game().names() != null || spec.game().poolSize() != null || !spec.game().memory().equals(
        NAMING_DEFAULTS.memory()) || !spec.game().payoff().equals(NAMING_DEFAULTS.payoff())) {
      gameErrors.add("kind", "the in-group identity study has no names, memory or payoffs of a naming game; its"
          + " fields are game.settings");
    }
    PolicySpec policy = spec.policy();
    if (PolicySpec.MEMORY.equals(policy.kind())) {
      root.at("policy").add("kind", "the memory policy models a naming game's player; debaters speak by rule or"
          + " through a language model: expected 'rules', 'llm' or nothing, got 'memory'");
    }
    if (PolicySpec.LLM.equals(policy.kind())) {
      SpecErrors llm = root.at("policy").at("llm");
      IdentityPromptTemplates.check(policy.llm().templates(), llm);
      if (LlmPolicySpec.SUMMARISE.equals(policy.llm().contextOverflow())) {
        llm.add("contextOverflow", "a debate starts afresh each encounter and shows its newest messages within"
            + " contextTokens; expected 'dropOldest', got 'summarise'");
      }
      if (!LlmPolicySpec.NONE.equals(policy.llm().constrained())) {
        llm.add("constrained", "a debate turn is free text, which constrained decoding cannot give; expected"
            + " 'none', got '" + policy.llm().constrained() + "'");
      }
    }
    if (!policy.bias().isEmpty()) {
      root.at("policy").add("bias", "expected no bias: it weighs a naming game's names, and a debate has none");
    }
    CommittedSpec committed = spec.committed();
    if (committed.count() != null && committed.count() > 0 || committed.fraction() != null
        && committed.fraction() > 0) {
      root.at("committed").add(committed.count() != null ? "count" : "fraction", "every debater speaks for"
          + " itself: the in-group identity study has no committed minority; expected 0");
    }
    String topology = spec.topology().kind();
    if (TopologySpec.KINDS.contains(topology) && !TopologySpec.COMPLETE.equals(topology)) {
      // Rooms too: partners drawn within rooms would pair agents of different conditions and
      // groups, while a condition is defined by who sits in its seats; a debate compares conditions.
      root.at("topology").add("kind", "the pairs are the study's own (game.settings.conditions): each debate"
          + " seats its condition's groups, the same agents every round, so partners drawn"
          + (TopologySpec.ROOMS.equals(topology) ? " within rooms" : " from a network")
          + " would mix the conditions; expected 'complete', got '" + topology + "'");
    }
    if (ScheduleSpec.CONTINUOUS.equals(spec.schedule().kind())) {
      root.at("schedule").add("kind", "every pair debates once a round; expected 'rounds', got 'continuous'");
    }
  }
}
