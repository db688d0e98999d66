package dev.norma.agents.encounter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a study of an encounter game produced, as the {@link EncounterLoop.Listener} that saw it:
 * every encounter's outcome and participants, every round's row, and why it stopped. A test may
 * extend it to keep more.
 */
public class RecordedRun implements EncounterLoop.Listener {
  public final List<double[]> outcomes = new ArrayList<>();
  public final List<int[]> groups = new ArrayList<>();
  public final List<double[]> rows = new ArrayList<>();
  /** Why the study stopped, once {@link #play} returned. */
  public String reason;

  /** Plays {@code loop} for at most {@code maxRounds}, answered by {@code model} (null: by rule), into this. */
  public <R extends RecordedRun> R play(EncounterLoop<?> loop, long maxRounds, EncounterLoop.Model model) {
    reason = loop.run(maxRounds, this, model);
    @SuppressWarnings("unchecked")
    R self = (R) this;
    return self;
  }

  @Override
  public void encounter(long index, int[] members, double[] outcome) {
    outcomes.add(outcome);
    groups.add(members.clone());
  }

  @Override
  public void round(long round, double[] row) {
    rows.add(row);
  }

  public double[] lastRow() {
    return rows.get(rows.size() - 1);
  }

  /** Rows or outcomes as lists, which compare by value, to the bit. */
  public static List<List<Double>> exactly(List<double[]> rows) {
    return rows.stream().map(row -> Arrays.stream(row).boxed().toList()).toList();
  }
}
