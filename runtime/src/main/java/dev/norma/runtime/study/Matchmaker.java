package dev.norma.runtime.study;

import dev.norma.agents.Streams;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.study.StudyPlan;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * The information-exchange rule: decides who meets whom and admits interactions only as fast as
 * they finish (credit-based flow control), so the population never floods the agents or the
 * inference endpoints and memory stays bounded.
 *
 * <p>Deterministic schedules ({@code sequential}, {@code rounds}) draw interaction i's pair from
 * the seeded {@link PairSchedule} and stamp each agent's sequence number, whatever the timing.
 * {@code continuous} pairs agents uniformly among those not busy, as they become free; its
 * sequence of pairs depends on timing and is recorded, not replayed.
 *
 * <p>Protocol: {@link Credit} from the coordinator when finished interactions reach it, in any
 * order (with the freed agents in continuous mode, and how far it has them all without a gap),
 * {@link Settled} once its journal holds them; {@link Resize} moves the window within its initial size
 * (language-model studies: it follows the inference gateway's capacity); {@link Halt} stops
 * admission; {@link Redrive} sends again the interactions still in flight that the coordinator
 * has not seen (after a lost node, their messages may be gone; agents ignore what they already
 * did). Every play carries the index below which the coordinator has everything
 * ({@code settledBelow}), so durable agents know what they may forget. Lifecycle: child of the
 * coordinator, lives as long as the run. A deterministic schedule can start part-way
 * ({@code firstIndex}, after a coordinator recovered from its journal): the schedule and the
 * sequence numbers are replayed up to there. On failure the run cannot go on consistently (the
 * sequence numbers would be lost), so the failure stops the coordinator.
 */
public final class Matchmaker extends AbstractBehavior<Matchmaker.Command> {

  public sealed interface Command permits Credit, Settled, Halt, Resize, Redrive {
  }

  /**
   * Admit at most {@code window} interactions at once from now on (at least 1, at most the
   * window the matchmaker was created with). Interactions in flight beyond it finish; no new
   * ones are admitted until fewer are in flight.
   */
  public record Resize(int window) implements Command {
  }

  /**
   * Send again every admitted interaction from {@code from} on, except those in {@code present}
   * (the coordinator has them).
   */
  public record Redrive(long from, long[] present) implements Command {
  }

  /**
   * Interactions finished since the last credit.
   *
   * @param finished      how many interactions left the window (each counted once, in any order)
   * @param freed         agents now free again (continuous schedule only, else empty)
   * @param recordedBelow the coordinator has every interaction below this index: at most a reach
   *                      ({@link RunLedger#REACH} windows) is admitted past it
   */
  public record Credit(int finished, int[] freed, long recordedBelow) implements Command {
  }

  /**
   * The coordinator's journal holds every interaction below {@code below}: later plays tell durable
   * agents they may forget those. Kept apart from {@link Credit}, which comes before the journal
   * has written: an agent that forgot an interaction the journal does not hold could not report it
   * again to a coordinator recovered from that journal, and the run would stall.
   */
  public record Settled(long below) implements Command {
  }

  /** Admit no more interactions; the reply says how many were admitted in all. */
  public record Halt(ActorRef<Halted> replyTo) implements Command {
  }

  /** @param admitted interactions admitted since the run started (the next index to admit) */
  public record Halted(long admitted) {
  }

  public static Behavior<Command> create(StudyPlan plan,
                                         ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                                         long firstIndex, int window) {
    return create(plan, agents, firstIndex, window, window);
  }

  /** A matchmaker whose window starts at {@code initialWindow} and may be resized up to {@code window}. */
  public static Behavior<Command> create(StudyPlan plan,
                                         ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                                         long firstIndex, int window, int initialWindow) {
    return create(plan, agents, null, firstIndex, window, initialWindow);
  }

  /**
   * A matchmaker that tells an initiator on this node directly once it is in {@code here} (null:
   * every play through sharding).
   */
  static Behavior<Command> create(StudyPlan plan, ActorRef<ShardingEnvelope<AgentEntity.Command>> agents,
                                  AgentsOnNode here, long firstIndex, int window, int initialWindow) {
    return Behaviors.setup(context -> new Matchmaker(context, plan, agents, here, firstIndex, window, initialWindow));
  }

  private final ActorRef<ShardingEnvelope<AgentEntity.Command>> agents;
  private final AgentsOnNode here;
  private final PairSchedule schedule;
  private final int[] sequence;
  private final long maxIndex;
  private final int maxWindow;
  private int window;
  private final String[] entityIds;
  private long nextIndex;
  private int inFlight;
  /** The coordinator has every interaction below this index (as far as credit has said). */
  private long recorded;
  /** How far past {@link #recorded} interactions may be admitted ({@link RunLedger#REACH} windows). */
  private final int reach;
  /** Interactions below this index are in the coordinator's journal: durable agents may forget them. */
  private long settled;
  /** The latest admitted plays and their initiators, by index modulo the reach, for re-driving. */
  private final AgentEntity.Play[] admittedPlays;
  private final int[] admittedInitiators;
  private boolean halted;
  // Continuous schedule: the agents not in an interaction.
  private final int[] free;
  private int freeCount;
  private final Streams.RandomStream random;

  private Matchmaker(ActorContext<Command> context, StudyPlan plan,
                     ActorRef<ShardingEnvelope<AgentEntity.Command>> agents, AgentsOnNode here, long firstIndex,
                     int window, int initialWindow) {
    super(context);
    int n = plan.populationSize();
    this.agents = agents;
    this.here = here;
    this.schedule = plan.newSchedule();
    this.sequence = new int[n];
    this.maxIndex = plan.maxInteractions();
    this.maxWindow = schedule == null ? Math.min(window, n / 2) : window;
    this.window = Math.max(1, Math.min(maxWindow, initialWindow));
    this.nextIndex = firstIndex;
    this.settled = firstIndex;
    this.recorded = firstIndex;
    this.reach = RunLedger.REACH * maxWindow;
    // Sized for the reach of the largest window a Resize may open, so slots never move when the window does.
    this.admittedPlays = new AgentEntity.Play[reach];
    this.admittedInitiators = new int[reach];
    this.entityIds = new String[n];
    for (int i = 0; i < n; i++) {
      entityIds[i] = Integer.toString(i);
    }
    if (schedule == null) {
      free = new int[n];
      for (int i = 0; i < n; i++) {
        free[i] = i;
      }
      freeCount = n;
      random = new Streams.RandomStream(plan.seed(), Streams.SCHEDULE_STREAM);
    } else {
      free = null;
      random = null;
    }
    if (firstIndex > 0) {
      fastForward(firstIndex);
    }
    admit();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Credit.class, this::onCredit)
        .onMessage(Settled.class, settledBelow -> {
          settled = Math.max(settled, settledBelow.below());
          return Behaviors.same();
        })
        .onMessage(Halt.class, this::onHalt)
        .onMessage(Resize.class, this::onResize)
        .onMessage(Redrive.class, this::onRedrive)
        .build();
  }

  /** Replays the schedule and the agents' sequence numbers up to {@code firstIndex}. */
  private void fastForward(long firstIndex) {
    if (schedule == null) {
      throw new IllegalStateException("a continuous schedule depends on timing and cannot resume part-way");
    }
    for (long i = 0; i < firstIndex; i++) {
      long pair = schedule.next();
      sequence[PairSchedule.initiator(pair)]++;
      sequence[PairSchedule.responder(pair)]++;
    }
  }

  private Behavior<Command> onRedrive(Redrive redrive) {
    long[] present = redrive.present().clone();
    java.util.Arrays.sort(present);
    long from = Math.max(redrive.from(), nextIndex - reach);
    for (long index = from; index < nextIndex; index++) {
      if (java.util.Arrays.binarySearch(present, index) >= 0) {
        continue;
      }
      int slot = (int) (index % reach);
      AgentEntity.Play play = admittedPlays[slot];
      if (play != null && play.index() == index) {
        play(admittedInitiators[slot], play);
      }
    }
    return this;
  }

  private Behavior<Command> onCredit(Credit credit) {
    inFlight -= credit.finished();
    recorded = Math.max(recorded, credit.recordedBelow());
    for (int agent : credit.freed()) {
      free[freeCount++] = agent;
    }
    admit();
    return Behaviors.same();
  }

  private Behavior<Command> onResize(Resize resize) {
    window = Math.max(1, Math.min(maxWindow, resize.window()));
    admit();
    return this;
  }

  private Behavior<Command> onHalt(Halt halt) {
    halted = true;
    halt.replyTo().tell(new Halted(nextIndex));
    return this;
  }

  private void admit() {
    while (!halted && inFlight < window && nextIndex < maxIndex && nextIndex - recorded < reach) {
      long pair = schedule != null ? schedule.next() : drawFreePair();
      if (pair < 0) {
        return;
      }
      int initiator = PairSchedule.initiator(pair);
      int responder = PairSchedule.responder(pair);
      AgentEntity.Play play = new AgentEntity.Play(nextIndex, responder, sequence[initiator]++,
          sequence[responder]++, settled);
      int slot = (int) (nextIndex % reach);
      admittedPlays[slot] = play;
      admittedInitiators[slot] = initiator;
      play(initiator, play);
      nextIndex++;
      inFlight++;
    }
  }

  /**
   * Tells the initiator its play: directly when it is live on this node, through crossings when
   * its node is known, else through sharding.
   */
  private void play(int initiator, AgentEntity.Play play) {
    ActorRef<AgentEntity.Command> live = here == null ? null : here.get(initiator);
    if (live != null) {
      live.tell(play);
    } else if (here == null || !here.sendAcross(initiator, -1, play)) {
      agents.tell(new ShardingEnvelope<>(entityIds[initiator], play));
    }
  }

  /** Two distinct free agents drawn uniformly, removed from the free set; -1 if fewer than two. */
  private long drawFreePair() {
    if (freeCount < 2) {
      return -1;
    }
    int initiator = takeFree(random.nextInt(freeCount));
    int responder = takeFree(random.nextInt(freeCount));
    return PairSchedule.pack(initiator, responder);
  }

  private int takeFree(int slot) {
    int agent = free[slot];
    free[slot] = free[--freeCount];
    return agent;
  }
}
