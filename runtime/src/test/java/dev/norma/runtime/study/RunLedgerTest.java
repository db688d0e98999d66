package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.agents.measure.RoundRow;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.journal.CoordinatorEvent;
import dev.norma.protocols.journal.RecordColumns;
import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.spec.SpecLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's bookkeeping without actors: records taken back in index order whatever order
 * they arrive in, the window, credit, the stop rules, and what the run directory is told.
 */
class RunLedgerTest {
  private static StudyPlan plan(String yaml) throws Exception {
    return new StudyPlan(SpecLoader.parse(yaml, List.of()), 7);
  }

  /** The records and round rows of the plain loop: what any order of arrival must end as. */
  private static List<InteractionRecord> records(StudyPlan plan, List<RoundRow> rows) {
    List<InteractionRecord> records = new ArrayList<>();
    new PlainLoop(plan).run(records::add, rows::add);
    return records;
  }

  /** Records {@code stretch} as the coordinator does once its event is stored. */
  private static void record(RunLedger ledger, List<InteractionRecord> stretch) {
    ledger.apply(new CoordinatorEvent.Recorded(ledger.nextIndex(), RecordColumns.of(stretch), 0));
  }

  @Test
  void recordsArrivingInAnyOrderWithDuplicatesEndInIndexOrderWithThePlainLoopsRows() throws Exception {
    StudyPlan plan = plan("population: {size: 20}\nschedule: {inFlight: 16}\nstop: {maxRounds: 30, onConvergence: false}");
    List<RoundRow> expectedRows = new ArrayList<>();
    List<InteractionRecord> expected = records(plan, expectedRows);
    RunLedger ledger = new RunLedger(plan);
    Random random = new Random(3);
    List<InteractionRecord> taken = new ArrayList<>();
    Set<Long> credited = new HashSet<>();
    List<RoundRow> rows = new ArrayList<>();
    int admitted = 0;
    while (ledger.stopReason() == null) {
      // All the reach allows admitted next, back in a shuffled order, some twice, in two batches.
      List<InteractionRecord> back = new ArrayList<>();
      int until = (int) Math.min(expected.size(), ledger.nextIndex() + RunLedger.reach(plan));
      for (int i = admitted; i < until; i++) {
        back.add(expected.get(i));
        if (random.nextInt(4) == 0) {
          back.add(expected.get(i));
        }
      }
      admitted = until;
      Collections.shuffle(back, random);
      int half = back.size() / 2;
      for (List<InteractionRecord> batch : List.of(back.subList(0, half), back.subList(half, back.size()))) {
        RunLedger.Taken take = ledger.take(batch);
        for (InteractionRecord arrived : take.arrived()) {
          assertThat(credited.add(arrived.index())).as("credited once: %s", arrived.index()).isTrue();
        }
        if (!take.inOrder().isEmpty()) {
          record(ledger, take.inOrder());
          taken.addAll(take.inOrder());
        }
      }
      for (RunLedger.Change change : ledger.takeChanges()) {
        ((RunLedger.Rows) change).rounds().forEach(round -> rows.add(round.row()));
      }
    }
    assertThat(taken).containsExactlyElementsOf(expected);
    assertThat(credited).as("every interaction credited as it came back").hasSize(expected.size());
    assertThat(rows).containsExactlyElementsOf(expectedRows);
    assertThat(ledger.stopReason()).isEqualTo("max-rounds");
    assertThat(ledger.takeChanges()).as("handed over once").isEmpty();
  }

  @Test
  void recordsBeforeTheNextIndexSeenBeforeOrBeyondTheReachAreNotPartOfTheRun() throws Exception {
    StudyPlan plan = plan("population: {size: 20}\nschedule: {inFlight: 4}");
    assertThat(RunLedger.reach(plan)).isEqualTo(16);
    List<InteractionRecord> all = records(plan, new ArrayList<>());
    assertThat(all).hasSizeGreaterThan(16);
    RunLedger ledger = new RunLedger(plan);
    RunLedger.Taken take = ledger.take(List.of(all.get(1), all.get(15), all.get(16)));
    assertThat(take.inOrder()).as("1 and 15 wait for 0; 16 is beyond the reach").isEmpty();
    assertThat(take.arrived()).as("credit for what finished, in any order").containsExactly(all.get(1), all.get(15));
    assertThat(ledger.held()).containsExactlyInAnyOrder(1, 15);
    assertThat(ledger.take(List.of(all.get(15))).arrived()).as("seen before").isEmpty();
    take = ledger.take(List.of(all.get(0)));
    assertThat(take.arrived()).containsExactly(all.get(0));
    assertThat(take.inOrder()).containsExactly(all.get(0), all.get(1));
    record(ledger, take.inOrder());
    take = ledger.take(List.of(all.get(0), all.get(1)));
    assertThat(take.arrived()).as("recorded already").isEmpty();
    assertThat(take.inOrder()).isEmpty();
    assertThat(ledger.held()).containsExactly(15);
    assertThat(ledger.nextIndex()).isEqualTo(2);
    ledger.forgetHeld();
    assertThat(ledger.held()).as("a new matchmaker admits them again").isEmpty();
    assertThat(ledger.take(List.of(all.get(15))).arrived()).as("and is credited as they come back").hasSize(1);
  }

