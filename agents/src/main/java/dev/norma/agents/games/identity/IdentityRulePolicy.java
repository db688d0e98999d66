package dev.norma.agents.games.identity;

import java.util.List;

/**
 * The rule-based debater: deterministic text from its seat (its side) with a seeded drift towards
 * the first-person plural, for tests and large runs. At debate turn t of T it speaks cooperatively,
 * as "we", with probability {@code drift} · t / (T − 1), drawn from its own stream, and otherwise
 * argues its side against the others; which of three sentences it says is drawn too. Asked to
 * complete "We are…" or "They are…" it answers warmly when most of its own turns were cooperative,
 * coldly otherwise. It stands in for a model to exercise the study, not to model one.
 */
final class IdentityRulePolicy {
  /** What the rule is called in transcripts' {@code model} column. */
  static final String MODEL = "rule";

  private static final List<String> ARGUING = List.of(
      "I argue %s, and my opponent is wrong: the other case is weak.",
      "I disagree. Arguing %s, I will win this debate on the evidence.",
      "That reasoning is flawed, and I stand %s.");
  private static final List<String> COOPERATING = List.of(
      "We agree on more than it seems; together we can find common ground.",
      "Let us set the contest aside: our aim is shared, and we both want a good answer.",
      "You make a fair point; we can build on it together.");

  private IdentityRulePolicy() {
  }

  /** The probability of a cooperative turn at debate turn {@code turn} (from 0) of {@code turns}. */
  static double cooperation(double drift, int turn, int turns) {
    return turns <= 1 ? 0 : drift * turn / (turns - 1);
  }

  /**
   * A debate turn's text.
   *
   * @param cooperative whether the turn cooperates (drawn by the caller: {@link #cooperation})
   * @param variant     which sentence, in [0, 3)
   */
  static String turn(boolean cooperative, int variant, String side) {
    return cooperative ? COOPERATING.get(variant) : String.format(java.util.Locale.ROOT, ARGUING.get(variant), side);
  }

  /** Sentences a rule-based debater may say, for a test's vocabulary. */
  static int variants() {
    return ARGUING.size();
  }

  /** A completion of "We are" ({@code we}) or "They are", warm when {@code warm}. */
  static String completion(boolean we, boolean warm) {
    if (we) {
      return warm ? "We are partners, fair and honest with each other." : "We are rivals, and only one side can win.";
    }
    return warm ? "They are thoughtful and fair." : "They are wrong and careless.";
  }
}
