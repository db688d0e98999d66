package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every spec in {@code examples/} loads, and the published setups say what their comments claim. */
class ExampleSpecsTest {
  /** Tests run in the module directory; the examples sit beside the modules. */
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .filter(ExampleSpecsTest::playsANamingGame).sorted().toList().stream();
    }
  }

  /**
   * Whether the example plays one of the naming games, which this module checks itself. An example
   * of a game module loads where the module's {@link GameSection} is on the class path, in the
   * module's own tests.
   */
  private static boolean playsANamingGame(Path file) {
    try {
      JsonNode kind = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("game").path("kind");
      return kind.isMissingNode() || GameSpec.KINDS.contains(kind.asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example whose model the user downloads: it names a file no checkout has. */
  private static final String LOCAL_MODEL_EXAMPLE = "naming-game-local.yaml";
  private static final String DOWNLOADED_MODEL = "models/qwen2.5-0.5b-instruct-q4_k_m.gguf";

  @TempDir
  static Path downloads;

  private static ExperimentSpec load(String file, String... overrides) throws SpecException {
    return SpecLoader.load(EXAMPLES.resolve(file), List.of(overrides));
  }

  /**
   * An example as it loads once its model is downloaded: the local-model example with a stand-in
   * file at the model's path (validation checks that the file exists, not what it holds).
   */
  private static ExperimentSpec loadAsDownloaded(Path file) throws Exception {
    if (!file.getFileName().toString().equals(LOCAL_MODEL_EXAMPLE)) {
      return SpecLoader.load(file, List.of());
    }
    Path model = downloads.resolve(DOWNLOADED_MODEL);
    Files.createDirectories(model.getParent());
    Files.write(model, new byte[] {1});
    String text = Files.readString(file);
    assertThat(text).contains("model: " + DOWNLOADED_MODEL);
    return SpecLoader.parse(text.replace("model: " + DOWNLOADED_MODEL, "model: '" + model + "'"), List.of());
  }

  @Test
  void theExamplesAreThere() throws IOException {
    assertThat(examples().map(f -> f.getFileName().toString())).contains(
        "naming-game-24.yaml", "minimal-naming-24.yaml", "minimal-naming.yaml",
        "binary-agreement.yaml", "tipping-48.yaml", LOCAL_MODEL_EXAMPLE);
  }

  @Test
  void namingGameLocalIsTheLlmGameOnADownloadedModelInProcess() throws Exception {
    assertThatThrownBy(() -> load(LOCAL_MODEL_EXAMPLE)).isInstanceOfSatisfying(SpecException.class,
        e -> assertThat(e.problems()).singleElement().asString().startsWith(
            "inference.endpoints[0].model: expected an existing GGUF model file, got '" + DOWNLOADED_MODEL + "'"));
    assertThat(Files.readString(EXAMPLES.resolve(LOCAL_MODEL_EXAMPLE))).contains("curl -L -o " + DOWNLOADED_MODEL);

    ExperimentSpec local = loadAsDownloaded(EXAMPLES.resolve(LOCAL_MODEL_EXAMPLE));
    ExperimentSpec served = load("naming-game-llm.yaml");
    assertThat(local.inference().endpoints()).singleElement().satisfies(e -> assertThat(e.local()).isTrue());
    assertThat(local.population()).isEqualTo(served.population());
    assertThat(local.game()).isEqualTo(served.game());
    assertThat(local.policy().kind()).isEqualTo(PolicySpec.LLM);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void eachExampleLoadsResolvesAndIsCommented(Path file) throws Exception {
    ExperimentSpec spec = loadAsDownloaded(file);

    String fileName = file.getFileName().toString();
    assertThat(spec.name()).isEqualTo(fileName.substring(0, fileName.length() - ".yaml".length()));
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec.resolved()), List.of())).isEqualTo(spec.resolved());
    assertThat(Files.readString(file)).as("opens with a comment on the study and its paper").startsWith("# ");
  }

  @Test
  void namingGame24IsAsheryEtAlsSetup() throws Exception {
    ExperimentSpec spec = load("naming-game-24.yaml");
    assertThat(spec.population().size()).isEqualTo(24);
    assertThat(spec.game().kind()).isEqualTo(GameSpec.NAMING);
    assertThat(spec.game().names()).isEqualTo(GameSpec.TEN_NAMES);
    assertThat(spec.game().memory()).isEqualTo(5);
    assertThat(spec.game().payoff()).isEqualTo(new PayoffSpec(100, -50));
    assertThat(spec.policy()).isEqualTo(new PolicySpec(PolicySpec.MEMORY, 0.1, null));
    assertThat(spec.schedule().kind()).isEqualTo(ScheduleSpec.SEQUENTIAL);
    assertThat(spec.stop().onConvergence()).isTrue();
    assertThat(spec.stop().convergenceWindowRounds()).isEqualTo(3);
    assertThat(spec.stop().maxRounds()).isEqualTo(200L);
    assertThat(spec.committedCount()).isZero();
  }

  @Test
  void minimalNaming24IsTheTheoreticalModelOverTheSamePool() throws Exception {
    ExperimentSpec spec = load("minimal-naming-24.yaml");
    assertThat(spec.population().size()).isEqualTo(24);
    assertThat(spec.game().kind()).isEqualTo(GameSpec.MINIMAL_NAMING);
    assertThat(spec.game().resolvedNames()).isEqualTo(GameSpec.TEN_NAMES);
    assertThat(spec.policy().resolvedKind(spec.game())).isEqualTo(PolicySpec.RULES);
  }

  @Test
  void minimalNamingInventsItsWords() throws Exception {
    ExperimentSpec spec = load("minimal-naming.yaml");
    assertThat(spec.population().size()).isEqualTo(1000);
    assertThat(spec.game().kind()).isEqualTo(GameSpec.MINIMAL_NAMING);
    assertThat(spec.game().resolvedNames()).isEmpty();
    assertThat(spec.stop().maxRounds()).isGreaterThanOrEqualTo(1000L);
  }

  @Test
  void binaryAgreementStartsAboveTheCriticalFractionAndCanBeScanned() throws Exception {
    ExperimentSpec spec = load("binary-agreement.yaml");
    assertThat(spec.game().kind()).isEqualTo(GameSpec.BINARY_AGREEMENT);
    assertThat(spec.population().size()).isEqualTo(1000);
    assertThat(spec.committed().fraction()).isGreaterThan(0.098);
    assertThat(spec.committedCount()).isEqualTo(120);
    assertThat(spec.committed().resolvedName(spec.game().resolvedNames())).isEqualTo("A");
    assertThat(spec.committed().resolvedMajorityName(spec.game().resolvedNames())).isEqualTo("B");
    assertThat(spec.stop().flipWithinRounds()).isEqualTo(300);
    assertThat(spec.stop().maxRounds()).isEqualTo(300L);

    assertThat(load("binary-agreement.yaml", "committed.fraction=0.08").committedCount()).isEqualTo(80);
  }

  @Test
  void tipping48IsAsheryEtAlsCommittedMinoritySetup() throws Exception {
    ExperimentSpec spec = load("tipping-48.yaml");
    assertThat(spec.population().size()).isEqualTo(48);
    assertThat(spec.game().memory()).isEqualTo(3);
    assertThat(spec.game().resolvedNames()).hasSize(2);
    assertThat(spec.committed().introduction()).isEqualTo(CommittedSpec.Introduction.PREPARED);
    assertThat(spec.committed().name()).isNotEqualTo(spec.committed().majorityName());
    assertThat(spec.committedCount()).isEqualTo(12);
    assertThat(spec.stop().flipWithinRounds()).isEqualTo(30);
    assertThat(spec.stop().flipThreshold()).isEqualTo(0.95);
    assertThat(spec.stop().flipWindowRounds()).isEqualTo(3);

    ExperimentSpec swapped = load("tipping-48.yaml", "committed.name=M", "committed.majorityName=Q");
    assertThat(swapped.committed().resolvedName(swapped.game().resolvedNames())).isEqualTo("M");
  }
}
