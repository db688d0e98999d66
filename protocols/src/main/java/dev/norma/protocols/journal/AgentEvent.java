package dev.norma.protocols.journal;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * What a durable agent writes to its journal: each side it took in an interaction, enough to
 * apply that side again on recovery with the same result.
 */
public sealed interface AgentEvent extends Persisted permits AgentEvent.Played, AgentEvent.Answered {

  /**
   * This agent initiated interaction {@code index}, drew {@code ownWord} and got its partner's side.
   *
   * @param settledBelow the lowest index the run may still ask this agent about
   */
  @JsonTypeName("agent.played")
  record Played(long index, int partner, int sequence, int ownWord, int partnerWord,
                boolean success, boolean partnerCommitted, int partnerInventory,
                int partnerSole, long settledBelow) implements AgentEvent {
  }

  /**
   * This agent responded to interaction {@code index}, in which its partner played
   * {@code initiatorWord}.
   *
   * @param decidedWord the word a language-model responder decided (-2, {@code NO_CHOICE}, when it
   *                    had none); null when the game's own response applies (a rule-based or committed
   *                    agent, an invalid proposal, or an event written before the field)
   */
  @JsonTypeName("agent.answered")
  record Answered(long index, int initiator, int sequence, int initiatorWord, long settledBelow,
                  Integer decidedWord) implements AgentEvent {
    public Answered(long index, int initiator, int sequence, int initiatorWord, long settledBelow) {
      this(index, initiator, sequence, initiatorWord, settledBelow, null);
    }
  }
}
