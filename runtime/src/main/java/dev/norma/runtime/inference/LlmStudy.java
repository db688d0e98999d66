package dev.norma.runtime.inference;

import dev.norma.agents.game.Games;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.study.EndpointSwitches;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.InferenceSummary;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.spec.BudgetSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InferenceSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.runtime.study.ProgressListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One run's language-model machinery on this node: the call journal in the run directory, the
 * inference gateway, and the deliberation its agents use; plus what the coordinator asks of it
 * (budget, admission window, progress, summary figures).
 *
 * <p>Lifecycle: started with the run, before its agents; {@link #close()} when the run's results
 * are final (calls still queued then fail, and the journal is complete).
 */
public final class LlmStudy implements RunInference, AutoCloseable {
  private final InferenceGateway gateway;
  private final LlmDeliberation deliberation;
  private final String templatesSha256;
  private final java.util.Map<String, String> templateHashes;
  private final BudgetSpec budget;
  /**
   * The run directory's call journal (null on a cluster node, whose lines are shipped): what it
   * holds, every earlier session of a resumed run included, is what the summary and the budgets
   * count.
   */
  private final CallJournal journal;
  private long lastNanos = System.nanoTime();
  private long lastRequests;
  private long lastTokens;

  private LlmStudy(InferenceGateway gateway, LlmDeliberation deliberation, String templatesSha256,
                   java.util.Map<String, String> templateHashes, BudgetSpec budget, CallJournal journal) {
    this.journal = journal;
    this.gateway = gateway;
    this.deliberation = deliberation;
    this.templatesSha256 = templatesSha256;
    this.templateHashes = java.util.Map.copyOf(templateHashes);
    this.budget = budget;
  }

  /**
   * A study of an encounter game played through a language model, in memory: its turns bring
   * their own prompts and parsers, so the gateway sends no options of its own (no constrained
   * decoding).
   *
   * @param runDirectory where {@code calls.jsonl.gz} goes (the run directory, already created)
   * @param replay       answers of a recorded run, or null
   */
  public static LlmStudy startEncounters(ActorSystem<?> system, ExperimentSpec spec,
                                         dev.norma.agents.encounter.Conversations<?> conversations, Path runDirectory,
                                         InferenceSettings settings, MeterRegistry registry, ReplayBook replay)
      throws IOException {
    return startEncounters(system, spec, conversations, runDirectory, settings, registry,
        io.micrometer.core.instrument.Tags.empty(), replay, false, CallJournalReader.Reading.STRICT);
  }

  /**
   * As {@link #startEncounters(ActorSystem, ExperimentSpec, dev.norma.agents.encounter.Conversations, Path,
   * InferenceSettings, MeterRegistry, ReplayBook)}, for a durable run that may be going on.
   *
   * @param meterTags tags every gateway meter carries (a cluster node's run: its id)
   * @param resume  the run resumes in {@code runDirectory}: its call journal keeps the lines it
   *                has and answers the turns it recorded; a turn asked before that an endpoint
   *                answers now is a reissued call
   * @param reading how damage in that journal is taken (a last line cut short is always dropped)
   */
  public static LlmStudy startEncounters(ActorSystem<?> system, ExperimentSpec spec,
                                         dev.norma.agents.encounter.Conversations<?> conversations, Path runDirectory,
                                         InferenceSettings settings, MeterRegistry registry,
                                         io.micrometer.core.instrument.Tags meterTags, ReplayBook replay,
                                         boolean resume, CallJournalReader.Reading reading) throws IOException {
    ReplayBook previous = resume ? ReplayBook.empty() : null;
    CallJournal journal = openJournal(spec, runDirectory, reading, previous);
    replay = previous != null ? previous.with(replay) : replay;
    try {
      LlmPolicySpec llm = spec.policy().llm();
      SamplingParams params = SamplingParams.of(llm, java.util.List.of());
      InferenceGateway gateway = new InferenceGateway(system, spec.inference(), params, settings, journal,
          new GatewayMetrics(registry, meterTags), replay);
      java.util.function.IntFunction<AgentGroup> groups = groups(spec, params, gateway, runDirectory);
      LlmDeliberation deliberation = new LlmDeliberation(null, gateway, llm.parseRetries(), llm.seed(),
          (agent, index) -> groups.apply(agent), judges(spec, params));
      if (previous != null) {
        deliberation.askedBefore(previous.decisions(), previous.sent());
      }
      return new LlmStudy(gateway, deliberation, conversations.templatesSha256(), conversations.templateHashes(),
          spec.inference().budget(), journal);
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
  }

  /**
   * The run's call journal: a new one, or, when {@code previous} is given (a resume), the one it
   * has, continued, its answers read into {@code previous}.
   */
  private static CallJournal openJournal(ExperimentSpec spec, Path runDirectory, CallJournalReader.Reading reading,
                                         ReplayBook previous) throws IOException {
    CallJournal journal = previous != null
        ? CallJournal.resume(runDirectory, spec.inference().endpoints(), reading, previous::add)
        : CallJournal.create(runDirectory, spec.inference().endpoints());
    if (previous != null) {
      // Calls in flight when the run stopped have no line in the journal, only a sent note.
      SentCalls.read(runDirectory).forEach(previous::addSent);
    }
    if (spec.durable()) {
      journal.noteSent(SentCalls.in(runDirectory));
    }
    return journal;
  }

  /**
   * @param runDirectory where {@code calls.jsonl.gz} goes (the run directory, already created)
   * @param replay       answers of a recorded run, or null
   */
  public static LlmStudy start(ActorSystem<?> system, ExperimentSpec spec, StudyPlan plan, Path runDirectory,
                               InferenceSettings settings, MeterRegistry registry, ReplayBook replay)
      throws IOException {
    return start(system, spec, plan, runDirectory, settings, registry, replay, false,
        CallJournalReader.Reading.STRICT);
  }

  /**
   * @param resume  the run resumes in {@code runDirectory}: its call journal keeps the lines it
   *                has, answers the calls it recorded, and its figures and budgets count them
   * @param reading how damage in that journal is taken (a last line cut short is always dropped)
   * @throws CallJournalReader.DamagedJournalException when the journal is damaged beyond what
   *                                                   {@code reading} accepts (left as it was)
   */
  public static LlmStudy start(ActorSystem<?> system, ExperimentSpec spec, StudyPlan plan, Path runDirectory,
                               InferenceSettings settings, MeterRegistry registry, ReplayBook replay,
                               boolean resume, CallJournalReader.Reading reading) throws IOException {
    ReplayBook previous = resume ? ReplayBook.empty() : null;
    CallJournal journal = openJournal(spec, runDirectory, reading, previous);
    replay = previous != null ? previous.with(replay) : replay;
    LlmStudy study;
    try {
      study = start(system, spec, spec.inference(), plan, settings, new GatewayMetrics(registry), replay, journal,
          runDirectory);
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
    if (previous != null) {
      study.deliberation.askedBefore(previous.decisions(), previous.sent());
    }
    return study;
  }

  /**
   * A cluster node's part: a gateway with this node's share of the endpoints' limits, whose call
   * lines go to {@code log} (shipped to the run's coordinator).
   *
   * @param nodes the cluster's members up when the node starts its part
   */
  public static LlmStudy startOnNode(ActorSystem<?> system, String runId, ExperimentSpec spec, StudyPlan plan,
                                     int nodes, InferenceSettings settings, MeterRegistry registry, CallLog log) {
    // Built with the whole limits (the most a share may grow to), then cut to this node's share.
    LlmStudy study = start(system, spec, spec.inference(), plan, settings,
        new GatewayMetrics(registry, io.micrometer.core.instrument.Tags.of("run", runId)), null, log, null);
    study.share(spec.inference(), nodes);
    return study;
  }

  /** Keeps this node's share of the endpoints' limits, among {@code nodes} members. */
  public void share(InferenceSpec whole, int nodes) {
    gateway.share(whole.sharedAmong(nodes));
  }

  private static LlmStudy start(ActorSystem<?> system, ExperimentSpec spec, InferenceSpec endpoints, StudyPlan plan,
                                InferenceSettings settings, GatewayMetrics metrics, ReplayBook replay, CallLog log,
                                Path runDirectory) {
    LlmPolicySpec llm = spec.policy().llm();
    LanguageModelPlay play = languageModelOf(plan);
    SamplingParams params = SamplingParams.of(llm, play.options());
    InferenceGateway gateway = new InferenceGateway(system, endpoints, params, settings, log, metrics, replay);
    LlmDeliberation deliberation;
    try {
      deliberation = new LlmDeliberation(play, gateway, llm.parseRetries(), llm.seed(),
          switched(spec, plan.interventions().endpointSwitches(), params, gateway,
              groups(spec, params, gateway, runDirectory)));
    } catch (IOException e) {
      gateway.close();
      throw new java.io.UncheckedIOException(e);
    }
    return new LlmStudy(gateway, deliberation, play.templatesSha256(), play.templateHashes(), spec.inference().budget(),
        log instanceof CallJournal journal ? journal : null);
  }

  /** The group name a judge's calls carry in the journal and the group meters. */
  public static final String JUDGE_GROUP = "judge";

  /**
   * Who answers an encounter game's judge turns: a group of {@code population.groups} by name (its
   * endpoints and sampling parameters, not its persona: the judge is no debater), or one endpoint by
   * name with the run's parameters; either way named {@link #JUDGE_GROUP} in the journal.
   */
  private static java.util.function.Function<dev.norma.agents.encounter.Turn.Judge, AgentGroup> judges(
      ExperimentSpec spec, SamplingParams params) {
    return judge -> {
      if (judge.endpoint() != null) {
        return new AgentGroup(JUDGE_GROUP, params, java.util.Set.of(judge.endpoint()), null);
      }
      dev.norma.protocols.spec.GroupSpec group = spec.population().groups().stream()
          .filter(g -> g.name().equals(judge.group())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no group '" + judge.group() + "' in population.groups"));
      return new AgentGroup(JUDGE_GROUP, own(group, params),
          group.endpoints() == null ? null : java.util.Set.copyOf(group.endpoints()), null);
    };
  }

  /** A group's sampling parameters: its own where it sets them, the run's elsewhere. */
  private static SamplingParams own(dev.norma.protocols.spec.GroupSpec group, SamplingParams params) {
    return new SamplingParams(
        group.temperature() != null ? group.temperature() : params.temperature(),
        group.topP() != null ? group.topP() : params.topP(), group.topK() != null ? group.topK() : params.topK(),
        group.maxTokens() != null ? group.maxTokens() : params.maxTokens(), params.constrained(),
        params.options());
  }

  /** The file of a run directory that names each agent's group, when the spec has groups. */
  public static final String GROUPS_FILE = "groups.csv";

  /**
   * Each agent's group of {@code population.groups} (null for none), with the run's sampling
   * parameters where a group sets none; {@link #GROUPS_FILE} written in {@code runDirectory} (when
   * given) as {@code agent,group}, every agent in a group by id.
   */
  private static java.util.function.IntFunction<AgentGroup> groups(ExperimentSpec spec, SamplingParams params,
                                                                  InferenceGateway gateway, Path runDirectory)
      throws IOException {
    java.util.List<dev.norma.protocols.spec.GroupSpec> specs = spec.population().groups();
    if (specs.isEmpty()) {
      return agent -> null;
    }
    AgentGroup[] groups = new AgentGroup[specs.size()];
    for (int g = 0; g < groups.length; g++) {
      dev.norma.protocols.spec.GroupSpec group = specs.get(g);
      groups[g] = new AgentGroup(group.name(), own(group, params),
          group.endpoints() == null ? null : java.util.Set.copyOf(group.endpoints()), group.persona());
      gateway.metrics().registerGroup(group.name());
    }
    int[] groupOf = dev.norma.agents.study.AgentGroups.assign(spec.population(), spec.seed());
    if (runDirectory != null) {
      StringBuilder csv = new StringBuilder("agent,group\n");
      for (int agent = 0; agent < groupOf.length; agent++) {
        if (groupOf[agent] >= 0) {
          csv.append(agent).append(',').append(groups[groupOf[agent]].name()).append('\n');
        }
      }
      java.nio.file.Files.writeString(runDirectory.resolve(GROUPS_FILE), csv);
    }
    return agent -> agent >= 0 && agent < groupOf.length && groupOf[agent] >= 0 ? groups[groupOf[agent]] : null;
  }

  /**
   * Each agent's group in each interaction: its group of {@code population.groups}, or, once an
   * {@code endpoint} intervention switched it, a group like it (its name, parameters and persona;
   * the run's parameters for an agent in none) answered only by the endpoints the intervention
   * names.
   */
  private static LlmDeliberation.GroupOf switched(ExperimentSpec spec, EndpointSwitches switches,
                                                  SamplingParams params, InferenceGateway gateway,
                                                  java.util.function.IntFunction<AgentGroup> groups) {
    if (switches.isEmpty()) {
      return (agent, index) -> groups.apply(agent);
    }
    java.util.List<dev.norma.protocols.spec.InterventionSpec> items = spec.interventions();
    // One group per (group, switch), shared by its agents (batches keep equal groups together).
    java.util.Map<String, AgentGroup> made = new java.util.concurrent.ConcurrentHashMap<>();
    for (dev.norma.protocols.spec.InterventionSpec item : items) {
      if (dev.norma.protocols.spec.InterventionSpec.ENDPOINT.equals(item.action())) {
        gateway.metrics().registerGroup(ENDPOINT_GROUP);
      }
    }
    return (agent, index) -> {
      AgentGroup own = groups.apply(agent);
      int position = switches.switchOf(agent, index);
      if (position < 0) {
        return own;
      }
      return made.computeIfAbsent((own == null ? "" : own.name()) + "|" + position, key -> new AgentGroup(
          own == null ? ENDPOINT_GROUP : own.name(), own == null ? params : own.params(),
          java.util.Set.copyOf(dev.norma.protocols.spec.EndpointChanges.targets(items.get(position), spec)),
          own == null ? null : own.persona()));
    };
  }

  /** The group name of agents in no group of {@code population.groups} that an {@code endpoint} intervention switched. */
  public static final String ENDPOINT_GROUP = "switched";

  /**
   * How the study's agents play through a language model: their game's module says.
   *
   * @throws IllegalArgumentException when the game has no language-model policy
   */
  public static LanguageModelPlay languageModelOf(StudyPlan plan) {
    String kind = plan.spec().game().kind();
    LanguageModelPlay play = Games.forKind(kind).languageModel(plan.game(), plan.spec());
    if (play == null) {
      throw new IllegalArgumentException("game.kind '" + kind + "' has no language-model policy");
    }
    return play;
  }

  public LlmDeliberation deliberation() {
    return deliberation;
  }

  public InferenceGateway gateway() {
    return gateway;
  }

  /**
   * Whether a budget is reached by what the run spent: the answers its call journal holds from
   * endpoints (every session of a resumed run; answers replayed from a journal cost nothing).
   */
  @Override
  public boolean budgetExhausted() {
    if (!budget.limited()) {
      return false;
    }
    InferenceUsage spent = spent();
    return budget.reachedBy(spent.calls(), spent.promptTokens() + spent.completionTokens(), spent.estimatedCost());
  }

  /** What the call journal holds, summed; a cluster node's gateway's own counts. */
  private InferenceUsage spent() {
    return journal != null ? journal.totals() : usage();
  }

  @Override
  public String unreachable() {
    GatewayUsage usage = gateway.usage();
    String first = RunInference.unreachable(usage.calls(), usage.replayedCalls(), usage.failedCalls(),
        usage.errors());
    return first != null ? first : gateway.unanswered();
  }

  @Override
  public long reissuedCalls() {
    return journal != null ? journal.totals().reissuedCalls() : deliberation.reissuedCalls();
  }

  /** What this node's gateway has done so far, as a cluster node reports it. */
  public InferenceUsage usage() {
    GatewayUsage u = gateway.usage();
    return new InferenceUsage(u.calls(), u.replayedCalls(), u.requests(), u.promptTokens(), u.completionTokens(),
        u.retries(), u.errors(), u.failedCalls(), deliberation.invalidAnswers(), deliberation.reissuedCalls(),
        u.estimatedCost(), u.inFlight(), u.queued(), gateway.admissionWindow());
  }

  @Override
  public int admissionWindow() {
    return gateway.admissionWindow();
  }

  @Override
  public ProgressListener.InferenceProgress progress() {
    GatewayUsage usage = gateway.usage();
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    long tokens = usage.promptTokens() + usage.completionTokens();
    // Rates are this session's; the answers so far, the whole run's (a resumed run's earlier ones too).
    InferenceUsage spent = spent();
    ProgressListener.InferenceProgress progress = new ProgressListener.InferenceProgress(
        (usage.requests() - lastRequests) / seconds, (tokens - lastTokens) / seconds, usage.inFlight(),
        usage.queued(), spent.calls() + spent.replayedCalls(), gateway.endpointProgress());
    lastNanos = now;
    lastRequests = usage.requests();
    lastTokens = tokens;
    return progress;
  }

  /**
   * The figures for {@code summary.json}: sums over the call journal, so they cover every session
   * of a resumed run and equal what the journal holds.
   */
  @Override
  public InferenceSummary summary() {
    InferenceUsage spent = spent();
    return new InferenceSummary(spent.calls(), spent.replayedCalls(), spent.requests(), spent.promptTokens(),
        spent.completionTokens(), spent.retries(), spent.errors(), spent.failedCalls(), spent.invalidAnswers(),
        spent.estimatedCost(), templatesSha256, templateHashes);
  }

  /** Closes the journal: the run's results are final; later calls are not part of them. */
  public void closeJournal() throws IOException {
    gateway.journal().close();
  }

  @Override
  public void close() {
    gateway.close();
    try {
      closeJournal();
    } catch (IOException ignored) {
      // closed with the results already
    }
  }
}
