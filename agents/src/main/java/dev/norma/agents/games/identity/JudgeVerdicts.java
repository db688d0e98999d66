package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Utterance;
import java.util.List;
import java.util.Map;

/**
 * A judge model's verdicts on one debate ({@code scoring: judge}), by the turn of the line judged:
 * each debate message's stance, and each completion's sentiment as +1 (positive), 0 (neutral) or
 * −1 (negative), on the scale the word lists score in. A line the judge gave no usable verdict on
 * is unanswered: a message then counts as neutral and a completion is not scored.
 *
 * @param stances    the stance of each debate message judged, by turn
 * @param sentiments the sentiment of each completion judged, by turn
 * @param unanswered lines judged without a usable verdict
 */
record JudgeVerdicts(Map<Integer, IdentityText.Stance> stances, Map<Integer, Double> sentiments, int unanswered)
    implements LineReader {

  /** The judge's options on a message's stance, in the order it is asked them. */
  static final List<String> STANCES = List.of("cooperative", "adversarial", "neutral");
  /** The judge's options on a completion's sentiment, in the order it is asked them. */
  static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");

  JudgeVerdicts {
    stances = Map.copyOf(stances);
    sentiments = Map.copyOf(sentiments);
  }

  /** The stance option {@code option} of {@link #STANCES} names. */
  static IdentityText.Stance stance(int option) {
    return switch (option) {
      case 0 -> IdentityText.Stance.COOPERATIVE;
      case 1 -> IdentityText.Stance.ADVERSARIAL;
      default -> IdentityText.Stance.NEUTRAL;
    };
  }

  /** The score sentiment option {@code option} of {@link #SENTIMENTS} names: +1, 0 or −1. */
  static double sentiment(int option) {
    return 1 - option;
  }

  @Override
  public IdentityText.Stance stance(Utterance line, List<String> words) {
    return stances.getOrDefault(line.turn(), IdentityText.Stance.NEUTRAL);
  }

  @Override
  public double sentiment(Utterance line, List<String> words) {
    return sentiments.getOrDefault(line.turn(), Double.NaN);
  }
}
