package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Utterance;
import java.util.List;

/**
 * Who reads a debate's lines for its tally ({@link DebateTally}): the stance of a debate message
 * and the sentiment of a completion. The study's word lists ({@link IdentityText}, {@code scoring:
 * rules}) or a judge model's verdicts on the debate ({@link JudgeVerdicts}, {@code scoring: judge}).
 */
interface LineReader {

  /** The stance of debate message {@code line}, whose word tokens are {@code words}. */
  IdentityText.Stance stance(Utterance line, List<String> words);

  /** The sentiment of completion {@code line} in [−1, 1]; NaN when it is not scored. */
  double sentiment(Utterance line, List<String> words);

  /** Lines the reader was asked about and gave no verdict on (a judge without a usable answer). */
  default int unanswered() {
    return 0;
  }
}
