package dev.norma.runtime.study;

import dev.norma.protocols.record.InteractionRecord;
import dev.norma.protocols.wire.CompactSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node-level half of the population measures: collects the interactions finished on this
 * node (one message each, local) and passes them on in batches to the run's coordinator, which
 * combines the nodes' batches in index order. Batching keeps the coordinator to one message per
 * few hundred interactions, so neither actor is a bottleneck as nodes are added.
 *
 * <p>Protocol: {@link InteractionFinished} from agent entities; a partial batch goes out at the
 * latest one flush interval after its first record, so that slow studies still report promptly.
 * The timer runs only while a batch is open, so a registry with nothing in hand schedules nothing.
 * Lifecycle: one per run per node; a local run stops it with the run, while a cluster node keeps
 * a finished run's registry with its other parts (the coordinator stays to answer status). On
 * failure the batch in hand would be lost, so it resumes rather than restarts.
 */
public final class NormRegistry extends AbstractBehavior<NormRegistry.Command> {

  public sealed interface Command permits InteractionFinished, Flush, Stop {
  }

  /** Pass on what is in hand and stop (the run is over). */
  public enum Stop implements Command {
    INSTANCE
  }

  /** One finished interaction, from the initiating agent. */
  public record InteractionFinished(InteractionRecord record) implements Command {
  }

  private enum Flush implements Command {
    INSTANCE
  }

  /** A batch of finished interactions, in the order this node saw them (compact binary on the wire). */
  public record RecordBatch(List<InteractionRecord> records) implements CompactSerializable {
  }

  public static Behavior<Command> create(ActorRef<RecordBatch> coordinator, int batchSize,
                                         Duration flushInterval) {
    return Behaviors.<Command>supervise(Behaviors.setup(context -> Behaviors.withTimers(timers ->
            new NormRegistry(context, timers, coordinator, batchSize, flushInterval))))
        .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.resume());
  }

  private final ActorRef<RecordBatch> coordinator;
  private final int batchSize;
  private final TimerScheduler<Command> timers;
  private final Duration flushInterval;
  private List<InteractionRecord> batch;

  private NormRegistry(ActorContext<Command> context, TimerScheduler<Command> timers,
                       ActorRef<RecordBatch> coordinator, int batchSize, Duration flushInterval) {
    super(context);
    this.coordinator = coordinator;
    this.batchSize = batchSize;
    this.timers = timers;
    this.flushInterval = flushInterval;
    this.batch = new ArrayList<>(batchSize);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(InteractionFinished.class, this::onFinished)
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .onMessageEquals(Stop.INSTANCE, () -> {
          onFlush();
          return Behaviors.stopped();
        })
        .build();
  }

  private Behavior<Command> onFinished(InteractionFinished message) {
    batch.add(message.record());
    if (batch.size() >= batchSize) {
      flush();
    } else if (batch.size() == 1) {
      timers.startSingleTimer(Flush.INSTANCE, flushInterval);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onFlush() {
    if (!batch.isEmpty()) {
      flush();
    }
    return Behaviors.same();
  }

  private void flush() {
    timers.cancel(Flush.INSTANCE);
    coordinator.tell(new RecordBatch(batch));
    batch = new ArrayList<>(batchSize);
  }
}
