package dev.norma.runtime.study;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.journal.CoordinatorEvent;
import dev.norma.protocols.journal.RecordColumns;
import dev.norma.protocols.record.InteractionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's bookkeeping, without actors: the state the {@link RunCoordinator} rebuilds from its
 * journal. It holds the in-flight window, puts the records that come back in any order into index
 * order, feeds them to the population measures (which apply the stop rules), counts the credit a
 * batch returns to the matchmaker, and keeps what the run directory still has to be told.
 *
 * <p>Applying an event changes only this object. What the event means for the run's files is
 * queued as {@link Change}s, which the coordinator hands to its {@link RunProjection} after the
 * event is stored (or, when the run is recovered, once the whole journal has been read).
 */
public final class RunLedger {
  /** What an applied event adds to the run directory. */
  public sealed interface Change permits Rows, Calls, Closed {
  }

  /**
   * Interactions {@code firstIndex} to {@code firstIndex + count - 1} of {@code records}, and the
   * round rows they finished. Interactions after the one that met a stop rule are not part of
   * the run, so {@code count} may be smaller than the records' size.
   */
  public record Rows(long firstIndex, RecordColumns records, int count, List<Round> rounds) implements Change {
  }

  /** A round row, finished by the interaction at {@code position} in its stretch. */
  public record Round(int position, RoundRow row) {
  }

  /** A cluster node's call lines; {@code afterEnd}: they arrived after the run ended. */
  public record Calls(List<String> lines, boolean afterEnd) implements Change {
  }

  /** The run ended with {@code ended}. */
  public record Closed(CoordinatorEvent.Ended ended) implements Change {
  }

  private final StudyPlan plan;
  private final int window;
  /** How far past the next unrecorded interaction records may come back ({@link #reach(StudyPlan)}). */
  private final int reach;
  private final boolean continuous;
  private final InteractionRecord[] pending;
  private final PopulationObserver observer;
  private final Map<String, Long> callsFrom = new HashMap<>();
  private final List<Change> unprojected = new ArrayList<>();
  private long nextIndex;
  private long elapsedNanos;
  private CoordinatorEvent.Ended ended;
  /** Every agent's state as the journal leaves it, when the agents write nothing themselves; else null. */
  private final AgentLedger agents;

  public RunLedger(StudyPlan plan) {
    this(plan, false);
  }

  /**
   * @param keepsAgents whether it also keeps every agent's state ({@link AgentLedger}): the run's
   *                    agents are journaled through its records only
   */
  RunLedger(StudyPlan plan, boolean keepsAgents) {
    this.plan = plan;
    this.agents = keepsAgents ? new AgentLedger(plan) : null;
    this.window = window(plan);
    this.continuous = !plan.deterministic();
    this.reach = reach(plan);
    this.pending = new InteractionRecord[reach];
    this.observer = new PopulationObserver(plan);
  }

  /**
   * How many interactions a run has in flight at most: the spec's {@code schedule.inFlight}; with
   * continuous pairing also at most half the population, since an agent is in one interaction at a
   * time.
   */
  public static int window(StudyPlan plan) {
    int inFlight = plan.spec().schedule().inFlight();
    return plan.deterministic() ? inFlight : Math.max(1, Math.min(inFlight, plan.populationSize() / 2));
  }

  /**
   * How many windows past the first unrecorded interaction the matchmaker may admit. Credit
   * returns as interactions finish, in any order, while recording waits for the stretch before
   * them: the interactions finished but not yet recorded (in registries' batches, in flight to the
   * coordinator, held behind an earlier one, or for a durable run waiting for the journal's write)
   * do not take up the window. Only a long wait for one interaction, with {@code REACH} windows'
   * worth finished after it, stops admission.
   */
  static final int REACH = 4;

  /**
   * The interactions past the first unrecorded one a run may have admitted. Every record that
   * comes back falls within it, so none is dropped for being too far ahead.
   */
  public static int reach(StudyPlan plan) {
    return REACH * window(plan);
  }

  /**
   * The size of a registry's batches: at most a quarter of the window, or credit would return only
   * on the flush timer and a small window would crawl.
   */
  public static int registryBatchSize(StudyPlan plan, RunSettings settings) {
    return Math.max(1, Math.min(settings.registryBatchSize(), window(plan) / 4));
  }

  public int window() {
    return window;
  }

  // ---- Records coming back -------------------------------------------------------------------

  /**
   * What a batch of finished interactions brought: {@code arrived}, the records seen for the first
   * time (they leave the in-flight window: credit), and {@code inOrder}, the stretch that now
   * follows the last recorded interaction without a gap (to be recorded).
   */
  public record Taken(List<InteractionRecord> arrived, List<InteractionRecord> inOrder) {
  }

