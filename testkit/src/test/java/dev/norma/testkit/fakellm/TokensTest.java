package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void wordsNumbersAndEachPunctuationMarkAreTokens() {
    assertThat(Tokens.count("")).isZero();
    assertThat(Tokens.count("   \n")).isZero();
    assertThat(Tokens.count("It is now round 6.")).isEqualTo(6);
    assertThat(Tokens.count("{'value': 'M'}")).isEqualTo(9);
    assertThat(Tokens.count("payoff -50")).isEqualTo(3);
  }

  @Test
  void blocksHashTheLeadingText() {
    String shared = "one two three four five six seven eight ";
    Tokens.Analysis a = Tokens.analyse(shared + "nine ten", 4);
    Tokens.Analysis b = Tokens.analyse(shared + "NINE TEN", 4);
    Tokens.Analysis c = Tokens.analyse("zero two three four five six seven eight nine ten", 4);

    assertThat(a.tokens()).isEqualTo(10);
    assertThat(a.blockHashes()).hasSize(2); // the last two tokens do not fill a block
    assertThat(b.blockHashes()).containsExactly(a.blockHashes());
    // A different first token changes every block: a block's hash covers all the text before it.
    assertThat(c.blockHashes()[0]).isNotEqualTo(a.blockHashes()[0]);
    assertThat(c.blockHashes()[1]).isNotEqualTo(a.blockHashes()[1]);
    // A prompt that ends exactly at a block boundary shares that block with its longer twin.
    assertThat(Tokens.analyse("one two three four", 4).blockHashes()).containsExactly(a.blockHashes()[0]);
  }

  @Test
  void cutsAfterAGivenNumberOfTokens() {
    String answer = "{'value': 'M'}";
    assertThat(answer.substring(0, Tokens.endOfTokens(answer, 3))).isEqualTo("{'value");
    assertThat(answer.substring(0, Tokens.endOfTokens(answer, 9))).isEqualTo(answer);
    assertThat(Tokens.endOfTokens("a b c", 0)).isZero();
  }

  @Test
  void thePrefixCacheIsABoundedLru() {
    PrefixCache cache = new PrefixCache(3);
    cache.insert(new long[] {1, 2, 3});
    assertThat(cache.leadingHits(new long[] {1, 2, 9})).isEqualTo(2);
    cache.insert(new long[] {4}); // evicts 3, the least recently used
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.leadingHits(new long[] {1, 2, 3})).isEqualTo(2);
    assertThat(cache.leadingHits(new long[] {4})).isEqualTo(1);
    assertThat(new PrefixCache(0).leadingHits(new long[] {1})).isZero();
  }
}
