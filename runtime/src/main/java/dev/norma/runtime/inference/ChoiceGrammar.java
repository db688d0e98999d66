package dev.norma.runtime.inference;

import java.util.List;

/**
 * A GBNF grammar (llama.cpp's grammar format) whose only sentences are the options: decoding
 * under it can produce nothing but one of them, spelled exactly.
 *
 * <pre>root ::= "Q" | "M" | "X"</pre>
 */
final class ChoiceGrammar {
  private ChoiceGrammar() {
  }

  /** The grammar choosing one of {@code options} (at least one, none empty). */
  static String of(List<String> options) {
    if (options.isEmpty()) {
      throw new IllegalArgumentException("a choice needs at least one option");
    }
    StringBuilder grammar = new StringBuilder("root ::= ");
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i).isEmpty()) {
        throw new IllegalArgumentException("an option is empty");
      }
      grammar.append(i == 0 ? "" : " | ").append(literal(options.get(i)));
    }
    return grammar.toString();
  }

  /**
   * A GBNF string literal: quotes and backslashes escaped, control characters as {@code \xHH}
   * (a raw line break would end the rule); other characters, ASCII or not, stand for themselves.
   */
  static String literal(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02X", c));
          } else {
            out.append(new String(Character.toChars(c)));
          }
        }
      }
    });
    return out.append('"').toString();
  }
}
