package dev.norma.runtime.inference;

import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.InferenceSummary;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.spec.BudgetSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.study.ProgressListener;
import java.util.HashMap;
import java.util.Map;

/**
 * A cluster run's language-model figures as its coordinator sees them: the sum of the latest
 * {@link InferenceUsage} each node reported. The nodes report with their registry's batches, so
 * the figures cover at least the calls behind every interaction recorded; budgets are checked
 * against the sum, so a run may pass a limit by what is in flight across all nodes.
 *
 * <p>A node that restarts reports from zero under a new unique address: its earlier calls stay
 * counted under the old one. Kept in memory only: a coordinator that moves to another node learns
 * the totals again from the nodes' next reports. Confined to the coordinator's actor.
 */
public final class ClusterInference implements RunInference {
  private final BudgetSpec budget;
  private final String templatesSha256;
  private final Map<String, String> templates;
  private final Map<String, InferenceUsage> byNode = new HashMap<>();
  /** The window before any node reported: every endpoint at its study-wide limit. */
  private final int initialWindow;
  private long lastNanos = System.nanoTime();
  private long lastRequests;
  private long lastTokens;

  public ClusterInference(StudyPlan plan) {
    ExperimentSpec spec = plan.spec();
    this.budget = spec.inference().budget();
    this.initialWindow = Math.max(1, 2 * spec.inference().endpoints().stream()
        .mapToInt(endpoint -> endpoint.maxInFlight()).sum());
    LanguageModelPlay play = LlmStudy.languageModelOf(plan);
    this.templatesSha256 = play.templatesSha256();
    this.templates = play.templateHashes();
  }

  /** A node's latest report; {@code node} is its unique address (a restarted node is another). */
  public void report(String node, InferenceUsage usage) {
    byNode.put(node, usage);
  }

  /** The totals a journal recorded at the run's end replace the reports (a recovered coordinator has none). */
  public void restore(InferenceUsage total) {
    byNode.clear();
    byNode.put("journal", total);
  }

  public InferenceUsage total() {
    InferenceUsage total = InferenceUsage.NONE;
    for (InferenceUsage usage : byNode.values()) {
      total = total.plus(usage);
    }
    return total;
  }

  @Override
  public boolean budgetExhausted() {
    InferenceUsage total = total();
    return budget.limited() && budget.reachedBy(total.calls(), total.promptTokens() + total.completionTokens(),
        total.estimatedCost());
  }

  @Override
  public String unreachable() {
    InferenceUsage total = total();
    return RunInference.unreachable(total.calls(), total.replayedCalls(), total.failedCalls(), total.errors());
  }

  /** The nodes' windows summed: each follows its own gateway's limits. */
  @Override
  public int admissionWindow() {
    int window = total().admissionWindow();
    return window > 0 ? window : initialWindow;
  }

  /** The nodes' figures summed, as they last reported them (endpoints are not broken down). */
  @Override
  public ProgressListener.InferenceProgress progress() {
    InferenceUsage t = total();
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    long tokens = t.promptTokens() + t.completionTokens();
    ProgressListener.InferenceProgress progress = new ProgressListener.InferenceProgress(
        (t.requests() - lastRequests) / seconds, (tokens - lastTokens) / seconds, t.inFlight(), t.queued(),
        t.calls() + t.replayedCalls(), java.util.List.of());
    lastNanos = now;
    lastRequests = t.requests();
    lastTokens = tokens;
    return progress;
  }

  @Override
  public long reissuedCalls() {
    return total().reissuedCalls();
  }

  @Override
  public InferenceSummary summary() {
    InferenceUsage t = total();
    return new InferenceSummary(t.calls(), t.replayedCalls(), t.requests(), t.promptTokens(), t.completionTokens(),
        t.retries(), t.errors(), t.failedCalls(), t.invalidAnswers(), t.estimatedCost(), templatesSha256, templates);
  }

  @Override
  public void close() {
    // The nodes' gateways close with their part of the run.
  }
}
