package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Utterance;
import java.util.List;

/**
 * What one debate's transcript counts, by the study's {@link IdentityText} rules (the stance and
 * sentiment read by them or by a judge model: {@link LineReader}): the outcome of
 * an encounter, one number a column of the interaction log, from which {@link IdentityMeasures}
 * makes the figures by condition. Pure: the same transcript gives the same tally.
 *
 * @param condition   the pair's condition, an index into {@code game.settings.conditions}
 * @param turns       debate turns with a text (an invalid turn, with none, is not counted)
 * @param invalid     turns of any kind that had no usable answer, the judge's included
 * @param tokens      word tokens of the debate turns
 * @param plural      first-person plural forms in them
 * @param earlyTokens tokens of the first half of the debate's turns (turns below ⌊T/2⌋)
 * @param earlyPlural plural forms in the first half
 * @param lateTokens  tokens of the last half (turns from T − ⌊T/2⌋; the middle turn of an odd T is in neither)
 * @param latePlural  plural forms in the last half
 * @param cooperative debate turns whose stance is cooperative
 * @param adversarial debate turns whose stance is adversarial
 * @param weAre       the mean sentiment of the participants' "We are…" completions (NaN: none scored)
 * @param theyAre     the mean sentiment of their "They are…" completions (NaN: none scored)
 * @param rules       under {@code scoring: both}, the word lists' reading of the same lines beside
 *                    the judge's (which the fields above hold); null otherwise
 */
