package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Streams;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.measure.ChiSquare;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.inference.ApiKeys;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.inference.GatewayMetrics;
import dev.norma.runtime.inference.InferenceGateway;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmDeliberation;
import dev.norma.runtime.inference.LlmRequest;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.inference.SamplingParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code norma probe SPEC --samples K}: a model's individual bias, as Ashery et al. measured it:
 * the first choice of an agent with an empty memory, asked K times (each with its own seeded
 * option order), its distribution, the position of the chosen option in the list shown, and a
 * chi-square test against the uniform distribution. Writes {@code probe.json} and the call
 * journal to a directory.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Individual bias of a spec's language model: first choices with an empty memory,",
        "their distribution and a chi-square test against uniform."})
public final class ProbeCommand implements Callable<Integer> {
  /** Stream ids of the probe's option shuffles: below the study's reserved ids. */
  private static final long PROBE_STREAM = -1_000_000;

  @Parameters(index = "0", paramLabel = "SPEC", description = "a spec with policy.kind llm")
  Path specFile;

  @Option(names = "--samples", paramLabel = "K", description = "first choices to ask for (default ${DEFAULT-VALUE})")
  int samples = 200;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a spec field (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "seed of the option orders (default: the spec's, else 1)")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "where probe.json and calls.jsonl.gz go")
  Path out;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    ExperimentSpec loaded = SpecArguments.load(specFile, overrides, err);
    if (loaded == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    ExperimentSpec spec = loaded.resolved();
    if (!PolicySpec.LLM.equals(spec.policy().kind()) || samples < 1) {
      err.println(samples < 1 ? "norma: --samples must be at least 1"
          : "norma: probe asks a language model: the spec's policy.kind must be llm");
      return NormaCli.EXIT_BAD_INPUT;
    }
    List<String> keyProblems = ApiKeys.problems(spec.inference(),
        InferenceSettings.fromConfig(ConfigFactory.load()).secretsDir());
    if (!keyProblems.isEmpty()) {
      err.println("norma: cannot read API keys:");
      keyProblems.forEach(problem -> err.println("  " + problem));
      return NormaCli.EXIT_BAD_INPUT;
    }
    long runSeed = seed != null ? seed : spec.seed() != null ? spec.seed() : 1;
    Path dir = out != null ? out : Path.of("runs", spec.name() + "-probe-" + ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    if (Files.exists(dir) && !isEmpty(dir)) {
      err.println("norma: output directory " + dir + " already exists and is not empty");
      return NormaCli.EXIT_BAD_INPUT;
    }
    Files.createDirectories(dir);

    StudyPlan plan = new StudyPlan(spec, runSeed);
    var llm = spec.policy().llm();
    LanguageModelPlay play = LlmStudy.languageModelOf(plan);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "norma-probe",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    List<String> names = play.options();
    long[] counts = new long[names.size()];
    long[] positions = new long[names.size()];
    long unusable = 0;
    try (CallJournal journal = new CallJournal(dir);
         InferenceGateway gateway = new InferenceGateway(system, spec.inference(), SamplingParams.of(llm, names),
             InferenceSettings.fromConfig(system.settings().config()), journal,
             new GatewayMetrics(new SimpleMeterRegistry()), null)) {
      LlmDeliberation deliberation = new LlmDeliberation(play, gateway, llm.parseRetries(), llm.seed());
      List<RenderedPrompt> shown = new ArrayList<>();
      List<CompletableFuture<Integer>> choices = new ArrayList<>();
      for (int s = 0; s < samples; s++) {
        Streams.RandomStream order = new Streams.RandomStream(runSeed, PROBE_STREAM - s);
        RenderedPrompt prompt = play.renderFirst(order::nextInt);
        shown.add(prompt);
        choices.add(deliberation.decide(prompt, s, 0, LlmRequest.Role.PROBE).toCompletableFuture());
      }
      for (int s = 0; s < samples; s++) {
        int word = choices.get(s).get(1, TimeUnit.HOURS);
        if (word == LlmDeliberation.NO_CHOICE) {
          unusable++;
        } else {
          counts[word]++;
          positions[shown.get(s).optionOrder().indexOf(word)]++;
        }
      }
    } finally {
      system.terminate();
    }
    ChiSquare test = ChiSquare.uniform(counts);
    ChiSquare positionTest = ChiSquare.uniform(positions);
    long usable = samples - unusable;
    stdout.printf(Locale.ROOT, "%s · %,d first choices with an empty memory · %d names · %s%n", spec.name(), samples,
        names.size(), String.join(", ", spec.inference().endpoints().stream().map(e -> e.name() + " (" + e.model() + ")")
            .toList()));
    Map<String, Long> distribution = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      distribution.put(names.get(i), counts[i]);
      stdout.printf(Locale.ROOT, "  %-8s %6d  %.3f%n", names.get(i), counts[i], usable == 0 ? 0 : (double) counts[i] / usable);
    }
    stdout.printf(Locale.ROOT, "unusable answers: %,d (each asked up to %d more times)%n", unusable, llm.parseRetries());
    stdout.printf(Locale.ROOT, "chi-square against uniform: X² = %.3f, df = %d, p = %.4g → %s%n", test.statistic(),
        test.degreesOfFreedom(), test.pValue(), test.pValue() < 0.05 ? "biased at the 5% level" : "no significant bias at the 5% level");
    stdout.printf(Locale.ROOT, "position in the list shown: X² = %.3f, p = %.4g (1st chosen %.3f)%n",
        positionTest.statistic(), positionTest.pValue(), usable == 0 ? 0 : (double) positions[0] / usable);
    stdout.println("written to " + dir);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("samples", samples);
    report.put("seed", runSeed);
    report.put("unusable", unusable);
    report.put("counts", distribution);
    report.put("chiSquare", test.statistic());
    report.put("degreesOfFreedom", test.degreesOfFreedom());
    report.put("pValue", test.pValue());
    report.put("positionCounts", positions);
    report.put("positionPValue", positionTest.pValue());
    report.put("templatesSha256", play.templatesSha256());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("probe.json").toFile(), report);
    return NormaCli.EXIT_OK;
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
