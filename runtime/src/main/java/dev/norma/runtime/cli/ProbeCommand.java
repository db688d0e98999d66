package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.Mind;
import dev.norma.agents.Streams;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.encounter.MindArrays;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.LanguageModelPlay;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.measure.ChiSquare;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.encounter.EncounterRuns;
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
import java.util.Comparator;
import java.util.HashMap;
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
 *
 * <p>For an encounter game ({@link EncounterGame}) the first choice is the first turn of an
 * encounter among fresh agents, who remember nothing, asked through the game's
 * {@link dev.norma.agents.encounter.Conversations}: the runtime names no game.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Individual bias of a spec's language model: first choices with an empty memory,",
        "their distribution and a chi-square test against uniform."})
public final class ProbeCommand implements Callable<Integer> {
  /** Stream ids of the probe's option shuffles: below the study's reserved ids. */
  private static final long PROBE_STREAM = -1_000_000;
  /** Rounds of an encounter game's schedule a probe looks through for an encounter whose first turn a model takes. */
  private static final int ROUNDS_LOOKED_THROUGH = 10;

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
    EncounterGame<? extends Mind> encounterGame = EncounterRuns.gameOf(spec.withSeed(runSeed));
    if (encounterGame != null && encounterGame.conversations() == null) {
      err.println("norma: game.kind '" + spec.game().kind() + "' has no language-model policy to probe");
      return NormaCli.EXIT_BAD_INPUT;
    }
    List<Turn> firstTurns = new ArrayList<>();
    for (int s = 0; encounterGame != null && s < samples; s++) {
      Turn turn = firstTurn(EncounterRuns.gameOf(spec.withSeed(runSeed + s)));
      if (turn == null) {
        err.println("norma: game.kind '" + spec.game().kind() + "': no encounter of the first " + ROUNDS_LOOKED_THROUGH
            + " rounds (seed " + (runSeed + s) + ") asks a model for its first turn");
        return NormaCli.EXIT_BAD_INPUT;
      }
      firstTurns.add(turn);
    }
    Files.createDirectories(dir);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "norma-probe",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    Tally tally;
    try (CallJournal journal = new CallJournal(dir)) {
      tally = encounterGame == null ? probeNaming(spec, runSeed, system, journal)
          : probeEncounters(spec, firstTurns, encounterGame.conversations().templatesSha256(), system, journal);
    } finally {
      system.terminate();
    }
    var llm = spec.policy().llm();
    List<String> names = tally.names();
    long[] counts = tally.counts();
    long[] positions = tally.positions();
    long unusable = tally.unusable();
    ChiSquare test = ChiSquare.uniform(counts);
    ChiSquare positionTest = ChiSquare.uniform(positions);
    long usable = samples - unusable;
    stdout.printf(Locale.ROOT, "%s · %,d %s · %d %s · %s%n", spec.name(), samples, tally.asked(),
        names.size(), tally.optionsAre(), String.join(", ", spec.inference().endpoints().stream()
            .map(e -> e.name() + " (" + e.model() + ")").toList()));
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
    if (tally.turn() != null) {
      report.put("turn", tally.turn());
    }
    report.put("unusable", unusable);
    report.put("counts", distribution);
    report.put("chiSquare", test.statistic());
    report.put("degreesOfFreedom", test.degreesOfFreedom());
    report.put("pValue", test.pValue());
    report.put("positionCounts", positions);
    report.put("positionPValue", positionTest.pValue());
    report.put("templatesSha256", tally.templatesSha256());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("probe.json").toFile(), report);
    return NormaCli.EXIT_OK;
  }

  /**
   * What the samples chose.
   *
   * @param asked           what was asked, for the first line ("first choices with an empty memory")
   * @param optionsAre      what the options are called there ("names")
   * @param turn            the turn asked (an encounter game's part and number), or null
   * @param counts          choices by option, in the order of {@code names}
   * @param positions       choices by the position of the option in the list shown
   */
  private record Tally(String asked, String optionsAre, String turn, List<String> names, long[] counts,
                       long[] positions, long unusable, String templatesSha256) {
  }

  /** The naming games' first choice: the first prompt of an empty memory, options in a seeded order. */
  private Tally probeNaming(ExperimentSpec spec, long runSeed, ActorSystem<Void> system, CallJournal journal)
      throws Exception {
    var llm = spec.policy().llm();
    LanguageModelPlay play = LlmStudy.languageModelOf(new StudyPlan(spec, runSeed));
    List<String> names = play.options();
    long[] counts = new long[names.size()];
    long[] positions = new long[names.size()];
    long unusable = 0;
    try (InferenceGateway gateway = new InferenceGateway(system, spec.inference(), SamplingParams.of(llm, names),
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
    }
    return new Tally("first choices with an empty memory", "names", null, names, counts, positions, unusable,
        play.templatesSha256());
  }

  /**
   * An encounter game's first choices: {@code turns}, sample s's from {@link #firstTurn} of a fresh
   * study of seed run seed + s, so that the minds' streams, and whatever a prompt draws from them
   * (an option order), differ from sample to sample. Each sample is its own decision in the call
   * journal (agent s, as the naming games' probe numbers them). Options are tallied by name,
   * ordered by the game's ids of them ({@link RenderedPrompt#optionOrder()}), and by their
   * position in the list shown, which is the order a turn lists them in.
   */
  private Tally probeEncounters(ExperimentSpec spec, List<Turn> turns, String templatesSha256,
                                ActorSystem<Void> system, CallJournal journal) throws Exception {
    var llm = spec.policy().llm();
    Map<String, Integer> idOf = new HashMap<>();
    int mostOptions = 0;
    for (Turn turn : turns) {
      List<Integer> order = turn.prompt().optionOrder();
      for (int option = 0; option < turn.options().size(); option++) {
        idOf.putIfAbsent(turn.options().get(option), order.size() == turn.options().size() ? order.get(option) : option);
      }
      mostOptions = Math.max(mostOptions, turn.options().size());
    }
    List<String> names = new ArrayList<>(idOf.keySet());
    names.sort(Comparator.comparing((String name) -> idOf.get(name)).thenComparing(name -> name));
    long[] counts = new long[names.size()];
    long[] positions = new long[mostOptions];
    long unusable = 0;
    try (InferenceGateway gateway = new InferenceGateway(system, spec.inference(), SamplingParams.of(llm, List.of()),
        InferenceSettings.fromConfig(system.settings().config()), journal,
        new GatewayMetrics(new SimpleMeterRegistry()), null)) {
      LlmDeliberation deliberation = new LlmDeliberation(null, gateway, llm.parseRetries(), llm.seed());
      List<CompletableFuture<Integer>> choices = new ArrayList<>();
      for (int s = 0; s < samples; s++) {
        Turn turn = turns.get(s);
        choices.add(deliberation.decide(turn.prompt(), turn.parser(), s, 0,
            LlmRequest.Role.turn(turn.role(), turn.number())).toCompletableFuture());
      }
      for (int s = 0; s < samples; s++) {
        int option = choices.get(s).get(1, TimeUnit.HOURS);
        if (option == Turn.NO_CHOICE) {
          unusable++;
        } else {
          counts[names.indexOf(turns.get(s).options().get(option))]++;
          positions[option]++;
        }
      }
    }
    String parts = String.join(", ", turns.stream().map(Turn::role).distinct().toList());
    return new Tally("first turns of fresh agents (" + parts + ")", "options", parts + ":0", names, counts,
        positions, unusable, templatesSha256);
  }

  /**
   * Turn 0 of the first encounter of a fresh study of {@code game} whose first turn a model takes
   * (not, say, a committed agent by rule), its participants fresh minds; null when none of the
   * first {@link #ROUNDS_LOOKED_THROUGH} rounds' encounters has one.
   */
  private static <M extends Mind> Turn firstTurn(EncounterGame<M> game) {
    EncounterSchedule schedule = game.newSchedule();
    int[] members = new int[game.participants()];
    Mind[] made = new Mind[members.length];
    for (long index = 0; index < ROUNDS_LOOKED_THROUGH * game.encountersPerRound(); index++) {
      schedule.next(members);
      for (int i = 0; i < members.length; i++) {
        made[i] = game.newMind(members[i]);
      }
      M[] group = MindArrays.newArray(MindArrays.commonClass(made), made.length);
      System.arraycopy(made, 0, group, 0, made.length);
      Turn turn = game.conversations().open(group, index).next();
      if (turn != null && turn.number() == 0) {
        return turn;
      }
    }
    return null;
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
