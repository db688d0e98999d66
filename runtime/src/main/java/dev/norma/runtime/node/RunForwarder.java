package dev.norma.runtime.node;

import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.inference.ShippedCallLog;
import dev.norma.runtime.study.JournaledCoordinator;
import dev.norma.runtime.study.NormRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One per run on each node: passes the node's registry batches to the run's coordinator and,
 * with language-model agents, first the call lines their gateway wrote and its latest figures,
 * so the coordinator has journaled the calls behind every interaction it records. Lines and
 * figures also go on a timer while no batch does. When the coordinator answers that the run is
 * over, the node's gateway closes.
 *
 * <p>Messages from one actor to another arrive in the order sent, so lines precede the records
 * they led to. Each message of lines stays well under the transport's frame size.
 */
final class RunForwarder {
  /** Bytes of call lines per message: well under Artery's default 256 KiB frame. */
  static final int CHUNK_BYTES = 64 * 1024;
  static final Duration SHIP_EVERY = Duration.ofSeconds(1);

  private RunForwarder() {
  }

  private enum Ship {
    INSTANCE
  }

  /**
   * @param coordinator the run's coordinator (a singleton proxy, or the actor itself)
   * @param llm         this node's language-model part of the run, or null
   * @param log         where its gateway writes call lines (with {@code llm})
   * @param node        this node's unique address, naming its reports
   */
  static Behavior<Object> create(Supplier<ActorRef<JournaledCoordinator.Command>> coordinator, LlmStudy llm,
                                 ShippedCallLog log, String node) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      boolean[] over = {llm == null};
      if (llm != null) {
        timers.startTimerWithFixedDelay(Ship.INSTANCE, SHIP_EVERY);
      }
      ActorRef<JournaledCoordinator.RunOver> replyTo = context.getSelf().narrow();
      Runnable ship = () -> {
        if (over[0]) {
          return;
        }
        ActorRef<JournaledCoordinator.Command> to = coordinator.get();
        for (List<String> chunk : log.drain(CHUNK_BYTES)) {
          to.tell(new JournaledCoordinator.CallsArrived(chunk));
        }
        to.tell(new JournaledCoordinator.UsageReported(node, llm.usage(), replyTo));
      };
      return Behaviors.receive(Object.class)
          .onMessage(NormRegistry.RecordBatch.class, batch -> {
            ship.run();
            coordinator.get().tell(new JournaledCoordinator.RecordsArrived(batch));
            return Behaviors.same();
          })
          .onMessageEquals(Ship.INSTANCE, () -> {
            ship.run();
            return Behaviors.same();
          })
          .onMessage(JournaledCoordinator.RunOver.class, runOver -> {
            if (!over[0]) {
              over[0] = true;
              timers.cancel(Ship.INSTANCE);
              llm.close();
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
