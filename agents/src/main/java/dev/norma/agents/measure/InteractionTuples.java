package dev.norma.agents.measure;

import dev.norma.protocols.record.InteractionRecord;
import java.util.Arrays;

/**
 * Turns interactions, fed in index order, into the (A_t, P_{t−1}, A_{t−1}) tuples of
 * {@link InformationFlow}. It keeps, per agent, the last name it produced and the last name a
 * partner produced to it, across windows (a window's first tuples use what came before it).
 *
 * <p>For each party of an interaction that produced a name (both parties of the simultaneous
 * naming game; the speaker only in speaker–hearer games):
 * <ul>
 *   <li>A_t: the name it produced now (its word id);</li>
 *   <li>A_{t−1}: the name it produced in its previous interaction where it produced one;</li>
 *   <li>P_{t−1}, by {@link Source}: {@code LAST_OBSERVED}, the name its partner produced to it in
 *       its previous interaction where a partner produced one — what its memory last took in
 *       (Ashery et al. 2025: each agent remembers its partners' choices), so copying shows up
 *       here; or {@code PARTNER_LAST_PRODUCED}, the name its current partner produced in the
 *       partner's previous interaction — the state of whom it meets now.</li>
 * </ul>
 * No tuple is made while one of these is still unknown (an agent's first interactions), for a
 * committed agent (it never responds to anyone), nor from an invalid interaction, which changed
 * no agent.
 */
public final class InteractionTuples {
  /** Which partner action stands for P_{t−1}. */
  public enum Source { LAST_OBSERVED, PARTNER_LAST_PRODUCED }

  private final Source source;
  private final int[] lastProduced;
  private final int[] lastObserved;

  public InteractionTuples(int populationSize, Source source) {
    if (populationSize < 2) {
      throw new IllegalArgumentException("populationSize: expected at least 2, got " + populationSize);
    }
    this.source = source;
    this.lastProduced = new int[populationSize];
    this.lastObserved = new int[populationSize];
    Arrays.fill(lastProduced, -1);
    Arrays.fill(lastObserved, -1);
  }

  /** Adds the interaction's tuples to {@code window}; returns how many (0 to 2). */
  public int fromInteraction(InteractionRecord record, InformationFlow window) {
    if (!record.valid()) {
      return 0;
    }
    int added = add(window, record.initiator(), record.initiatorWord(), record.initiatorCommitted(), record.responder())
        + add(window, record.responder(), record.responderWord(), record.responderCommitted(), record.initiator());
    // Both parties act at once: the updates follow both tuples.
    remember(record.initiator(), record.initiatorWord(), record.responderWord());
    remember(record.responder(), record.responderWord(), record.initiatorWord());
    return added;
  }

  private int add(InformationFlow window, int agent, int word, boolean committed, int partner) {
    int partnerPrevious = source == Source.LAST_OBSERVED ? lastObserved[agent] : lastProduced[partner];
    if (word < 0 || committed || partnerPrevious < 0 || lastProduced[agent] < 0) {
      return 0;
    }
    window.add(word, partnerPrevious, lastProduced[agent]);
    return 1;
  }

  private void remember(int agent, int produced, int observed) {
    if (produced >= 0) {
      lastProduced[agent] = produced;
    }
    if (observed >= 0) {
      lastObserved[agent] = observed;
    }
  }
}