  @Test
  void aStretchThatMeetsAStopRuleCountsOnlyUpToTheInteractionThatMetIt() throws Exception {
    StudyPlan plan = plan("population: {size: 10}\nstop: {maxRounds: 2, onConvergence: false}");
    List<InteractionRecord> all = records(plan, new ArrayList<>());
    assertThat(all).hasSize(20);
    List<InteractionRecord> beyond = new ArrayList<>(all);
    for (int i = 20; i < 25; i++) {
      // Interactions played after the stop point (the agents do not know it yet).
      beyond.add(new InteractionRecord(i, 0, 1, 0, 0, true, true, false, false, 1, 1, 0, 0));
    }
    RunLedger ledger = new RunLedger(plan);
    ledger.apply(new CoordinatorEvent.Recorded(0, RecordColumns.of(beyond), 0));
    RunLedger.Rows rows = (RunLedger.Rows) ledger.takeChanges().get(0);
    assertThat(rows.count()).isEqualTo(20);
    assertThat(rows.rounds()).extracting(RunLedger.Round::position).containsExactly(9, 19);
    assertThat(ledger.stopReason()).isEqualTo("max-rounds");
    assertThat(ledger.observer().recorded()).isEqualTo(20);
  }

  @Test
  void aGapInTheJournalIsAnError() throws Exception {
    StudyPlan plan = plan("population: {size: 10}");
    List<InteractionRecord> all = records(plan, new ArrayList<>());
    RunLedger ledger = new RunLedger(plan);
    assertThatThrownBy(() -> ledger.apply(new CoordinatorEvent.Recorded(3, RecordColumns.of(all.subList(3, 5)), 0)))
        .hasMessageContaining("from 3 after 0: the journal has a gap");
  }

  @Test
  void continuousPairingHasAtMostHalfThePopulationInFlightAndFreesBothAgents() throws Exception {
    StudyPlan continuous = plan("population: {size: 10}\nschedule: {kind: continuous, inFlight: 64}");
    assertThat(RunLedger.window(continuous)).isEqualTo(5);
    InteractionRecord one = new InteractionRecord(0, 3, 7, 0, 0, true, true, false, false, 1, 1, 0, 0);
    assertThat(new RunLedger(continuous).freed(List.of(one))).containsExactly(3, 7);

    StudyPlan rounds = plan("population: {size: 10}\nschedule: {inFlight: 64}");
    assertThat(RunLedger.window(rounds)).isEqualTo(64);
    assertThat(new RunLedger(rounds).freed(List.of(one))).as("rounds pair agents themselves").isEmpty();
  }

  @Test
  void theEndAndCallLinesAreQueuedForTheRunDirectory() throws Exception {
    RunLedger ledger = new RunLedger(plan("population: {size: 10}"));
    ledger.apply(new CoordinatorEvent.CallsRecorded("node-a", 1, List.of("{}")));
    ledger.apply(new CoordinatorEvent.Ended("cancelled", "cancelled", 42));
    ledger.apply(new CoordinatorEvent.CallsRecorded("node-a", 2, List.of("{}")));
    assertThat(ledger.takeChanges()).containsExactly(new RunLedger.Calls(List.of("{}"), false),
        new RunLedger.Closed(new CoordinatorEvent.Ended("cancelled", "cancelled", 42)),
        new RunLedger.Calls(List.of("{}"), true));
    assertThat(ledger.callsFrom("node-a")).isEqualTo(2);
    assertThat(ledger.callsFrom("node-b")).isZero();
    assertThat(ledger.elapsedNanos()).isEqualTo(42);
    assertThat(ledger.ended().status()).isEqualTo("cancelled");
  }
}
