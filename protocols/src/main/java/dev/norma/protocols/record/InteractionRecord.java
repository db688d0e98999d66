package dev.norma.protocols.record;

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
}
