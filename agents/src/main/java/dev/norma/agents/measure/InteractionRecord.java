package dev.norma.agents.measure;

import dev.norma.agents.Mind;

/**
 * What one interaction did, as the norm registry and the interaction log see it. Words are the
 * game's word ids (-1: nothing produced, as for a hearer); inventory sizes and sole words are the
 * agents' states just after the interaction (speaker–hearer games; 0 and -1 otherwise).
 *
 * @param valid false when the interaction could not be played (e.g. a model never gave a usable
 *              answer): it keeps its index, changed no agent, and counts as a failure
 */
public record InteractionRecord(
    long index,
    int initiator,
    int responder,
    int initiatorWord,
    int responderWord,
    boolean success,
    boolean valid,
    boolean initiatorCommitted,
    boolean responderCommitted,
    int initiatorInventory,
    int responderInventory,
    int initiatorSole,
    int responderSole) {

  /**
   * The record the initiator reports once it has concluded: its own side read from its mind as
   * the interaction left it, the responder's side as the responder answered.
   *
   * @param success whether the responder's reply was a success; it counts only when {@code valid}
   */
  public static InteractionRecord concluded(long index, Mind initiator, boolean initiatorCommitted,
                                            int initiatorWord, int responder, int responderWord, boolean success,
                                            boolean valid, boolean responderCommitted, int responderInventory,
                                            int responderSole) {
    return new InteractionRecord(index, initiator.id(), responder, initiatorWord, responderWord, success && valid,
        valid, initiatorCommitted, responderCommitted, initiator.inventorySize(), responderInventory,
        initiator.soleWord(), responderSole);
  }
}
