package dev.norma.protocols.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.norma.protocols.spec.EndpointSpec;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import java.util.List;
import java.util.Map;

/**
 * The study's key parameters as {@code summary.json} repeats them, so a table of runs (or a
 * sweep's) reads one file per run, with no join on {@code spec.yaml}. Fields that do not apply
 * (no committed minority, a policy without that setting) are absent.
 *
 * @param poolSize          how many names the pool holds (0: the game invents names)
 * @param names             the name pool, when it holds at most {@value #MAX_LISTED_NAMES} names
 * @param memory            H, the interactions an agent remembers (naming games)
 * @param topology          the topology's kind
 * @param policyKind        the resolved policy kind ({@code memory}, {@code rules}, {@code llm})
 * @param temperature       the memory policy's softmax temperature
 * @param bias              the memory policy's prior weights by name (missing names weigh 1)
 * @param llmTemperature    the language model's sampling temperature
 * @param models            the models of the inference endpoints
 * @param committedName     the committed minority's name
 * @param committedCount    how many agents are committed
 * @param committedFraction that count over the population size
 * @param introduce         when the minority appears ({@code start}, {@code prepared}, {@code atRound N})
 * @param maxRounds         the population rounds a run may last
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunParameters(
    int poolSize,
    List<String> names,
    Integer memory,
    String topology,
    String policyKind,
    Double temperature,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> bias,
    Double llmTemperature,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> models,
    String committedName,
    Integer committedCount,
    Double committedFraction,
    String introduce,
    Long maxRounds) {
  /** Larger pools are summarised by their size only (a generated pool may hold thousands). */
  public static final int MAX_LISTED_NAMES = 100;

  public RunParameters {
    // Written without empty collections; read back as null: keep one form so a summary round-trips.
    bias = bias == null || bias.isEmpty() ? null : bias;
    models = models == null || models.isEmpty() ? null : models;
  }

  /** The parameters of a resolved spec whose minority, if any, holds {@code committedName}. */
  public static RunParameters of(ExperimentSpec spec, String committedName, int committedCount) {
    String policy = spec.policy().resolvedKind(spec.game());
    boolean memoryPolicy = PolicySpec.MEMORY.equals(policy);
    LlmPolicySpec llm = spec.policy().llm();
    List<String> models = spec.inference().endpoints() == null ? List.of()
        : spec.inference().endpoints().stream().map(EndpointSpec::model).filter(m -> m != null).distinct().toList();
    boolean committed = committedCount > 0;
    int size = spec.population().size() == null ? 0 : spec.population().size();
    GameSpec game = spec.game();
    List<String> pool = game.resolvedNames();
    return new RunParameters(pool.size(), pool.size() <= MAX_LISTED_NAMES ? pool : null, game.memory(), spec.topology().kind(), policy,
        memoryPolicy ? spec.policy().temperature() : null, memoryPolicy ? spec.policy().bias() : null,
        llm != null && PolicySpec.LLM.equals(policy) ? llm.temperature() : null, models,
        committed ? committedName : null, committed ? committedCount : null,
        committed && size > 0 ? (double) committedCount / size : null,
        committed ? spec.committed().introduce() : null, spec.stop().maxRounds());
  }
}
