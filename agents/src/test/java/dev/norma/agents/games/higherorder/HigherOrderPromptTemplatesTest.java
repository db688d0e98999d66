package dev.norma.agents.games.higherorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy.llm.templates} for the higher-order naming game: a directory's files replace the
 * default texts file by file and the hashes follow them, an unknown variable is an error at the
 * field naming the file, and a directory holding none of the game's files changes nothing.
 */
class HigherOrderPromptTemplatesTest {
  private static final String BASE = """
      game: {kind: higher-order-naming}
      population: {size: 30}
      policy: {kind: llm}
      inference: {endpoints: [{name: e, url: 'http://127.0.0.1:9/v1', model: m}]}
      """;
  private static final String SYSTEM = "Groups of ${group_size} choose between ${names}.\nAnswer {'value': 'X'}.\n";
  private static final String SPEAKER = "${history}Say ${options}.";
  private static final List<String> NAMES = List.of("M", "Q");

  private static List<String> problems(String... overrides) {
    try {
      SpecLoader.parse(BASE, List.of(overrides));
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  private static HigherOrderPrompts prompts(Path templates) {
    return new HigherOrderPrompts(NAMES, 3, null, ContextWindow.Overflow.DROP_OLDEST, templates);
  }

  private static RenderedPrompt newSpeaker(HigherOrderPrompts prompts) {
    ConventionMind mind = new ConventionMind(7, 1, ConventionMind.B).remembering(5);
    return prompts.speaker(mind, List.of(ConventionMind.B, ConventionMind.A));
  }

  @Test
  void editedSystemAndUserTemplatesChangeThePromptAndItsHashes(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("higher-order.system.txt"), SYSTEM);
    Files.writeString(dir.resolve("higher-order.speaker.txt"), SPEAKER);
    Files.writeString(dir.resolve("README"), "not a template: ${ignored}");
    HigherOrderPrompts edited = prompts(dir);
    HigherOrderPrompts defaults = prompts(null);

    RenderedPrompt prompt = newSpeaker(edited);
    assertThat(prompt.system()).isEqualTo("Groups of 3 choose between M and Q.\nAnswer {'value': 'X'}.");
    assertThat(prompt.user()).isEqualTo("Say Q or M.");
    assertThat(prompt.templatesSha256()).isEqualTo(edited.templatesSha256()).isNotEqualTo(defaults.templatesSha256());
    assertThat(edited.templateHashes())
        .containsEntry("higher-order.system.txt", PromptTemplate.sha256Hex(SYSTEM.strip()))
        .containsEntry("higher-order.speaker.txt", PromptTemplate.sha256Hex(SPEAKER))
        .containsEntry("higher-order.hearer.txt", defaults.templateHashes().get("higher-order.hearer.txt"))
        .doesNotContainKey("README");
    // The stand-in answers the default prompts: it does not recognise these rules.
    assertThat(new HigherOrderFakeAnswers().reads(prompt.text())).isFalse();
  }

  @Test
  void aStudyNamingTheDirectoryPlaysAndRecordsTheEditedTemplates(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("higher-order.system.txt"), SYSTEM);
    var spec = Specs.parse(BASE, "policy.llm.templates=" + dir);
    HigherOrderConversations conversations = new HigherOrderModule().encounters(spec, 1).conversations();
    assertThat(conversations.templatesSha256()).isEqualTo(prompts(dir).templatesSha256());
    assertThat(conversations.templateHashes().get("higher-order.system.txt"))
        .isEqualTo(PromptTemplate.sha256Hex(SYSTEM.strip()));
  }

  @Test
  void anUnknownVariableIsAnErrorAtTheFieldNamingTheFile(@TempDir Path dir) throws IOException {
    Path hearer = dir.resolve("higher-order.hearer.txt");
    Files.writeString(hearer, "${history}The speaker said ${name}. Reply ${options}; the group is ${group_size}.");
    assertThat(problems("policy.llm.templates=" + dir)).singleElement().asString()
        .startsWith("policy.llm.templates: " + hearer + ": unknown variable ${group_size} at line 1;");
    // The published rule reads no prompts, so the directory is not read.
    assertThat(problems("policy.kind=rules", "policy.llm.templates=" + dir)).isEmpty();
  }

  @Test
  void aDirectoryWithNoneOfTheGamesFilesGivesTheDefaultPromptsByteForByte(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("ultimatum.system.txt"), "another game's ${sum}");
    assertThat(newSpeaker(prompts(dir))).isEqualTo(newSpeaker(prompts(null)));
    assertThat(prompts(dir).templateHashes()).isEqualTo(prompts(null).templateHashes());
  }
}
