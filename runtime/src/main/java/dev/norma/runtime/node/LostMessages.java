package dev.norma.runtime.node;

import dev.norma.runtime.study.Crossings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * Says so when a study's message for another node was lost on the way. Artery drops a message
 * when its send queue to that node is full (or the node is gone) and hands it to dead letters,
 * silently; a run then stalls until its coordinator re-drives what it has not seen
 * ({@code norma.recovery.stall-timeout}), and a window of many interactions in flight can crawl
 * from one re-drive to the next.
 *
 * <p>Protocol: it subscribes to the node's {@link DeadLetter}s and counts those of Norma's own
 * messages bound for another node in {@code norma_node_messages_lost_total}; a burst is one
 * warning in the node's log, a second after it began and at most one every {@link #WARN_EVERY},
 * naming how many, the last one's kind and recipient, and what to change ({@code Report}, its own
 * timer). Lifecycle: one per node, from its start to its end; it holds nothing that a restart
 * would need.
 */
final class LostMessages extends AbstractBehavior<Object> {
  static final Duration WARN_EVERY = Duration.ofSeconds(10);
  static final Duration REPORT_AFTER = Duration.ofSeconds(1);

  /** Time to warn of the lost messages not reported yet. */
  private enum Report { INSTANCE }

  private final TimerScheduler<Object> timers;
  /** Null without metrics. */
  private final Counter counter;
  private long unreported;
  private DeadLetter last;
  private long lastWarned = System.nanoTime() - WARN_EVERY.toNanos();

  /** Subscribes to dead letters; {@code registry} may be null (no metrics). */
  static Behavior<Object> create(MeterRegistry registry) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new LostMessages(context, timers, registry)));
  }

  private LostMessages(ActorContext<Object> context, TimerScheduler<Object> timers, MeterRegistry registry) {
    super(context);
    this.timers = timers;
    this.counter = registry == null ? null : Counter.builder("norma.node.messages.lost")
        .description("Study messages for another node that were dropped on the way (full send queue or a lost node)")
        .register(registry);
    context.getSystem().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, context.getSelf().narrow()));
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(DeadLetter.class, this::onDeadLetter)
        .onMessageEquals(Report.INSTANCE, this::onReport)
        .build();
  }

  private Behavior<Object> onDeadLetter(DeadLetter dead) {
    if (!isLostStudyMessage(dead)) {
      return Behaviors.same();
    }
    // A delivery of crossings carries many agents' messages: each counts.
    int messages = payload(dead) instanceof Crossings.Delivery delivery ? delivery.crossings().size() : 1;
    if (counter != null) {
      counter.increment(messages);
    }
    boolean first = unreported == 0;
    unreported += messages;
    if (first) {
      long wait = Math.max(REPORT_AFTER.toNanos(), lastWarned + WARN_EVERY.toNanos() - System.nanoTime());
      timers.startSingleTimer(Report.INSTANCE, Duration.ofNanos(wait));
    }
    last = dead;
    return Behaviors.same();
  }

  private Behavior<Object> onReport() {
    getContext().getLog().warn("{} study message(s) for another node were dropped on the way, the last {} for {}:"
            + " the send queue to that node was full (raise pekko.remote.artery.advanced."
            + "outbound-message-queue-size or lower the study's schedule.inFlight) or the node is gone;"
            + " the run re-drives them after norma.recovery.stall-timeout",
        unreported, payload(last).getClass().getSimpleName(), last.recipient().path());
    unreported = 0;
    lastWarned = System.nanoTime();
    return Behaviors.same();
  }

  /** One of Norma's own messages, bound for an actor on another node. */
  static boolean isLostStudyMessage(DeadLetter dead) {
    return payload(dead).getClass().getName().startsWith("dev.norma.")
        && !dead.recipient().path().address().hasLocalScope();
  }

  /** What was lost, its sharding envelope taken off. */
  private static Object payload(DeadLetter dead) {
    return dead.message() instanceof ShardingEnvelope<?> envelope ? envelope.message() : dead.message();
  }
}
