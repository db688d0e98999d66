package dev.norma.protocols.journal;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** What the coordinator of an encounter game writes to its journal: each encounter once it is settled. */
public sealed interface EncounterEvent extends Persisted permits EncounterEvent.Settled {

  /**
   * The encounter (or population step) in admission slot {@code slot} is over: every participant's
   * returned mind, what the measures observed of it before and after, the outcome and what was
   * said. Written once, for all participants at once, before any of them gets its mind back, so a
   * journal never holds an encounter that only some participants went through.
   *
   * @param index      the encounter's index, or -1 for the population step after round {@code round}
   * @param members    the participants, in the game's order
   * @param turns      each participant's turn number for it
   * @param states     each participant's mind after it
   * @param outcome    the game's outcome columns (empty for a population step)
   * @param before     what the measures observe of each participant's mind before it
   * @param after      and after it
   * @param transcript what was said, in order (empty for a game of choices)
   */
  @JsonTypeName("encounter.settled")
  record Settled(long slot, long index, long round, int[] members, int[] turns, List<MindState> states,
                 double[] outcome, double[][] before, double[][] after, List<Line> transcript)
      implements EncounterEvent {

    /** One thing said in the encounter, as the game's {@code Utterance}. */
    public record Line(int turn, int agent, String role, String model, String text, int tokens) {
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Settled s && s.slot == slot && s.index == index && s.round == round
          && Arrays.equals(s.members, members) && Arrays.equals(s.turns, turns) && Objects.equals(s.states, states)
          && Arrays.equals(s.outcome, outcome) && Arrays.deepEquals(s.before, before)
          && Arrays.deepEquals(s.after, after) && Objects.equals(s.transcript, transcript);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(slot) * 31 + Arrays.hashCode(members);
    }

    @Override
    public String toString() {
      return "Settled[slot " + slot + ", index " + index + ", members " + Arrays.toString(members) + "]";
    }
  }
}
