package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine reads of a GGUF header before llama.cpp loads the model. */
class GgufFileTest {
  @TempDir
  Path temp;

  @Test
  void readsTheArchitectureTheChatTemplateAndWhetherBosIsAdded() throws IOException {
    GgufFile chat = GgufFile.read(TinyGguf.write(temp.resolve("chat.gguf"), 1, TinyGguf.CHATML_TEMPLATE));
    GgufFile plain = GgufFile.read(TinyGguf.write(temp.resolve("plain.gguf"), 1, null));

    assertThat(chat).isEqualTo(new GgufFile("llama", true, true));
    assertThat(plain).isEqualTo(new GgufFile("llama", false, true));
  }

  @Test
  void aDuplicateTokenIsRefusedWithItsIdsBeforeLlamaCppWouldAbortTheProcess() throws IOException {
    List<String> tokens = new ArrayList<>(TinyGguf.vocabulary());
    tokens.add("Q");
    Path file = TinyGguf.write(temp.resolve("dup.gguf"), 1, null, tokens);

    assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(IOException.class)
        .hasMessage("its vocabulary lists the token 'Q' twice (ids " + tokens.indexOf("Q") + " and "
            + (tokens.size() - 1) + "); llama.cpp cannot load it");
  }

  @Test
  void aFileThatIsNotGgufOrIsCutShortIsNamedSo() throws IOException {
    Path notes = Files.writeString(temp.resolve("notes.gguf"), "just some notes");
    assertThatThrownBy(() -> GgufFile.read(notes)).hasMessageStartingWith("not a GGUF file");

    byte[] model = Files.readAllBytes(TinyGguf.write(temp.resolve("whole.gguf"), 1, null));
    Path cut = Files.write(temp.resolve("cut.gguf"), java.util.Arrays.copyOf(model, 1000));
    assertThatThrownBy(() -> GgufFile.read(cut)).hasMessage("the file ends inside its GGUF header (cut short?)");
  }
}
