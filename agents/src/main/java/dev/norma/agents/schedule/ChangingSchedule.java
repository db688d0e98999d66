package dev.norma.agents.schedule;

import java.util.List;
import java.util.function.Supplier;

/**
 * A pair schedule that changes at given interaction indices (agents left, the network was
 * rewired): interaction i's pair comes from the schedule in force at i. Counts its own calls, as
 * every caller draws interaction 0, 1, 2, … in order (a resumed run replays the schedule from 0).
 * The schedules share one random stream, so the pairs stay a function of the run seed alone; a
 * matching under way when the change comes is cut off and the next one drawn afresh.
 */
public final class ChangingSchedule implements PairSchedule {
  private PairSchedule current;
  private final long[] changesAt;
  private final List<Supplier<PairSchedule>> then;
  private int changes;
  private long index;

  /**
   * @param first     the schedule from interaction 0
   * @param changesAt the indices at which the schedule changes, increasing
   * @param then      the schedule from each of them on
   */
  public ChangingSchedule(PairSchedule first, long[] changesAt, List<Supplier<PairSchedule>> then) {
    this.current = first;
    this.changesAt = changesAt.clone();
    this.then = List.copyOf(then);
  }

  @Override
  public long next() {
    while (changes < changesAt.length && changesAt[changes] <= index) {
      current = then.get(changes++).get();
    }
    index++;
    return current.next();
  }
}
