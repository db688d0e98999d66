package dev.norma.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.record.InteractionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The record batcher passes every finished interaction on exactly once, in the order it saw
 * them: a full batch at once, a partial one when its timer fires, one interval after the batch's
 * first record (time moved by hand, so a flush happens exactly when the interval has passed and
 * never before), the rest when it stops.
 */
class NormRegistryTest {
  private static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);

  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config()
      .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
      .withFallback(ConfigFactory.load()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<NormRegistry.RecordBatch> coordinator = testKit.createTestProbe();

  private static InteractionRecord record(long index) {
    return new InteractionRecord(index, (int) (index % 7), (int) (index % 5) + 7, 0, 1, false, true, false, false,
        0, 0, -1, -1);
  }

  private static NormRegistry.InteractionFinished finished(long index) {
    return new NormRegistry.InteractionFinished(record(index));
  }

  private static List<Long> indices(NormRegistry.RecordBatch batch) {
    return batch.records().stream().map(InteractionRecord::index).toList();
  }

  /**
   * A registry whose first batch (indices 0 to batchSize - 1) has already gone out, full: it has
   * nothing in hand and no timer running.
   */
  private ActorRef<NormRegistry.Command> started(int batchSize) {
    ActorRef<NormRegistry.Command> registry = testKit.spawn(NormRegistry.create(coordinator.getRef(), batchSize,
        FLUSH_INTERVAL));
    for (long i = 0; i < batchSize; i++) {
      registry.tell(finished(i));
    }
    assertThat(indices(coordinator.receiveMessage())).containsExactlyElementsOf(
        LongStream.range(0, batchSize).boxed().toList());
    return registry;
  }

  @Test
  void aFullBatchGoesOutAtOnceWithoutWaitingForTheTimer() {
    ActorRef<NormRegistry.Command> registry = started(3);
    for (long i = 3; i < 10; i++) {
      registry.tell(finished(i));
    }
    assertThat(indices(coordinator.receiveMessage())).containsExactly(3L, 4L, 5L);
    assertThat(indices(coordinator.receiveMessage())).containsExactly(6L, 7L, 8L);
    // Index 9 waits for the timer: not a moment before the interval has passed.
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.minusMillis(1), coordinator);
    manualTime.timePasses(Duration.ofMillis(1));
    assertThat(indices(coordinator.receiveMessage())).containsExactly(9L);
    testKit.stop(registry);
  }

  @Test
  void theTimerFlushesAPartialBatchAndSendsNothingWhenThereIsNothing() {
    ActorRef<NormRegistry.Command> registry = started(100);
    manualTime.expectNoMessageFor(FLUSH_INTERVAL, coordinator);
    registry.tell(finished(100));
    registry.tell(finished(101));
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.minusMillis(1), coordinator);
    manualTime.timePasses(Duration.ofMillis(1));
    assertThat(indices(coordinator.receiveMessage())).containsExactly(100L, 101L);
    // No empty batches: the coordinator hears nothing while nothing finishes.
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.multipliedBy(5), coordinator);
    registry.tell(finished(102));
    manualTime.timePasses(FLUSH_INTERVAL);
    assertThat(indices(coordinator.receiveMessage())).containsExactly(102L);
    testKit.stop(registry);
  }

  /**
   * The timer runs only while a batch is open: it starts with the batch's first record, so a
   * registry with nothing in hand (a finished run's, kept on its node) schedules nothing, and a
   * partial batch waits one interval from its first record, whatever the time before.
   */
  @Test
  void aPartialBatchWaitsOneIntervalFromItsFirstRecord() {
    ActorRef<NormRegistry.Command> registry = started(100);
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.multipliedBy(3).plusMillis(FLUSH_INTERVAL.toMillis() / 2),
        coordinator);
    registry.tell(finished(100));
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.minusMillis(1), coordinator);
    registry.tell(finished(101));
    manualTime.timePasses(Duration.ofMillis(1));
    assertThat(indices(coordinator.receiveMessage())).containsExactly(100L, 101L);
    testKit.stop(registry);
  }

  @Test
  void stopPassesOnWhatIsInHandAndStops() {
    ActorRef<NormRegistry.Command> registry = started(50);
    registry.tell(finished(50));
    registry.tell(finished(51));
    registry.tell(NormRegistry.Stop.INSTANCE);
    assertThat(indices(coordinator.receiveMessage())).containsExactly(50L, 51L);
    coordinator.expectTerminated(registry);
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.multipliedBy(3), coordinator);
  }

  @Test
  void everyRecordGoesOutExactlyOnceAndInOrderHoweverFlushesFallAmongThem() {
    int batchSize = 16;
    int total = 500;
    ActorRef<NormRegistry.Command> registry = started(batchSize);
    Random random = new Random(17);
    for (long i = batchSize; i < total; i++) {
      registry.tell(finished(i));
      if (random.nextInt(25) == 0) {
        // Sent from this thread after the records before it: the flush lands between them.
        manualTime.timePasses(FLUSH_INTERVAL);
      }
    }
    registry.tell(NormRegistry.Stop.INSTANCE);
    List<Long> received = new ArrayList<>(LongStream.range(0, batchSize).boxed().toList());
    while (received.size() < total) {
      NormRegistry.RecordBatch batch = coordinator.receiveMessage();
      assertThat(batch.records()).as("a batch is never empty nor above its size")
          .isNotEmpty().hasSizeLessThanOrEqualTo(batchSize);
      received.addAll(indices(batch));
    }
    assertThat(received).containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
    coordinator.expectTerminated(registry);
    manualTime.expectNoMessageFor(FLUSH_INTERVAL.multipliedBy(3), coordinator);
  }
}
