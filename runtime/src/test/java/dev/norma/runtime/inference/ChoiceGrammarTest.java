package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar that restricts a local model's answer to the options. */
class ChoiceGrammarTest {
  @Test
  void eachOptionIsOneAlternativeOfTheRoot() {
    assertThat(ChoiceGrammar.of(List.of("Q", "M", "X"))).isEqualTo("root ::= \"Q\" | \"M\" | \"X\"");
  }

  @Test
  void quotesBackslashesAndControlCharactersAreEscapedAndOtherTextKept() {
    assertThat(ChoiceGrammar.literal("say \"yes\"")).isEqualTo("\"say \\\"yes\\\"\"");
    assertThat(ChoiceGrammar.literal("a\\b")).isEqualTo("\"a\\\\b\"");
    assertThat(ChoiceGrammar.literal("two\nlines\tand\r")).isEqualTo("\"two\\nlines\\tand\\r\"");
    assertThat(ChoiceGrammar.literal("bell\u0007")).isEqualTo("\"bell\\x07\"");
    assertThat(ChoiceGrammar.literal("ñandú 名前 😀")).isEqualTo("\"ñandú 名前 😀\"");
    assertThat(ChoiceGrammar.literal("a | b ::= c")).isEqualTo("\"a | b ::= c\"");
  }

  @Test
  void aChoiceNeedsOptionsThatAreNotEmpty() {
    assertThatThrownBy(() -> ChoiceGrammar.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChoiceGrammar.of(List.of("A", ""))).isInstanceOf(IllegalArgumentException.class);
  }
}
