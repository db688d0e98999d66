package dev.norma.runtime.node;

import dev.norma.runtime.inference.LlmStudy;
import dev.norma.runtime.inference.ShippedCallLog;
import dev.norma.runtime.study.RunCoordinator;
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
 * they led to. Each message of lines stays well under the transport's frame size. A message can
 * still be lost (the coordinator moving to another node, or being rebuilt): chunks of lines are
 * numbered and sent again, a tick or two after they were sent, until the coordinator acknowledges
 * them, and it journals each once, in order.
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
  static Behavior<Object> create(Supplier<ActorRef<RunCoordinator.Command>> coordinator, LlmStudy llm,
                                 ShippedCallLog log, String node) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      if (llm == null) {
        return Behaviors.receive(Object.class)
            .onMessage(NormRegistry.RecordBatch.class, batch -> {
              coordinator.get().tell(new RunCoordinator.RecordsArrived(batch));
              return Behaviors.same();
            })
            .build();
      }
      timers.startTimerWithFixedDelay(Ship.INSTANCE, SHIP_EVERY);
      return new Shipping(coordinator, llm, log, node, context.getSelf().narrow(), context.getSelf().narrow())
          .behavior(timers);
    }));
  }

  /** The forwarder of a language-model run: call lines numbered, kept until acknowledged. */
  private static final class Shipping {
    private final Supplier<ActorRef<RunCoordinator.Command>> coordinator;
    private final LlmStudy llm;
    private final ShippedCallLog log;
    private final String node;
    private final ActorRef<RunCoordinator.RunOver> overTo;
    private final ActorRef<RunCoordinator.CallsAcked> ackTo;
    /** Chunks sent and not yet acknowledged, by number. */
    private final java.util.TreeMap<Long, List<String>> unacked = new java.util.TreeMap<>();
    private long nextSeq = 1;
    /** Chunks up to this were sent before the last tick: still unacknowledged at the next, they go again. */
    private long sentBeforeLastTick;
    private boolean over;

    Shipping(Supplier<ActorRef<RunCoordinator.Command>> coordinator, LlmStudy llm, ShippedCallLog log,
             String node, ActorRef<RunCoordinator.RunOver> overTo,
             ActorRef<RunCoordinator.CallsAcked> ackTo) {
      this.coordinator = coordinator;
      this.llm = llm;
      this.log = log;
      this.node = node;
      this.overTo = overTo;
      this.ackTo = ackTo;
    }

    Behavior<Object> behavior(org.apache.pekko.actor.typed.javadsl.TimerScheduler<Object> timers) {
      return Behaviors.receive(Object.class)
          .onMessage(NormRegistry.RecordBatch.class, batch -> {
            shipNew();
            coordinator.get().tell(new RunCoordinator.RecordsArrived(batch));
            return Behaviors.same();
          })
          .onMessageEquals(Ship.INSTANCE, () -> {
            // What was sent before the last tick and is still not acknowledged goes again, in order.
            unacked.headMap(sentBeforeLastTick, true).forEach(this::send);
            shipNew();
            sentBeforeLastTick = nextSeq - 1;
            if (over && unacked.isEmpty()) {
              timers.cancel(Ship.INSTANCE);
            }
            return Behaviors.same();
          })
          .onMessage(RunCoordinator.CallsAcked.class, acked -> {
            unacked.headMap(acked.seq(), true).clear();
            return Behaviors.same();
          })
          .onMessage(RunCoordinator.RunOver.class, runOver -> {
            if (!over) {
              over = true;
              llm.close(); // no call is made after this; lines still held go on being shipped
            }
            return Behaviors.same();
          })
          .build();
    }

    private void shipNew() {
      for (List<String> chunk : log.drain(CHUNK_BYTES)) {
        long seq = nextSeq++;
        unacked.put(seq, chunk);
        send(seq, chunk);
      }
      if (!over) {
        coordinator.get().tell(new RunCoordinator.UsageReported(node, llm.usage(), overTo));
        String unanswered = llm.gateway().unanswered();
        if (unanswered != null) {
          // This node's agents cannot decide: the run fails rather than crawl through retries.
          coordinator.get().tell(new RunCoordinator.Fail("node " + node + ": " + unanswered));
        }
      }
    }

    private void send(long seq, List<String> lines) {
      coordinator.get().tell(new RunCoordinator.CallsArrived(node, seq, lines, ackTo));
    }
  }
}
