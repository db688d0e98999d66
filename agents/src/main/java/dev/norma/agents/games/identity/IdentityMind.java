package dev.norma.agents.games.identity;

import dev.norma.agents.Mind;

/**
 * An agent of the in-group identity study: its own random stream (the rule-based policy's drift
 * draws from it) and the debates it has taken part in. Its seat, condition and partner follow
 * from its id and the spec ({@link IdentityPairs}), so they are not state; a debate is not
 * remembered from one encounter to the next: each starts afresh.
 */
final class IdentityMind extends Mind {
  private int debates;

  IdentityMind(int id, long runSeed) {
    super(id, runSeed);
  }

  int debates() {
    return debates;
  }

  void debated() {
    debates++;
  }

  @Override
  protected int[] contents() {
    return new int[] {debates};
  }

  @Override
  protected void restoreContents(int[] contents) {
    debates = contents.length == 0 ? 0 : contents[0];
  }
}
