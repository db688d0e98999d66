package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.Utterance;
import dev.norma.protocols.journal.EncounterEvent.Settled;
import dev.norma.protocols.journal.MindState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of an encounter game's coordinator, without actors: the settled encounters put back
 * in admission order and fed to the game's measures, the rows that are due in the run directory,
 * the stop rules, and — for a durable run — each agent's mind as its last settled encounter left
 * it, so that a coordinator recovered from its journal can give every agent its mind back.
 * Changed only by {@link #settled(Settled)}, the coordinator's one event; what is to be written
 * is collected in order and taken with {@link #takeRows()} (no I/O here).
 */
final class EncounterLedger {

  /** What the run directory is to be given, in order. */
  sealed interface Row permits EncounterRow, RoundRow {
  }

  /** Encounter {@code index}'s line of {@code interactions.csv.gz}, and what was said in it. */
  record EncounterRow(long index, int[] members, double[] outcome, List<Utterance> transcript) implements Row {
  }

  /** Round {@code round}'s line of {@code rounds.csv}, after {@code encounters} encounters. */
  record RoundRow(long round, long encounters, double[] row) implements Row {
  }

  private final EncounterGame<Mind> game;
  private final EncounterMeasures measures;
  private final long perRound;
  private final long maxRounds;
  /** Settled out of order, by slot, until every earlier slot is settled. */
  private final Map<Long, Settled> pending = new HashMap<>();
  private final List<Row> rows = new ArrayList<>();
  /** Each agent's mind after its last settled encounter (null: none yet); null when not kept. */
  private final MindState[] minds;
  /** Each agent's next turn: how many of its encounters are settled; null when minds are not kept. */
  private final int[] nextTurns;
  private long recordedSlot;
  private long recordedEncounters;
  private long roundsEnded;
  private double[] lastRow;
  private String stopReason;

  /**
   * @param keepMinds whether to keep each agent's last settled mind (a durable run, which may have
   *                  to give them back after a recovery)
   */
  @SuppressWarnings("unchecked")
  EncounterLedger(EncounterGame<? extends Mind> game, int populationSize, long maxRounds, boolean keepMinds) {
    this.game = (EncounterGame<Mind>) game;
    this.measures = game.newMeasures();
    this.perRound = game.encountersPerRound();
    this.maxRounds = maxRounds;
    this.minds = keepMinds ? new MindState[populationSize] : null;
    this.nextTurns = keepMinds ? new int[populationSize] : null;
    for (int id = 0; id < populationSize; id++) {
      measures.observed(id, null, this.game.observe(this.game.newMind(id)));
    }
  }

  /** The event: encounter {@code settled} is over; records it and every settled one it lets through. */
  EncounterLedger settled(Settled settled) {
    if (minds != null) {
      for (int i = 0; i < settled.members().length; i++) {
        int agent = settled.members()[i];
        minds[agent] = settled.states().get(i);
        nextTurns[agent] = settled.turns()[i] + 1;
      }
    }
    if (settled.slot() < recordedSlot || stopReason != null) {
      return this;
    }
    pending.put(settled.slot(), settled);
    while (stopReason == null) {
      Settled next = pending.remove(recordedSlot);
      if (next == null) {
        break;
      }
      recordedSlot++;
      record(next);
    }
    return this;
  }

  /** Whether the encounter in {@code slot} is settled (recorded, or waiting for an earlier one). */
  boolean isSettled(long slot) {
    return slot < recordedSlot || pending.containsKey(slot);
  }

  private void record(Settled settled) {
    int[] members = settled.members();
    for (int i = 0; i < members.length; i++) {
      measures.observed(members[i], settled.before()[i], settled.after()[i]);
    }
    if (settled.index() < 0) {
      endRound(settled.round());
      return;
    }
    measures.encounter(settled.index(), members, settled.outcome());
    rows.add(new EncounterRow(settled.index(), members, settled.outcome(), utterances(settled.transcript())));
    recordedEncounters++;
    long round = settled.index() / perRound;
    if (recordedEncounters % perRound == 0 && !game.populationStepAfter(round)) {
      endRound(round);
    }
  }

  private void endRound(long round) {
    double[] row = measures.endRound(round);
    lastRow = row;
    roundsEnded = round + 1;
    rows.add(new RoundRow(round, recordedEncounters, row));
    String reason = measures.stopAfter(round, row);
    if (reason != null) {
      stopReason = reason;
    } else if (roundsEnded >= maxRounds) {
      stopReason = EncounterLoop.MAX_ROUNDS;
    }
  }

  /** The rows recorded since the last call, in order. */
  List<Row> takeRows() {
    List<Row> taken = List.copyOf(rows);
    rows.clear();
    return taken;
  }

  /** Why the game's stop rules (or {@code stop.maxRounds}) end the run, or null while it goes on. */
  String stopReason() {
    return stopReason;
  }

  long recordedSlot() {
    return recordedSlot;
  }

  long recordedEncounters() {
    return recordedEncounters;
  }

  long roundsEnded() {
    return roundsEnded;
  }

  double[] lastRow() {
    return lastRow;
  }

  List<String> columns() {
    return measures.columns();
  }

  /** Agent {@code agent}'s mind after its last settled encounter, or null (none, or minds not kept). */
  MindState mind(int agent) {
    return minds == null ? null : minds[agent];
  }

  /** The turn agent {@code agent} takes next (0 when minds are not kept). */
  int nextTurn(int agent) {
    return nextTurns == null ? 0 : nextTurns[agent];
  }

  /** What was said, as the game's lines. */
  static List<Utterance> utterances(List<Settled.Line> lines) {
    if (lines == null || lines.isEmpty()) {
      return List.of();
    }
    List<Utterance> said = new ArrayList<>(lines.size());
    for (Settled.Line line : lines) {
      said.add(new Utterance(line.turn(), line.agent(), line.role(), line.model(), line.text(), line.tokens()));
    }
    return said;
  }

  /** What was said, as journal lines. */
  static List<Settled.Line> lines(List<Utterance> said) {
    if (said == null || said.isEmpty()) {
      return List.of();
    }
    List<Settled.Line> lines = new ArrayList<>(said.size());
    for (Utterance u : said) {
      lines.add(new Settled.Line(u.turn(), u.agent(), u.role(), u.model(), u.text(), u.tokens()));
    }
    return lines;
  }
}
