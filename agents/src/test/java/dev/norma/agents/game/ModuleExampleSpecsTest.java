package dev.norma.agents.game;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.GameSection;
import dev.norma.protocols.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in {@code examples/} of a game module loads here, where the modules' sections are
 * on the class path (protocols' own test takes the naming games' examples): it validates, its
 * resolved form reads back as itself.
 */
class ModuleExampleSpecsTest {
  /** Tests run in the module directory; the examples sit beside the modules. */
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> moduleExamples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> examples = files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .filter(ModuleExampleSpecsTest::playsAModuleKind).sorted().toList();
      assertThat(examples).as("examples of game modules").isNotEmpty();
      return examples.stream();
    }
  }

  private static boolean playsAModuleKind(Path file) {
    try {
      String kind = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("game").path("kind").asText();
      return GameSection.moduleKinds().contains(kind);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("moduleExamples")
  void eachModuleExampleLoadsResolvesAndIsCommented(Path file) throws Exception {
    ExperimentSpec spec = SpecLoader.load(file, List.of());

    String fileName = file.getFileName().toString();
    assertThat(spec.name()).isEqualTo(fileName.substring(0, fileName.length() - ".yaml".length()));
    assertThat(GameSection.moduleKinds()).contains(spec.game().kind());
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec.resolved()), List.of())).isEqualTo(spec.resolved());
    assertThat(Files.readString(file)).as("opens with a comment on the study and its paper").startsWith("# ");
  }
}
