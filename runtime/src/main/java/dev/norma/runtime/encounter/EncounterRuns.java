package dev.norma.runtime.encounter;

import dev.norma.agents.Mind;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.game.Games;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.LlmPolicySpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.LlmStudy;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.runtime.study.DurableRuns;
import dev.norma.runtime.study.RunSettings;
import dev.norma.runtime.study.StayingAllocation;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.TransientJournal;
import dev.norma.runtime.study.ProgressListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Studies of encounter games ({@link EncounterGame}: n participants, one pure rule over their
 * minds, or a conversation of turns through a language model) on a running node: the agents as
 * sharded {@link EncounterAgent}s, an {@link EncounterCoordinator}, the run directory, and with
 * language-model agents the run's gateway and call journal ({@code calls.jsonl.gz}). A durable run
 * journals each settled encounter through its coordinator and is resumed from that journal (its
 * id and database kept in the run directory, as the naming games' are).
 *
 * <p>On a cluster every node starts the run's shard region ({@link #agentsOnNode}), so the agents
 * spread over the nodes, and one node runs the coordinator with its encounters
 * ({@link #startOnNode}): each encounter borrows its participants' minds from wherever they live
 * and plays on the coordinator's node, where the run directory and, with language-model agents,
 * the run's gateway are.
 */
public final class EncounterRuns {
  private EncounterRuns() {
  }

  /** The study of {@code spec} (its seed set) as an encounter game, or null when its game is a two-party one. */
  public static EncounterGame<? extends Mind> gameOf(ExperimentSpec spec) {
    return Games.forKind(spec.game().kind()).encounters(spec, spec.seed());
  }

  /**
   * Why {@code spec}'s encounter game cannot run as asked, as one line, or null when it can (or
   * the game is a two-party one).
   *
   * @param onCluster whether it is asked of a cluster (which runs every encounter game a machine runs)
   */
  public static String refusal(ExperimentSpec spec, boolean onCluster) {
    if (gameOf(spec.seed() == null ? spec.withSeed(0) : spec) == null) {
      return null;
    }
    if (PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()))) {
      if (!LlmPolicySpec.NONE.equals(spec.policy().llm().constrained())) {
        return "policy.llm.constrained: game.kind '" + spec.game().kind() + "' asks each turn among options of"
            + " its own, and constrained decoding sends one list for a whole run; expected 'none', got '"
            + spec.policy().llm().constrained() + "'";
      }
      for (int i = 0; i < spec.inference().endpoints().size(); i++) {
        if (spec.inference().endpoints().get(i).local()) {
          return "inference.endpoints[" + i + "].kind: a local endpoint constrains every answer to one list of"
              + " options, and game.kind '" + spec.game().kind() + "' asks each turn among options of its own;"
              + " use an OpenAI-compatible server (kind chat or completions)";
        }
      }
    }
    return null;
  }

  /**
   * Runs the study of {@code game}, made from {@code spec} (its seed set), as its reference
   * {@link EncounterLoop} on this thread, writing {@code output} (absent or empty) as the engine
   * writes a run: {@code spec.yaml}, {@code rounds.csv}, {@code interventions.csv} when the study
   * has interventions and, when {@code output.interactions} is on, {@code interactions.csv.gz}, so an engine run's files can be compared with it byte for
   * byte. No report or summary.
   *
   * @return why the loop stopped: the measures' reason, or {@link EncounterLoop#MAX_ROUNDS}
   */
  public static String writeLoop(ExperimentSpec spec, EncounterGame<? extends Mind> game, Path output)
      throws IOException {
    try (EncounterFiles files = new EncounterFiles(output, spec, game)) {
      return playInto(files, game, spec.population().size(), spec.stop().maxRounds());
    }
  }

  private static <M extends Mind> String playInto(EncounterFiles files, EncounterGame<M> game, int populationSize,
                                                  long maxRounds) {
    EncounterLoop<M> loop = new EncounterLoop<>(game, populationSize);
    return loop.run(maxRounds, new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
        files.encounter(index, members, outcome);
      }

      @Override
      public void round(long round, double[] row) {
        files.round(round, loop.encounters(), row);
      }

      @Override
      public void transcript(long index, int[] members, java.util.List<dev.norma.agents.encounter.Utterance> lines) {
        files.transcript(index, lines);
      }
    });
  }

  /**
   * A study under way: its summary when it ends, how to interrupt it, how to end it now with an
   * outcome and a reason of the caller's (a cancelled or failed run on a cluster), and how to tell
   * it that a node (its address given) left the cluster: a durable run then redoes what was under
   * way from its settled encounters.
   */
  public record Running(CompletableFuture<Summary> done, Runnable interrupt,
                        java.util.function.BiConsumer<RunOutcome, String> end,
                        java.util.function.Consumer<String> nodeLost) {
  }

  /**
   * Starts the study of {@code spec} on {@code system} (a node of a cluster that is up), writing
   * {@code output} (absent or empty).
   */
  public static Running start(ActorSystem<?> system, ExperimentSpec spec, Path output, ProgressListener progress)
      throws IOException {
    if (spec.seed() == null) {
      throw new IllegalArgumentException("the spec's seed must be resolved before a run");
    }
    EncounterGame<? extends Mind> game = gameOf(spec);
    if (game == null) {
      throw new IllegalArgumentException("game.kind '" + spec.game().kind() + "' is not an encounter game");
    }
    return start(system, spec, game, output, progress, StudyOptions.defaults());
  }

  /** Starts a study of {@code game}, made from {@code spec} (its seed set), with the default options. */
  public static Running start(ActorSystem<?> system, ExperimentSpec spec, EncounterGame<? extends Mind> game,
                              Path output, ProgressListener progress) throws IOException {
    return start(system, spec, game, output, progress, StudyOptions.defaults());
  }

  /**
   * Starts a study of {@code game}, made from {@code spec} (its seed set), writing {@code output},
   * in memory whatever the spec's durability; language-model agents are answered by
   * {@code options.replay()} where it can.
   */
  public static Running start(ActorSystem<?> system, ExperimentSpec spec, EncounterGame<? extends Mind> game,
                              Path output, ProgressListener progress, StudyOptions options) throws IOException {
    return start(system, spec, game, output, progress, options, false);
  }

  /**
   * Starts a study as {@link #start(ActorSystem, ExperimentSpec, EncounterGame, Path, ProgressListener,
   * StudyOptions)}; a {@code durable} one journals to the system's configured journal (a durable
   * runner's database) under the run id kept in {@code output}, and goes on from that journal when
   * {@code output} holds a run begun before.
   */
  public static Running start(ActorSystem<?> system, ExperimentSpec spec, EncounterGame<? extends Mind> game,
                              Path output, ProgressListener progress, StudyOptions options, boolean durable)
      throws IOException {
    String runId = durable ? DurableRuns.runId(output) : UUID.randomUUID().toString();
    return start(system, runId, spec, game, agentsOnNode(system, runId, game, null), output, progress, options,
        Tags.empty(), durable);
  }

  /**
   * This node's shard region of run {@code runId}'s agents (every node of a cluster starts one, so
   * the agents spread over them; a shard never moves once placed, as an agent's mind lives only in
   * its entity between the settled encounters the coordinator journals, except that a lost node's
   * shards are placed again on the nodes left, where a durable run gives their agents their minds back).
   *
   * @param home the node every shard goes to (a run placed on one node), or null to spread them
   */
  public static ActorRef<ShardingEnvelope<EncounterAgent.Command>> agentsOnNode(
      ActorSystem<?> system, String runId, EncounterGame<? extends Mind> game, Address home) {
    StayingAllocation allocation = home == null ? new StayingAllocation()
        : new StayingAllocation(home, Cluster.get(system).selfMember().address());
    return ClusterSharding.get(system).init(
        Entity.of(EncounterAgent.typeKey(runId),
                context -> EncounterAgent.create(game, Integer.parseInt(context.getEntityId())))
            .withAllocationStrategy(allocation)
            .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /**
   * Starts the coordinator of run {@code runId} (submitted to a cluster) on this node, with its
   * encounters, writing {@code output}; {@code agents} is this node's region of the run's agents
   * ({@link #agentsOnNode}). A durable run journals to the cluster's database under {@code runId}
   * and goes on from that journal, wherever it was written. With language-model agents, the run's
   * gateway meters go to {@code meters} (the node's, scraped), tagged with the run.
   */
  public static Running startOnNode(ActorSystem<?> system, String runId, ExperimentSpec spec,
                                    ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, Path output,
                                    ProgressListener progress, MeterRegistry meters) throws IOException {
    return start(system, runId, spec, gameOf(spec), agents, output, progress, new StudyOptions(null, meters),
        Tags.of("run", runId), spec.durable());
  }

  private static Running start(ActorSystem<?> system, String runId, ExperimentSpec spec,
                               EncounterGame<? extends Mind> game,
                               ActorRef<ShardingEnvelope<EncounterAgent.Command>> agents, Path output,
                               ProgressListener progress, StudyOptions options, Tags meterTags, boolean durable)
      throws IOException {
    // Going on from an earlier session: one that got as far as writing a result file.
    boolean resuming = durable && (java.nio.file.Files.exists(output.resolve("rounds.csv"))
        || java.nio.file.Files.exists(output.resolve(dev.norma.runtime.inference.CallJournal.FILE)));
    boolean llm = PolicySpec.LLM.equals(spec.policy().resolvedKind(spec.game()));
    if (llm && game.conversations() == null) {
      throw new IllegalArgumentException("game.kind '" + spec.game().kind() + "' has no language-model policy");
    }
    EncounterFiles files = durable
        ? EncounterFiles.rewrite(output, spec, game)
        : new EncounterFiles(output, spec, game);
    LlmStudy study = null;
    if (llm) {
      try {
        study = LlmStudy.startEncounters(system, spec, game.conversations(), output,
            InferenceSettings.fromConfig(system.settings().config()), options.meters(), meterTags,
            options.replay(), resuming, options.journalReading());
      } catch (IOException | RuntimeException e) {
        files.close();
        throw e;
      }
    }
    CompletableFuture<Summary> done = new CompletableFuture<>();
    ActorRef<EncounterCoordinator.Command> coordinator = system.systemActorOf(
        EncounterCoordinator.create(new EncounterCoordinator.Setup(runId, spec, game, spec.population().size(),
            agents, files, progress, done, study, durable ? null : TransientJournal.PLUGIN_ID, durable,
            RunSettings.fromConfig(system.settings().config()).stallTimeout())),
        "encounters-" + runId, org.apache.pekko.actor.typed.Props.empty());
    return new Running(done, () -> coordinator.tell(new EncounterCoordinator.Interrupt()),
        (outcome, reason) -> coordinator.tell(new EncounterCoordinator.End(outcome, reason)),
        address -> coordinator.tell(new EncounterCoordinator.NodeLost(address)));
  }
}
