package dev.norma.agents.games.ultimatum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.llm.PromptTemplate;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy.llm.templates} for the ultimatum game: a directory's files replace the default
 * texts file by file and the hashes follow them, an unknown variable is an error at the field
 * naming the file, and a directory holding none of the game's files changes nothing.
 */
class UltimatumPromptTemplatesTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "ultimatum-llm.yaml");
  private static final String SYSTEM = "Split ${sum} points in steps of ${step}.\n${reputation}Answer {'value': 'X'}.\n";
  private static final String PROPOSER = "${history}${record}Offer one of ${options} (encounter ${current_round},"
      + " score ${score}).";

  private static List<String> problems(String... overrides) {
    try {
      SpecLoader.load(EXAMPLE, List.of(overrides));
      return List.of();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  private static RenderedPrompt newProposer(UltimatumPromptTemplates templates) {
    return new UltimatumPrompt(templates, false, null).proposer(new UltimatumMind(0, 1, 10), false,
        OptionalInt.empty());
  }

  @Test
  void editedSystemAndUserTemplatesChangeThePromptAndItsHashes(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("ultimatum.system.txt"), SYSTEM);
    Files.writeString(dir.resolve("ultimatum.proposer.txt"), PROPOSER);
    Files.writeString(dir.resolve("notes.md"), "not a template: ${ignored}");
    UltimatumPromptTemplates edited = UltimatumPromptTemplates.fromDirectory(dir);

    RenderedPrompt prompt = newProposer(edited);
    assertThat(prompt.system()).isEqualTo("Split 100 points in steps of 10.\nAnswer {'value': 'X'}.");
    assertThat(prompt.user()).isEqualTo("Offer one of 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 (encounter 1,"
        + " score 0).");
    assertThat(prompt.templatesSha256()).isEqualTo(edited.sha256()).isNotEqualTo(UltimatumPromptTemplates.defaults()
        .sha256());
    assertThat(edited.hashes())
        .containsEntry("ultimatum.system.txt", PromptTemplate.sha256Hex(SYSTEM.strip()))
        .containsEntry("ultimatum.proposer.txt", PromptTemplate.sha256Hex(PROPOSER))
        .containsEntry("ultimatum.responder.txt", UltimatumPromptTemplates.defaults().hashes()
            .get("ultimatum.responder.txt"))
        .doesNotContainKey("notes.md");
    // The stand-in answers the default prompts: it does not recognise these rules.
    assertThat(new UltimatumFakeAnswers().reads(prompt.text())).isFalse();
  }

  @Test
  void aStudyNamingTheDirectoryPlaysAndRecordsTheEditedTemplates(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ultimatum.system.txt"), SYSTEM);
    var spec = SpecLoader.load(EXAMPLE, List.of("policy.llm.templates=" + dir));
    UltimatumConversations conversations = new UltimatumModule().encounters(spec, 1).conversations();
    assertThat(conversations.templatesSha256()).isEqualTo(UltimatumPromptTemplates.fromDirectory(dir).sha256());
    assertThat(conversations.templateHashes().get("ultimatum.system.txt"))
        .isEqualTo(PromptTemplate.sha256Hex(SYSTEM.strip()));
  }

  @Test
  void anUnknownVariableIsAnErrorAtTheFieldNamingTheFile(@TempDir Path dir) throws IOException {
    Path responder = dir.resolve("ultimatum.responder.txt");
    Files.writeString(responder, "You are offered ${offer}; the proposer keeps ${kept}.\nAccept ${record}?");
    assertThat(problems("policy.llm.templates=" + dir)).singleElement().asString()
        .startsWith("policy.llm.templates: " + responder + ": unknown variable ${record} at line 2;");
    // Rules by imitation read no prompts, so the directory is not read.
    assertThat(problems("policy.kind=rules", "policy.llm.templates=" + dir)).isEmpty();
  }

  @Test
  void aDirectoryWithNoneOfTheGamesFilesGivesTheDefaultPromptsByteForByte(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("naming-game.system.txt"), "another game's ${horizon}");
    UltimatumPromptTemplates fromDirectory = UltimatumPromptTemplates.fromDirectory(dir);
    assertThat(newProposer(fromDirectory)).isEqualTo(newProposer(UltimatumPromptTemplates.defaults()));
    assertThat(fromDirectory.sha256()).isEqualTo(UltimatumPromptTemplates.defaults().sha256());
    assertThat(UltimatumPromptTemplates.of(null)).isSameAs(UltimatumPromptTemplates.defaults());
  }
}
