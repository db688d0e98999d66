package dev.norma.agents.encounter;

/**
 * One line of an encounter's transcript: what one participant said at one turn. A run of a game
 * whose encounters are conversations in text writes every line to {@code transcripts.jsonl} (and
 * {@code transcripts.parquet}), with the run and the encounter's index.
 *
 * @param turn   the turn's number in its encounter, from 0 (as {@link Turn#number()})
 * @param agent  the speaker's agent id
 * @param role   the speaker's part at that turn, as the call journal names it ("debater", "we-are")
 * @param model  the model that spoke for the agent as the spec assigns it (its group's endpoints'
 *               model), or the name of the rule that wrote the text
 * @param text   what it said; empty when its turn had no usable answer
 * @param tokens the text's length in word tokens ({@link #words}), the unit of the game's rates:
 *               counted the same for every model, unlike a tokenizer's
 */
public record Utterance(int turn, int agent, String role, String model, String text, int tokens) {
  public Utterance {
    if (turn < 0 || tokens < 0) {
      throw new IllegalArgumentException("a line's turn and tokens are 0 or more: " + turn + ", " + tokens);
    }
  }

  /**
   * The word tokens of {@code text}, lower case, in order: runs of letters, digits and apostrophes
   * (a typographic apostrophe counts as {@code '}), so "We're" is one token and "it’s" reads "it's".
   */
  public static java.util.List<String> words(String text) {
    java.util.List<String> tokens = new java.util.ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetterOrDigit(c) || c == '\'' || c == '\u2019') {
        token.appendCodePoint(c == '\u2019' ? '\'' : Character.toLowerCase(c));
      } else if (!token.isEmpty()) {
        tokens.add(token.toString());
        token.setLength(0);
      }
    }
    if (!token.isEmpty()) {
      tokens.add(token.toString());
    }
    return tokens;
  }
}
