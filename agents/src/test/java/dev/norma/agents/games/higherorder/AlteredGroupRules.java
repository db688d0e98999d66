package dev.norma.agents.games.higherorder;

/**
 * The higher-order naming game with one step of the rule changed, for negative controls: a
 * science test shows that it can tell the published rule from a plausible wrong one. The
 * interaction is spelled out step by step (utter, test for agreement, agree or learn), each
 * step the published one unless a subclass overrides it; {@link HigherOrderNamingGameTest} checks
 * that the unaltered composition plays exactly as {@link HigherOrderNamingGame} does.
 */
class AlteredGroupRules implements GroupInteraction {
  protected final HigherOrderNamingGame rules;

  AlteredGroupRules(int groupSize, double beta) {
    this.rules = new HigherOrderNamingGame(groupSize, beta);
  }

  @Override
  public int groupSize() {
    return rules.groupSize();
  }

  @Override
  public ConventionMind newMind(int agentId, long runSeed, int convention) {
    return rules.newMind(agentId, runSeed, convention);
  }

  @Override
  public final boolean play(ConventionMind[] group, long index) {
    int size = groupSize();
    int word = HigherOrderNamingGame.utter(group[0], index);
    if (mayAgree(group, word)) {
      return agreeOn(group, word, index);
    }
    learn(group, word, index);
    return false;
  }

  /** Published: only when every hearer knows the word. */
  protected boolean mayAgree(ConventionMind[] group, int word) {
    return HigherOrderNamingGame.everyHearerKnows(group, groupSize(), word);
  }

  /** Published: with probability β every uncommitted member keeps only the word. */
  protected boolean agreeOn(ConventionMind[] group, int word, long index) {
    if (agrees(group, index)) {
      HigherOrderNamingGame.collapse(group, groupSize(), word, index);
      return true;
    }
    return false;
  }

  /** Published: one draw of probability β for the whole group, from the speaker's stream. */
  protected boolean agrees(ConventionMind[] group, long index) {
    return rules.agrees(group[0]);
  }

  /** Published: every uncommitted hearer lacking the word learns it. */
  protected void learn(ConventionMind[] group, int word, long index) {
    HigherOrderNamingGame.learn(group, groupSize(), word, index);
  }

  /** Agreement when at least half of the hearers know the word, instead of all of them. */
  static AlteredGroupRules majority(int groupSize, double beta) {
    return new AlteredGroupRules(groupSize, beta) {
      @Override
      protected boolean mayAgree(ConventionMind[] group, int word) {
        int knowing = 0;
        for (int i = 1; i < groupSize(); i++) {
          knowing += group[i].knows(word) ? 1 : 0;
        }
        return 2 * knowing >= groupSize() - 1;
      }
    };
  }

  /**
   * β applied per hearer: each hearer accepts with probability β (from its own stream) and the
   * group agrees only if all of them do, so a unanimous group agrees with probability β^(g−1).
   */
  static AlteredGroupRules betaPerHearer(int groupSize, double beta) {
    return new AlteredGroupRules(groupSize, beta) {
      @Override
      protected boolean agrees(ConventionMind[] group, long index) {
        boolean all = true;
        for (int i = 1; i < groupSize(); i++) {
          all &= group[i].nextDouble() < rules.agreementProbability();
        }
        return all;
      }
    };
  }

  /**
   * β applied per member: in a unanimous group every uncommitted member, speaker included, keeps
   * only the word with probability β, independently (from its own stream). The expected number of
   * members that change is as in the published rule, so its mean field is the same.
   */
  static AlteredGroupRules betaPerMember(int groupSize, double beta) {
    return new AlteredGroupRules(groupSize, beta) {
      @Override
      protected boolean agreeOn(ConventionMind[] group, int word, long index) {
        boolean any = false;
        for (int i = 0; i < groupSize(); i++) {
          if (!group[i].committedAt(index) && group[i].nextDouble() < rules.agreementProbability()) {
            group[i].collapseTo(word);
            any = true;
          }
        }
        return any;
      }
    };
  }

  /** Hearers that do not know the word ignore it instead of learning it. */
  static AlteredGroupRules deafHearers(int groupSize, double beta) {
    return new AlteredGroupRules(groupSize, beta) {
      @Override
      protected void learn(ConventionMind[] group, int word, long index) {
      }
    };
  }
}
