package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Utterance;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the in-group identity study reads of a text, by rules the spec gives: its word tokens, its
 * first-person plural forms, whether a debate turn is cooperative or adversarial, and the
 * sentiment of a "We are…" or "They are…" completion. Pure and deterministic, so every figure can
 * be counted by hand from a transcript.
 *
 * <ul>
 *   <li><b>Tokens</b>: runs of letters, digits and apostrophes ({@code '} or {@code ’}), lower
 *       case: "We're not wrong." is {@code we're, not, wrong}, three tokens.</li>
 *   <li><b>First-person plural</b>: a token equal to one of the forms ({@code we, us, our, ours,
 *       ourselves} by default), or a form followed by an apostrophe ({@code we're}, {@code we've}).</li>
 *   <li><b>Stance</b>: occurrences of each cooperative and each adversarial phrase, matched as
 *       whole token sequences ("common ground" in "our common ground"); a turn with more
 *       cooperative than adversarial occurrences is cooperative, with more adversarial ones
 *       adversarial, else neutral.</li>
 *   <li><b>Sentiment</b>: (positive − negative) / (positive + negative) over the tokens found in
 *       the user's word lists, in [−1, 1]; 0 when the text holds none of them, NaN when no lists
 *       are given (nothing to score with).</li>
 * </ul>
 *
 * @param plural      the first-person plural forms, lower case
 * @param cooperative the cooperative phrases, each as its tokens
 * @param adversarial the adversarial phrases, each as its tokens
 * @param positive    the positive words of the sentiment lists, lower case (none: no scoring)
 * @param negative    the negative words of the sentiment lists, lower case
 */
record IdentityText(Set<String> plural, List<List<String>> cooperative, List<List<String>> adversarial,
                    Set<String> positive, Set<String> negative) implements LineReader {

  /** A turn's stance by the phrase rule. */
  enum Stance { COOPERATIVE, ADVERSARIAL, NEUTRAL }

  IdentityText {
    plural = Set.copyOf(plural);
    cooperative = List.copyOf(cooperative);
    adversarial = List.copyOf(adversarial);
    positive = Set.copyOf(positive);
    negative = Set.copyOf(negative);
  }

  /** Rules from phrases as a spec writes them (any case, any spacing). */
  static IdentityText of(List<String> plural, List<String> cooperative, List<String> adversarial,
                         List<String> positive, List<String> negative) {
    return new IdentityText(Set.copyOf(lower(plural)), phrases(cooperative), phrases(adversarial),
        Set.copyOf(lower(positive)), Set.copyOf(lower(negative)));
  }

  /** The word tokens of {@code text}, lower case, in order ({@link Utterance#words}). */
  static List<String> tokens(String text) {
    return Utterance.words(text);
  }

  /** The first-person plural forms among {@code tokens}. */
  int plural(List<String> tokens) {
    int count = 0;
    for (String token : tokens) {
      int apostrophe = token.indexOf('\'');
      if (plural.contains(token) || apostrophe > 0 && plural.contains(token.substring(0, apostrophe))) {
        count++;
      }
    }
    return count;
  }

  /** The occurrences of any of {@code phrases} in {@code tokens}, each start counted once per phrase. */
  static int occurrences(List<String> tokens, List<List<String>> phrases) {
    int count = 0;
    for (List<String> phrase : phrases) {
      for (int start = 0; start + phrase.size() <= tokens.size(); start++) {
        if (tokens.subList(start, start + phrase.size()).equals(phrase)) {
          count++;
        }
      }
    }
    return count;
  }

  /** The stance of a turn of {@code tokens}. */
  Stance stance(List<String> tokens) {
    int cooperating = occurrences(tokens, cooperative);
    int opposing = occurrences(tokens, adversarial);
    return cooperating > opposing ? Stance.COOPERATIVE : opposing > cooperating ? Stance.ADVERSARIAL
        : Stance.NEUTRAL;
  }

  @Override
  public Stance stance(dev.norma.agents.encounter.Utterance line, List<String> words) {
    return stance(words);
  }

  @Override
  public double sentiment(dev.norma.agents.encounter.Utterance line, List<String> words) {
    return sentiment(words);
  }

  /** Whether there are word lists to score sentiment with. */
  boolean scoresSentiment() {
    return !positive.isEmpty() || !negative.isEmpty();
  }

  /** The sentiment of {@code tokens}: in [−1, 1], 0 with no listed word, NaN without lists. */
  double sentiment(List<String> tokens) {
    if (!scoresSentiment()) {
      return Double.NaN;
    }
    int good = 0;
    int bad = 0;
    for (String token : tokens) {
      if (positive.contains(token)) {
        good++;
      }
      if (negative.contains(token)) {
        bad++;
      }
    }
    return good + bad == 0 ? 0 : (good - bad) / (double) (good + bad);
  }

  private static List<String> lower(List<String> words) {
    return words.stream().map(word -> word.strip().toLowerCase(Locale.ROOT)).toList();
  }

  private static List<List<String>> phrases(List<String> phrases) {
    return phrases.stream().map(IdentityText::tokens).filter(tokens -> !tokens.isEmpty()).toList();
  }
}
