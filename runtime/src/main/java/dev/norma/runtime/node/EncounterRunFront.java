package dev.norma.runtime.node;

import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.encounter.EncounterAgent;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.RunCoordinator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * An encounter game's run on a cluster, as the node API and the other nodes see it: it answers the
 * run coordinator's protocol ({@link RunCoordinator.GetStatus}, {@link RunCoordinator.Cancel},
 * {@link RunCoordinator.Fail}, {@link RunCoordinator.NodeLost}) for the encounter coordinator it
 * starts on its node ({@link EncounterRuns#startOnNode}), which writes the run directory here. A
 * non-durable run's front lives on the node that took the submission; a durable run's is a cluster
 * singleton, journaling to the cluster's database.
 *
 * <p>It starts the coordinator once every member that is up has started its region of the run's
 * agents (as each does when it learns of the run), or after {@link #REGIONS_WAIT} whatever: a
 * shard is placed on the node holding the fewest when its first agent is asked for, and never
 * moves, so agents asked for before a node's region is there would all stay off that node.
 *
 * <p>A durable run survives a lost node. Its journal holds every settled encounter with its
 * participants' minds: told of the loss ({@link RunCoordinator.NodeLost}), the coordinator stops
 * the encounters under way, gives every agent its last settled mind (the agents that lived on the
 * lost node are re-created by sharding on the nodes left) and admits again every encounter not
 * settled, with the same slots and turns, so the run's files equal an uninterrupted run's. When
 * the lost node held this front, the singleton starts again on another node and its coordinator
 * recovers from the journal, rebuilding the run directory there. A non-durable run has no journal
 * to redo from: its agents' minds on the lost node are gone, so it ends as failed, saying to run
 * it with {@code durability: durable} ({@link NodeStudies} tells it so; a run placed whole on one
 * node goes on when another node leaves).
 *
 * <p>Lifecycle: starts the run when it starts; stays after the run ends to answer its status.
 */
final class EncounterRunFront extends AbstractBehavior<RunCoordinator.Command> {

  /** The run ended: its summary, or why there is none. */
  private record Ended(Summary summary, Throwable failure) implements RunCoordinator.Command {
  }

  /** How many nodes hold a region of the run's agents now (or -1 when the count did not come). */
  private record Regions(int count) implements RunCoordinator.Command {
  }

  /** Time to ask how many regions there are again. */
  private enum AskRegions implements RunCoordinator.Command {
    INSTANCE
  }

  /** The latest progress, from the coordinator's thread. */
  private record Progressed(ProgressListener.Snapshot snapshot) implements RunCoordinator.Command {
  }

  /**
   * @param agents     this node's region of the run's agents
   * @param output     the run directory, on this node
   * @param resultsUrl this node's HTTP address, where the run's files are fetched
   * @param meters     the run's population meters on this node
   * @param registry   this node's meters, where the run's gateway meters go (tagged with the run)
   */
  static Behavior<RunCoordinator.Command> create(String runId, ExperimentSpec spec,
                                                 ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents,
                                                 Path output, String resultsUrl, ProgressListener meters,
                                                 MeterRegistry registry, boolean onOneNode) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new EncounterRunFront(context, timers, runId,
        spec, agents, output, resultsUrl, meters, registry, onOneNode)));
  }

  /** The longest the coordinator waits for the other members' regions. */
  static final Duration REGIONS_WAIT = Duration.ofSeconds(10);

  private final ActorContext<RunCoordinator.Command> context;
  private final TimerScheduler<RunCoordinator.Command> timers;
  private final String runId;
  private final ExperimentSpec spec;
  private final ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents;
  private final Path output;
  private final String resultsUrl;
  private final ProgressListener progress;
  private final MeterRegistry registry;
  private final long waitUntil = System.nanoTime() + REGIONS_WAIT.toNanos();
  private EncounterRuns.Running running;
  private boolean startFailed;
  private ProgressListener.Snapshot latest;
  private Summary summary;
  /** Why the run failed, when it did (the summary then says so too, once written). */
  private String failure;
  private final List<ActorRef<RunStatus>> cancelling = new ArrayList<>();
  /** The nodes that left before the coordinator started here. */
  private final List<String> lostBeforeStart = new ArrayList<>();

  private EncounterRunFront(ActorContext<RunCoordinator.Command> context,
                            TimerScheduler<RunCoordinator.Command> timers, String runId, ExperimentSpec spec,
                            ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, Path output,
                            String resultsUrl, ProgressListener meters, MeterRegistry registry,
                            boolean onOneNode) {
    super(context);
    this.registry = registry;
    this.context = context;
    this.timers = timers;
    this.runId = runId;
    this.spec = spec;
    this.agents = agents;
    this.output = output;
    this.resultsUrl = resultsUrl;
    ActorRef<RunCoordinator.Command> self = context.getSelf();
    this.progress = new ProgressListener() {
      @Override
      public void update(Snapshot snapshot) {
        meters.update(snapshot);
        self.tell(new Progressed(snapshot));
      }

      @Override
      public void finished(Summary finished) {
        meters.finished(finished);
      }
    };
    if (onOneNode) {
      start();
    } else {
      askRegions();
    }
  }

  private void askRegions() {
    context.ask(ClusterShardingStats.class, ClusterSharding.get(context.getSystem()).shardState(),
        Duration.ofSeconds(2),
        replyTo -> new GetClusterShardingStats(EncounterAgent.typeKey(runId), Duration.ofSeconds(1), replyTo),
        (stats, failed) -> new Regions(stats == null ? -1 : stats.getRegions().size()));
  }

  private Behavior<RunCoordinator.Command> onRegions(Regions regions) {
    if (running != null || startFailed) {
      return this;
    }
    if (regions.count() >= membersUp() || System.nanoTime() > waitUntil) {
      start();
    } else {
      timers.startSingleTimer(AskRegions.INSTANCE, Duration.ofMillis(200));
    }
    return this;
  }

  private int membersUp() {
    int up = 0;
    for (Member member : Cluster.get(context.getSystem()).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  private void start() {
    try {
      running = EncounterRuns.startOnNode(context.getSystem(), runId, spec, agents, output, progress, registry);
      context.pipeToSelf(running.done(), Ended::new);
      lostBeforeStart.forEach(running.nodeLost());
    } catch (Exception e) {
      startFailed = true;
      failure = "the run could not start on this node: " + e.getMessage();
      context.getLog().error("run {}: {}", runId, failure, e);
    }
  }

  @Override
  public Receive<RunCoordinator.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Progressed.class, progressed -> {
          latest = progressed.snapshot();
          return this;
        })
        .onMessage(Ended.class, this::onEnded)
        .onMessage(Regions.class, this::onRegions)
        .onMessageEquals(AskRegions.INSTANCE, () -> {
          askRegions();
          return this;
        })
        .onMessage(RunCoordinator.GetStatus.class, ask -> {
          ask.replyTo().tell(status(null));
          return this;
        })
        .onMessage(RunCoordinator.Cancel.class, cancel -> {
          if (ended() || !endNow(RunOutcome.CANCELLED, "cancelled")) {
            cancel.replyTo().tell(status(null));
          } else {
            cancelling.add(cancel.replyTo());
          }
          return this;
        })
        .onMessage(RunCoordinator.Fail.class, fail -> fail(fail.reason()))
        .onMessage(RunCoordinator.NodeLost.class, this::onNodeLost)
        .build();
  }

  /**
   * A durable run redoes what was under way from its journal; one not started yet starts from the
   * journal anyway. A non-durable one cannot (its agents' minds there are gone).
   */
  private Behavior<RunCoordinator.Command> onNodeLost(RunCoordinator.NodeLost lost) {
    if (!spec.durable()) {
      return fail("node " + lost.address() + " left the cluster, and this non-durable study's agents there held"
          + " their minds between encounters; run it with durability: durable to survive a lost node");
    }
    if (running == null) {
      lostBeforeStart.add(lost.address()); // told once it starts: it watches that it settles again
    } else if (!ended()) {
      running.nodeLost().accept(lost.address());
    }
    return this;
  }

  private boolean ended() {
    return summary != null || (running != null && running.done().isDone());
  }

  private Behavior<RunCoordinator.Command> fail(String reason) {
    if (!ended() && failure == null) {
      failure = reason;
      endNow(RunOutcome.FAILED, reason);
    }
    return this;
  }

  /**
   * Ends the run now as {@code outcome}; one still waiting for the other members' regions is
   * started first, so that it ends with its files and summary like any other.
   *
   * @return whether there is a run to end (false when it could not start here)
   */
  private boolean endNow(RunOutcome outcome, String reason) {
    if (running == null && !startFailed) {
      start();
    }
    if (running == null) {
      return false;
    }
    running.end().accept(outcome, reason);
    return true;
  }

  private Behavior<RunCoordinator.Command> onEnded(Ended ended) {
    summary = ended.summary();
    if (ended.failure() != null && failure == null) {
      failure = "the run's coordinator failed: " + ended.failure().getMessage();
    }
    for (ActorRef<RunStatus> replyTo : cancelling) {
      replyTo.tell(status(null));
    }
    cancelling.clear();
    // Their minds are in the run's files (and a durable run's journal): free them on every node.
    for (int agent = 0; agent < spec.population().size(); agent++) {
      agents.tell(new ShardingEnvelope<>(Integer.toString(agent), EncounterAgent.Retire.INSTANCE));
    }
    return this;
  }

  private RunStatus status(String message) {
    String state = summary != null ? summary.status().wireName()
        : startFailed ? "failed" : running == null || latest == null ? "starting" : "running";
    ProgressListener.Snapshot s = latest == null ? new ProgressListener.Snapshot(0, spec.stop().maxRounds(), 0,
        0, "", 0, 0) : latest;
    return new RunStatus(runId, spec.name(), state, spec.durable(), s.interactions(), s.round(), s.maxRounds(),
        Double.isNaN(s.successRate()) ? 0 : s.successRate(), s.topName(),
        Double.isNaN(s.topShare()) ? 0 : s.topShare(), s.perSecond(), resultsUrl,
        message != null ? message : failure, summary);
  }
}