  /**
   * Takes in a batch of finished interactions, in any order, and returns those seen for the first
   * time and the stretch that now follows the last recorded one without a gap (either possibly
   * empty). Records before the next index (recorded already), seen before (a duplicate) or beyond
   * the reach (past the stop point) are not part of the run and are dropped.
   */
  public Taken take(List<InteractionRecord> batch) {
    List<InteractionRecord> arrived = new ArrayList<>(batch.size());
    for (InteractionRecord record : batch) {
      long offset = record.index() - nextIndex;
      if (offset >= 0 && offset < reach) {
        int slot = slot(record.index());
        InteractionRecord held = pending[slot];
        if (held == null || held.index() != record.index()) {
          pending[slot] = record;
          arrived.add(record);
        }
      }
    }
    List<InteractionRecord> inOrder = new ArrayList<>();
    for (long index = nextIndex; ; index++) {
      InteractionRecord record = pending[slot(index)];
      if (record == null || record.index() != index) {
        return new Taken(arrived, inOrder);
      }
      pending[slot(index)] = null;
      inOrder.add(record);
    }
  }

  private int slot(long index) {
    return (int) (index % reach);
  }

  /**
   * The agents a recorded stretch frees for new partners (continuous pairing: initiator and
   * responder of each interaction); none with round-based schedules.
   */
  public int[] freed(List<InteractionRecord> recorded) {
    if (!continuous) {
      return NONE;
    }
    int[] freed = new int[2 * recorded.size()];
    for (int i = 0; i < recorded.size(); i++) {
      freed[2 * i] = recorded.get(i).initiator();
      freed[2 * i + 1] = recorded.get(i).responder();
    }
    return freed;
  }

  private static final int[] NONE = new int[0];

  /**
   * Forgets the records held out of order: a new matchmaker admits every interaction from the next
   * index again, and counts each as it comes back.
   */
  public void forgetHeld() {
    Arrays.fill(pending, null);
  }

  /** The indices at or after the next one held out of order: not to be asked for again. */
  public long[] held() {
    return Arrays.stream(pending).filter(r -> r != null && r.index() >= nextIndex)
        .mapToLong(InteractionRecord::index).toArray();
  }

  // ---- Events ----------------------------------------------------------------------------------

  /** Applies {@code event}: the run's measures and counters change; the files' part is queued. */
  public RunLedger apply(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.Recorded recorded) {
      applyRecorded(recorded);
    } else if (event instanceof CoordinatorEvent.Ended end) {
      elapsedNanos = end.elapsedNanos();
      ended = end;
      unprojected.add(new Closed(end));
    } else if (event instanceof CoordinatorEvent.CallsRecorded calls) {
      callsFrom.put(calls.node(), calls.seq());
      unprojected.add(new Calls(calls.lines(), ended != null));
    }
    return this;
  }

  private void applyRecorded(CoordinatorEvent.Recorded event) {
    if (event.firstIndex() != nextIndex) {
      throw new IllegalStateException("recorded interactions from " + event.firstIndex()
          + " after " + nextIndex + ": the journal has a gap");
    }
    RecordColumns records = event.records();
    List<Round> rounds = new ArrayList<>(1);
    int count = 0;
    while (count < records.size() && observer.stopReason() == null) {
      RoundRow row = observer.accept(records.get(event.firstIndex(), count));
      if (row != null) {
        rounds.add(new Round(count, row));
      }
      count++;
    }
    if (agents != null) {
      for (int i = 0; i < records.size(); i++) {
        agents.apply(records.get(event.firstIndex(), i));
      }
    }
    nextIndex = event.firstIndex() + records.size();
    elapsedNanos = event.elapsedNanos();
    unprojected.add(new Rows(event.firstIndex(), records, count, rounds));
  }

  /** The changes applied since the last call, oldest first; they are handed over once. */
  public List<Change> takeChanges() {
    if (unprojected.isEmpty()) {
      return List.of();
    }
    List<Change> changes = List.copyOf(unprojected);
    unprojected.clear();
    return changes;
  }

  // ---- Reading -------------------------------------------------------------------------------

  /** Every agent's state as the journal leaves it; null when the agents journal themselves. */
  AgentLedger agents() {
    return agents;
  }

  /** The first interaction not yet recorded. */
  public long nextIndex() {
    return nextIndex;
  }

  /** The run's active time when the latest event was written. */
  public long elapsedNanos() {
    return elapsedNanos;
  }

  /** How the run ended, or null while it has not. */
  public CoordinatorEvent.Ended ended() {
    return ended;
  }

  /** Why the population measures say the run should stop (a stop rule met), or null. */
  public String stopReason() {
    return observer.stopReason();
  }

  /** The highest chunk of call lines recorded from {@code node} (0: none). */
  public long callsFrom(String node) {
    return callsFrom.getOrDefault(node, 0L);
  }

  public PopulationObserver observer() {
    return observer;
  }

  /** Progress so far, with {@code perSecond} interactions a second. */
  public ProgressListener.Snapshot snapshot(double perSecond) {
    RoundRow last = observer.lastRow();
    long recorded = observer.recorded();
    return new ProgressListener.Snapshot(recorded / plan.populationSize(),
        plan.maxInteractions() / plan.populationSize(), recorded, last == null ? 0 : last.successRate(),
        last == null ? "" : last.topName(), last == null ? 0 : last.topShare(), perSecond).withLatest(last);
  }
}
