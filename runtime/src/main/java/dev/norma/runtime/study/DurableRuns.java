package dev.norma.runtime.study;

import dev.norma.agents.study.StudyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/** What a durable run keeps beside its results, and how a local one starts its agents. */
public final class DurableRuns {
  /** The folder of a run directory that holds a local durable run's journal and id. */
  public static final String JOURNAL_DIR = "journal";
  private static final String RUN_ID_FILE = "run-id";

  private DurableRuns() {
  }

  /** A new random run id: 12 hex digits. */
  public static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Whether {@code runDirectory} belongs to a durable run that can be resumed. */
  public static boolean isDurable(Path runDirectory) {
    return Files.isRegularFile(runDirectory.resolve(JOURNAL_DIR).resolve(RUN_ID_FILE));
  }

  /** The run id kept in {@code runDirectory}, or a new one, which is then kept there. */
  public static String runId(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(JOURNAL_DIR).resolve(RUN_ID_FILE);
    if (Files.isRegularFile(file)) {
      return Files.readString(file).strip();
    }
    Files.createDirectories(file.getParent());
    String runId = newRunId();
    Files.writeString(file, runId + "\n");
    return runId;
  }

  /** One node runs everything: the registry is the coordinator's child, the agents durable entities. */
  static JournaledCoordinator.RunAgents localAgents(ActorSystem<?> system, String runId, StudyPlan plan,
                                                    RunSettings settings) {
    return (context, batches) -> {
      int window = plan.deterministic() ? plan.spec().schedule().inFlight()
          : Math.max(1, Math.min(plan.spec().schedule().inFlight(), plan.populationSize() / 2));
      ActorRef<NormRegistry.Command> registry = context.spawn(NormRegistry.create(batches,
          ExperimentCoordinator.batchSizeFor(window, settings), settings.registryFlushInterval()), "norm-registry");
      StudyContext[] study = new StudyContext[1];
      ActorRef<ShardingEnvelope<AgentEntity.Command>> agents = AgentEntity.initSharding(system, runId, settings,
          agentId -> DurableAgentEntity.create(agentId, study[0]));
      study[0] = new StudyContext(runId, plan, agents, registry);
      return agents;
    };
  }
}