record DebateTally(int condition, int turns, int invalid, int tokens, int plural, int earlyTokens,
                   int earlyPlural, int lateTokens, int latePlural, int cooperative, int adversarial,
                   double weAre, double theyAre, RulesBeside rules) {

  /** The outcome columns of an encounter, in the order of {@link #outcome()}. */
  static final List<String> COLUMNS = List.of("condition", "turns", "invalid", "tokens", "plural", "earlyTokens",
      "earlyPlural", "lateTokens", "latePlural", "cooperative", "adversarial", "weAre", "theyAre");

  /**
   * The word lists' reading of a debate the judge read ({@code scoring: both}): their counts of
   * cooperative and adversarial turns over the same turns with a text, their mean sentiment of the
   * completions, and the stance of every message the judge gave a verdict on, by both.
   *
   * @param cooperative debate turns cooperative by the phrase rule
   * @param adversarial debate turns adversarial by the phrase rule
   * @param weAre       the rules' mean sentiment of the "We are…" completions (NaN: none scored)
   * @param theyAre     the rules' mean sentiment of the "They are…" completions
   * @param stances     messages judged, by the judge's stance (row) and the rules' (column), both in
   *                    the order of {@link IdentityText.Stance}, row after row: 9 counts
   */
  record RulesBeside(int cooperative, int adversarial, double weAre, double theyAre, List<Integer> stances) {
    /** The columns it adds to an encounter's outcome, in the order of {@link #values()}. */
    static final List<String> COLUMNS = columns();

    RulesBeside {
      stances = List.copyOf(stances);
      if (stances.size() != STANCES * STANCES) {
        throw new IllegalArgumentException("expected " + STANCES * STANCES + " counts of stances, got "
            + stances.size());
      }
    }

    private static final int STANCES = IdentityText.Stance.values().length;

    private static List<String> columns() {
      List<String> columns = new java.util.ArrayList<>(List.of("cooperativeRules", "adversarialRules",
          "weAreRules", "theyAreRules"));
      for (IdentityText.Stance judge : IdentityText.Stance.values()) {
        for (IdentityText.Stance rules : IdentityText.Stance.values()) {
          columns.add("judge" + title(judge) + "Rules" + title(rules));
        }
      }
      return List.copyOf(columns);
    }

    private static String title(IdentityText.Stance stance) {
      String name = stance.name().toLowerCase(java.util.Locale.ROOT);
      return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The judge's stance against the rules' over the messages judged: rows the judge's. */
    long[][] stanceTable() {
      long[][] table = new long[STANCES][STANCES];
      for (int cell = 0; cell < stances.size(); cell++) {
        table[cell / STANCES][cell % STANCES] = stances.get(cell);
      }
      return table;
    }

    double[] values() {
      double[] values = new double[COLUMNS.size()];
      values[0] = cooperative;
      values[1] = adversarial;
      values[2] = weAre;
      values[3] = theyAre;
      for (int cell = 0; cell < stances.size(); cell++) {
        values[4 + cell] = stances.get(cell);
      }
      return values;
    }

    static RulesBeside of(double[] values, int from) {
      List<Integer> stances = new java.util.ArrayList<>();
      for (int cell = 0; cell < STANCES * STANCES; cell++) {
        stances.add((int) values[from + 4 + cell]);
      }
      return new RulesBeside((int) values[from], (int) values[from + 1], values[from + 2], values[from + 3],
          stances);
    }
  }

  /** The outcome columns of a study's encounters: with the rules beside a judge ({@code both}) or not. */
  static List<String> columns(boolean rulesBeside) {
    if (!rulesBeside) {
      return COLUMNS;
    }
    List<String> columns = new java.util.ArrayList<>(COLUMNS);
    columns.addAll(RulesBeside.COLUMNS);
    return List.copyOf(columns);
  }

  /** The part of a debate turn, as the journal and transcripts name it. */
  static final String DEBATER = "debater";
  /** The part of a "We are…" completion. */
  static final String WE_ARE = "we-are";
  /** The part of a "They are…" completion. */
  static final String THEY_ARE = "they-are";

  /**
   * The tally of a debate of {@code debateTurns} turns among a pair of {@code condition}:
   * {@code transcript} holds its lines in order, the debate's ({@link #DEBATER}) and the
   * completions ({@link #WE_ARE}, {@link #THEY_ARE}); {@code rules} count the plural forms and
   * {@code reader} reads stance and sentiment (the rules themselves, or a judge's verdicts).
   */
  static DebateTally of(int condition, int debateTurns, List<Utterance> transcript, IdentityText rules) {
    return of(condition, debateTurns, transcript, rules, rules);
  }

  static DebateTally of(int condition, int debateTurns, List<Utterance> transcript, IdentityText rules,
                        LineReader reader) {
    int half = debateTurns / 2;
    int turns = 0;
    int invalid = reader.unanswered();
    int tokens = 0;
    int plural = 0;
    int earlyTokens = 0;
    int earlyPlural = 0;
    int lateTokens = 0;
    int latePlural = 0;
    int cooperative = 0;
    int adversarial = 0;
    double weAre = 0;
    int weAreScored = 0;
    double theyAre = 0;
    int theyAreScored = 0;
    for (Utterance line : transcript) {
      if (line.text().isEmpty()) {
        invalid++;
        continue;
      }
      List<String> words = IdentityText.tokens(line.text());
      switch (line.role()) {
        case DEBATER -> {
          int we = rules.plural(words);
          turns++;
          tokens += words.size();
          plural += we;
          if (line.turn() < half) {
            earlyTokens += words.size();
            earlyPlural += we;
          } else if (line.turn() >= debateTurns - half) {
            lateTokens += words.size();
            latePlural += we;
          }
          switch (reader.stance(line, words)) {
            case COOPERATIVE -> cooperative++;
            case ADVERSARIAL -> adversarial++;
            case NEUTRAL -> {
            }
          }
        }
        case WE_ARE -> {
          double score = reader.sentiment(line, words);
          if (!Double.isNaN(score)) {
            weAre += score;
            weAreScored++;
          }
        }
        case THEY_ARE -> {
          double score = reader.sentiment(line, words);
          if (!Double.isNaN(score)) {
            theyAre += score;
            theyAreScored++;
          }
        }
        default -> throw new IllegalArgumentException("not a part of a debate: " + line.role());
      }
    }
    return new DebateTally(condition, turns, invalid, tokens, plural, earlyTokens, earlyPlural, lateTokens,
        latePlural, cooperative, adversarial, weAreScored == 0 ? Double.NaN : weAre / weAreScored,
        theyAreScored == 0 ? Double.NaN : theyAre / theyAreScored, null);
  }

  /**
   * The tally of a debate a judge read under {@code scoring: both}: the judge's {@code verdicts}
   * make its stance and sentiment, as under {@code judge}, and {@code rules} read the same lines
   * beside them ({@link RulesBeside}), each message the judge gave a verdict on counted by both
   * stances.
   */
  static DebateTally compared(int condition, int debateTurns, List<Utterance> transcript, IdentityText rules,
                              JudgeVerdicts verdicts) {
    DebateTally judged = of(condition, debateTurns, transcript, rules, verdicts);
    DebateTally byRules = of(condition, debateTurns, transcript, rules, rules);
    int stances = IdentityText.Stance.values().length;
    Integer[] table = new Integer[stances * stances];
    java.util.Arrays.fill(table, 0);
    for (Utterance line : transcript) {
      IdentityText.Stance verdict = verdicts.stances().get(line.turn());
      if (DEBATER.equals(line.role()) && !line.text().isEmpty() && verdict != null) {
        table[verdict.ordinal() * stances + rules.stance(IdentityText.tokens(line.text())).ordinal()]++;
      }
    }
    return judged.withRules(new RulesBeside(byRules.cooperative(), byRules.adversarial(), byRules.weAre(),
        byRules.theyAre(), List.of(table)));
  }

  private DebateTally withRules(RulesBeside beside) {
    return new DebateTally(condition, turns, invalid, tokens, plural, earlyTokens, earlyPlural, lateTokens,
        latePlural, cooperative, adversarial, weAre, theyAre, beside);
  }

  /** The outcome, in the order of {@link #columns} (with the rules beside a judge where they are). */
  double[] outcome() {
    double[] own = {condition, turns, invalid, tokens, plural, earlyTokens, earlyPlural, lateTokens,
        latePlural, cooperative, adversarial, weAre, theyAre};
    if (rules == null) {
      return own;
    }
    double[] beside = rules.values();
    double[] outcome = java.util.Arrays.copyOf(own, own.length + beside.length);
    System.arraycopy(beside, 0, outcome, own.length, beside.length);
    return outcome;
  }

  /** The tally an outcome holds (its length says whether the rules read beside a judge). */
  static DebateTally of(double[] outcome) {
    return new DebateTally((int) outcome[0], (int) outcome[1], (int) outcome[2], (int) outcome[3],
        (int) outcome[4], (int) outcome[5], (int) outcome[6], (int) outcome[7], (int) outcome[8],
        (int) outcome[9], (int) outcome[10], outcome[11], outcome[12],
        outcome.length > COLUMNS.size() ? RulesBeside.of(outcome, COLUMNS.size()) : null);
  }

  /** First-person plural forms per 1,000 tokens of the debate; NaN with no tokens. */
  double pluralPerThousand() {
    return perThousand(plural, tokens);
  }

  /** The last half's rate per 1,000 tokens less the first half's; NaN when either half has no tokens. */
  double drift() {
    return perThousand(latePlural, lateTokens) - perThousand(earlyPlural, earlyTokens);
  }

  static double perThousand(int count, int tokens) {
    return tokens == 0 ? Double.NaN : 1000.0 * count / tokens;
  }
}
