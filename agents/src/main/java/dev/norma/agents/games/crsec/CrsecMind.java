package dev.norma.agents.games.crsec;

import dev.norma.agents.Mind;
import dev.norma.agents.games.crsec.NormRecord.Provenance;
import dev.norma.agents.games.crsec.NormRecord.Reason;
import dev.norma.agents.games.crsec.NormRecord.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A café customer of the CRSEC study: its persona (whether it is a norm advocate, its stance on
 * each theme, how readily it speaks up) and its norm records, candidate and active, at most one per
 * norm of the study's {@link NormCatalogue}. Everything goes through {@link #contents()}, because
 * the engine lends minds as state; draws come only from the mind's own stream.
 */
public final class CrsecMind extends Mind {
  /** The improper action is its habit. */
  static final int HABIT = 0;
  /** It acts properly and minds the improper action when it sees it. */
  static final int MINDS = 1;
  /** It acts properly and does not mind either way. */
  static final int INDIFFERENT = 2;

  private static final int NONE = 0;
  /** Numbers saved per norm: status, utility, reason, provenance, hops, hearings. */
  private static final int PER_NORM = 6;
  /** Numbers saved before the stances: advocate, assertiveness, created. */
  private static final int HEAD = 3;

  private boolean advocate;
  /** Whether it has written its personal norms (an advocate's creation, once). */
  private boolean created;
  /** How likely it speaks up when it sees a norm of its broken, in thousandths (advocates: always). */
  private int assertiveness;
  private final int[] stances;
  /** Per norm of the catalogue: 0 none, else 1 + the status's ordinal. */
  private final int[] status;
  private final int[] utility;
  private final int[] reason;
  private final int[] provenance;
  private final int[] hops;
  /** Times it has been told (or has seen) the norm: each makes the next evaluation kinder. */
  private final int[] hearings;

  CrsecMind(int id, long runSeed, int themes, int norms) {
    super(id, runSeed);
    this.stances = new int[themes];
    this.status = new int[norms];
    this.utility = new int[norms];
    this.reason = new int[norms];
    this.provenance = new int[norms];
    this.hops = new int[norms];
    this.hearings = new int[norms];
  }

  void persona(boolean advocate, int assertiveness, int[] stances) {
    this.advocate = advocate;
    this.assertiveness = assertiveness;
    System.arraycopy(stances, 0, this.stances, 0, this.stances.length);
  }

  public boolean advocate() {
    return advocate;
  }

  /** Whether it has written its personal norms: an advocate does so once, at its first period or at the start. */
  boolean created() {
    return created;
  }

  void created(boolean written) {
    this.created = written;
  }

  /** The chance, in thousandths, that it speaks up about a broken norm (advocates always do). */
  int assertiveness() {
    return assertiveness;
  }

  /** {@link #HABIT}, {@link #MINDS} or {@link #INDIFFERENT}. */
  int stance(int theme) {
    return stances[theme];
  }

  public boolean holds(int norm) {
    return status[norm] != NONE;
  }

  public boolean active(int norm) {
    return status[norm] == 1 + Status.ACTIVE.ordinal();
  }

  int hops(int norm) {
    return hops[norm];
  }

  /** Where its record of the norm came from; for a norm it holds. */
  Provenance provenance(int norm) {
    return Provenance.values()[provenance[norm]];
  }

  int utility(int norm) {
    return utility[norm];
  }

  /** How many times it has been told (or has seen, or synthesised) the norm. */
  int hearings(int norm) {
    return hearings[norm];
  }

  /** One more hearing of the norm; returns how many there have been. */
  int heard(int norm) {
    return ++hearings[norm];
  }

  void hold(int norm, Status state, int utilityScore, Reason why, Provenance from, int hopsFromOrigin) {
    status[norm] = 1 + state.ordinal();
    utility[norm] = utilityScore;
    reason[norm] = why.ordinal();
    provenance[norm] = from.ordinal();
    hops[norm] = hopsFromOrigin;
  }

  /** Drops the record (a synthesis replaces the norms it merged); its hearings stay. */
  void drop(int norm) {
    status[norm] = NONE;
    utility[norm] = 0;
    reason[norm] = 0;
    provenance[norm] = 0;
    hops[norm] = 0;
  }

  /** Its records, candidate and active, in catalogue order, as sentences. */
  public List<NormRecord> norms(NormCatalogue catalogue) {
    List<NormRecord> records = new ArrayList<>();
    for (int norm = 0; norm < status.length; norm++) {
      if (holds(norm)) {
        records.add(new NormRecord(norm, catalogue.type(norm), catalogue.content(norm, NormCatalogue.CUSTOMERS),
            NormCatalogue.CUSTOMERS, catalogue.predicate(norm), catalogue.object(norm),
            Provenance.values()[provenance[norm]], utility[norm], Reason.values()[reason[norm]],
            Status.values()[status[norm] - 1], hops[norm]));
      }
    }
    return records;
  }

  /**
   * {@code [advocate, assertiveness, created, stances..., then per norm: status, utility, reason,
   * provenance, hops, hearings]}.
   */
  @Override
  protected int[] contents() {
    int head = HEAD + stances.length;
    int[] contents = new int[head + PER_NORM * status.length];
    contents[0] = advocate ? 1 : 0;
    contents[1] = assertiveness;
    contents[2] = created ? 1 : 0;
    System.arraycopy(stances, 0, contents, HEAD, stances.length);
    for (int norm = 0; norm < status.length; norm++) {
      int at = head + PER_NORM * norm;
      contents[at] = status[norm];
      contents[at + 1] = utility[norm];
      contents[at + 2] = reason[norm];
      contents[at + 3] = provenance[norm];
      contents[at + 4] = hops[norm];
      contents[at + 5] = hearings[norm];
    }
    return contents;
  }

  @Override
  protected void restoreContents(int[] contents) {
    int head = HEAD + stances.length;
    if (contents.length != head + PER_NORM * status.length) {
      throw new IllegalArgumentException("contents of " + contents.length + " numbers do not fit " + stances.length
          + " themes and " + status.length + " norms");
    }
    advocate = contents[0] == 1;
    assertiveness = contents[1];
    created = contents[2] == 1;
    System.arraycopy(contents, HEAD, stances, 0, stances.length);
    for (int norm = 0; norm < status.length; norm++) {
      int at = head + PER_NORM * norm;
      status[norm] = contents[at];
      utility[norm] = contents[at + 1];
      reason[norm] = contents[at + 2];
      provenance[norm] = contents[at + 3];
      hops[norm] = contents[at + 4];
      hearings[norm] = contents[at + 5];
    }
  }

  @Override
  public String toString() {
    return "CrsecMind[" + id() + (advocate ? ", advocate" : "") + ", stances " + Arrays.toString(stances) + "]";
  }
}
