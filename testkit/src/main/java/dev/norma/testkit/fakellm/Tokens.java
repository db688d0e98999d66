package dev.norma.testkit.fakellm;

import dev.norma.agents.Streams;

/**
 * Approximate tokenisation, close enough to a BPE count for a capacity model: a token is a run
 * of letters or digits, or any single other non-blank character; blanks separate tokens and
 * count for nothing. English prose comes out within a few tens of percent of a real tokenizer
 * (long words are undercounted, punctuation overcounted), which is all the fake server needs.
 *
 * <p>{@link #analyse} also hashes the text's leading blocks for the prefix cache: after every
 * {@code blockTokens} tokens it records a hash of all the text up to the end of that block's last
 * token, so equal block hashes mean equal leading text, as in vLLM's automatic prefix caching.
 */
final class Tokens {
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final long[] NO_BLOCKS = new long[0];

  private Tokens() {
  }

  /** A text's token count and the hashes of its full leading blocks. */
  record Analysis(int tokens, long[] blockHashes) {
  }

  /** Whether the character at {@code i} starts a token: a word's first character, or punctuation. */
  private static boolean startsToken(String text, int i) {
    char c = text.charAt(i);
    if (Character.isLetterOrDigit(c)) {
      return i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
    }
    return !Character.isWhitespace(c);
  }

  static int count(String text) {
    int tokens = 0;
    for (int i = 0; i < text.length(); i++) {
      if (startsToken(text, i)) {
        tokens++;
      }
    }
    return tokens;
  }

  static Analysis analyse(String text, int blockTokens) {
    if (blockTokens <= 0) {
      return new Analysis(count(text), NO_BLOCKS);
    }
    long[] blocks = new long[text.length() / blockTokens + 1];
    int blockCount = 0;
    int tokens = 0;
    long hash = FNV_OFFSET;
    long hashAtTokenEnd = FNV_OFFSET;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (startsToken(text, i)) {
        // The previous token ended before this character: close its block if it was full.
        if (tokens > 0 && tokens % blockTokens == 0) {
          blocks[blockCount++] = Streams.mix64(hashAtTokenEnd);
        }
        tokens++;
      }
      hash = (hash ^ c) * FNV_PRIME;
      if (!Character.isWhitespace(c)) {
        hashAtTokenEnd = hash;
      }
    }
    if (tokens > 0 && tokens % blockTokens == 0) {
      blocks[blockCount++] = Streams.mix64(hashAtTokenEnd);
    }
    long[] out = new long[blockCount];
    System.arraycopy(blocks, 0, out, 0, blockCount);
    return new Analysis(tokens, out);
  }

  /**
   * The index just past the first {@code keep} tokens of {@code text} (and the blanks after
   * them), for cutting an answer at {@code max_tokens}.
   */
  static int endOfTokens(String text, int keep) {
    int tokens = 0;
    for (int i = 0; i < text.length(); i++) {
      if (startsToken(text, i)) {
        if (tokens == keep) {
          return i;
        }
        tokens++;
      }
    }
    return text.length();
  }
}
