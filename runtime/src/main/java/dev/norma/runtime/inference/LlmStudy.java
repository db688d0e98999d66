package dev.norma.runtime.inference;

import dev.norma.agents.game.NamingGame;
import dev.norma.agents.llm.NamingPrompt;
import dev.norma.agents.llm.NamingPromptTemplates;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.BudgetSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.runtime.results.InferenceSummary;
import dev.norma.runtime.study.ProgressListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One run's language-model machinery on this node: the call journal in the run directory, the
 * inference gateway, and the deliberation its agents use; plus what the coordinator asks of it
 * (budget, admission window, progress, summary figures).
 *
 * <p>Lifecycle: started with the run, before its agents; {@link #close()} when the run's results
 * are final (calls still queued then fail, and the journal is complete).
 */
public final class LlmStudy implements AutoCloseable {
  private final InferenceGateway gateway;
  private final LlmDeliberation deliberation;
  private final NamingPromptTemplates templates;
  private final BudgetSpec budget;
  private long lastNanos = System.nanoTime();
  private long lastRequests;
  private long lastTokens;

  private LlmStudy(InferenceGateway gateway, LlmDeliberation deliberation, NamingPromptTemplates templates,
                   BudgetSpec budget) {
    this.gateway = gateway;
    this.deliberation = deliberation;
    this.templates = templates;
    this.budget = budget;
  }

  /**
   * @param runDirectory where {@code calls.jsonl.gz} goes (the run directory, already created)
   * @param replay       answers of a recorded run, or null
   */
  public static LlmStudy start(ActorSystem<?> system, ExperimentSpec spec, StudyPlan plan, Path runDirectory,
                               InferenceSettings settings, MeterRegistry registry, ReplayBook replay)
      throws IOException {
    return start(system, spec, plan, runDirectory, settings, registry, replay, false);
  }

  /**
   * @param resume the run resumes in {@code runDirectory}: its call journal keeps the lines it has,
   *               and answers the calls it recorded
   */
  public static LlmStudy start(ActorSystem<?> system, ExperimentSpec spec, StudyPlan plan, Path runDirectory,
                               InferenceSettings settings, MeterRegistry registry, ReplayBook replay,
                               boolean resume) throws IOException {
    ReplayBook previous = resume && java.nio.file.Files.isRegularFile(runDirectory.resolve(CallJournal.FILE))
        ? ReplayBook.read(runDirectory) : null;
    if (previous != null) {
      replay = previous.with(replay);
    }
    LlmPolicySpec llm = spec.policy().llm();
    NamingGame game = (NamingGame) (Object) plan.game();
    NamingPromptTemplates templates = llm.templates() == null ? NamingPromptTemplates.defaults()
        : NamingPromptTemplates.fromDirectory(Path.of(llm.templates()));
    NamingPrompt prompts = new NamingPrompt(game, llm.horizon(), templates);
    CallJournal journal = new CallJournal(runDirectory, resume);
    InferenceGateway gateway;
    try {
      gateway = new InferenceGateway(system, spec.inference(), SamplingParams.of(llm, game.names()), settings,
          journal, new GatewayMetrics(registry), replay);
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
    LlmDeliberation deliberation = new LlmDeliberation(game, prompts, gateway, llm.parseRetries(), llm.seed());
    if (previous != null) {
      deliberation.askedBefore(previous.decisions());
    }
    return new LlmStudy(gateway, deliberation, templates, spec.inference().budget());
  }

  public LlmDeliberation deliberation() {
    return deliberation;
  }

  public InferenceGateway gateway() {
    return gateway;
  }

  /** Whether a budget of the spec is reached (calls answered by endpoints, tokens, estimated cost). */
  public boolean budgetExhausted() {
    if (!budget.limited()) {
      return false;
    }
    GatewayUsage usage = gateway.usage();
    return budget.maxCalls() != null && usage.calls() >= budget.maxCalls()
        || budget.maxTokens() != null && usage.promptTokens() + usage.completionTokens() >= budget.maxTokens()
        || budget.maxCost() != null && usage.estimatedCost() >= budget.maxCost();
  }

  /** Calls that fail for good before any is answered, after which the endpoints are taken as unreachable. */
  static final int UNREACHABLE_AFTER = 8;

  /**
   * Why the run cannot go on — no endpoint answered any of its first calls, each tried
   * {@code max-retries + 1} times (a wrong URL, a server that is down) — or null.
   */
  public String unreachable() {
    GatewayUsage usage = gateway.usage();
    return usage.calls() == 0 && usage.replayedCalls() == 0 && usage.failedCalls() >= UNREACHABLE_AFTER
        ? "no endpoint answered any of the first " + usage.failedCalls() + " calls (" + usage.errors()
            + " failed requests); see calls.jsonl.gz for the errors"
        : null;
  }

  /** See {@link InferenceGateway#admissionWindow()}. */
  public int admissionWindow() {
    return gateway.admissionWindow();
  }

  /** Rates since the previous call; called from the coordinator's progress timer only. */
  public ProgressListener.InferenceProgress progress() {
    GatewayUsage usage = gateway.usage();
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    long tokens = usage.promptTokens() + usage.completionTokens();
    ProgressListener.InferenceProgress progress = new ProgressListener.InferenceProgress(
        (usage.requests() - lastRequests) / seconds, (tokens - lastTokens) / seconds, usage.inFlight(),
        usage.queued(), usage.calls() + usage.replayedCalls(), gateway.endpointProgress());
    lastNanos = now;
    lastRequests = usage.requests();
    lastTokens = tokens;
    return progress;
  }

  /** The figures for {@code summary.json}. */
  public InferenceSummary summary() {
    GatewayUsage usage = gateway.usage();
    Map<String, String> parts = new LinkedHashMap<>();
    for (NamingPromptTemplates.Part part : NamingPromptTemplates.Part.values()) {
      parts.put(part.fileName(), templates.get(part).sha256());
    }
    return new InferenceSummary(usage.calls(), usage.replayedCalls(), usage.requests(), usage.promptTokens(),
        usage.completionTokens(), usage.retries(), usage.errors(), usage.failedCalls(),
        deliberation.invalidAnswers(), usage.estimatedCost(), templates.sha256(), parts);
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
