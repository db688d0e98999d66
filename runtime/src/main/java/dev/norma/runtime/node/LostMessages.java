package dev.norma.runtime.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * Says so when a study's message for another node was lost on the way: Artery drops a message
 * when its send queue to that node is full (or the node is gone) and hands it to dead letters,
 * silently. A run then stalls until its coordinator re-drives what it has not seen
 * ({@code norma.recovery.stall-timeout}), and a window of many interactions in flight can crawl
 * from one re-drive to the next. Counted in {@code norma_node_messages_lost_total}; a burst is
 * one warning, at most one every {@link #WARN_EVERY}, naming how many and what to change.
 */
final class LostMessages {
  static final Duration WARN_EVERY = Duration.ofSeconds(10);
  static final Duration REPORT_AFTER = Duration.ofSeconds(1);

  private LostMessages() {
  }

  /** Subscribes to dead letters; {@code registry} may be null (no metrics). */
  static Behavior<Object> create(MeterRegistry registry) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSystem().eventStream().tell(
          new EventStream.Subscribe<>(DeadLetter.class, context.getSelf().narrow()));
      Counter counter = registry == null ? null : Counter.builder("norma.node.messages.lost")
          .description("Study messages for another node that were dropped on the way (full send queue or a lost node)")
          .register(registry);
      long[] unreported = new long[1];
      DeadLetter[] last = new DeadLetter[1];
      long[] lastWarned = new long[] {System.nanoTime() - WARN_EVERY.toNanos()};
      return Behaviors.receiveMessage(message -> {
        if (message instanceof DeadLetter dead && isLostStudyMessage(dead)) {
          if (counter != null) {
            counter.increment();
          }
          if (unreported[0]++ == 0) {
            // A burst is reported as one line, a second after it began (and WARN_EVERY after the last).
            long wait = Math.max(REPORT_AFTER.toNanos(), lastWarned[0] + WARN_EVERY.toNanos() - System.nanoTime());
            timers.startSingleTimer(Report.INSTANCE, Duration.ofNanos(wait));
          }
          last[0] = dead;
        } else if (message == Report.INSTANCE && unreported[0] > 0) {
          context.getLog().warn("{} study message(s) for another node were dropped on the way, the last {} for {}:"
                  + " the send queue to that node was full (raise pekko.remote.artery.advanced."
                  + "outbound-message-queue-size or lower the study's schedule.inFlight) or the node is gone;"
                  + " the run re-drives them after norma.recovery.stall-timeout",
              unreported[0], describe(last[0]), last[0].recipient().path());
          unreported[0] = 0;
          lastWarned[0] = System.nanoTime();
        }
        return Behaviors.same();
      });
    }));
  }

  private enum Report { INSTANCE }

  /** One of Norma's own messages, bound for an actor on another node. */
  static boolean isLostStudyMessage(DeadLetter dead) {
    Object message = dead.message() instanceof ShardingEnvelope<?> envelope ? envelope.message() : dead.message();
    return message.getClass().getName().startsWith("dev.norma.")
        && !dead.recipient().path().address().hasLocalScope();
  }

  /** What was lost, its sharding envelope taken off. */
  static String describe(DeadLetter dead) {
    Object message = dead.message() instanceof ShardingEnvelope<?> envelope ? envelope.message() : dead.message();
    return message.getClass().getSimpleName();
  }
}
