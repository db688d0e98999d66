package dev.norma.runtime.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norma.protocols.run.RunStatus;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.study.RunCoordinator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The node's small HTTP API, the same on every node (any node can take any request):
 *
 * <pre>
 * GET  /health                      ok
 * GET  /cluster                     this node's address and the members it sees, with their status and
 *                                   HTTP API (null until this node has heard it)
 * GET  /runs                        the runs this node knows, with their names
 * POST /runs                        submit a resolved spec (YAML body); 201 {"runId": ...};
 *                                   ?placement=node: a non-durable run lives wholly on the node taking it
 * GET  /runs/{id}                   the run's status (JSON)
 * POST /runs/{id}/cancel            end the run now; its status after
 * GET  /runs/{id}/shards            the run's agent shards held by this node, and its live agents (an
 *                                   encounter game's too); once the run is over and the node has
 *                                   let go of its part, the shards it held, none live, released
 * GET  /runs/{id}/files/{file}      spec.yaml, rounds.csv, interactions.csv.gz, their .parquet copies, summary.json, report.png,
 *                                   calls.jsonl.gz;
 *                                   redirected to the node whose disk holds the run directory
 * </pre>
 *
 * When the node has a token, every route but {@code /health} needs {@code Authorization: Bearer
 * TOKEN}: run files hold every prompt and answer, statuses name the studies. With public reads,
 * the {@code GET} routes need none (submitting and cancelling still do). A file redirect names
 * another member of this cluster, never a host of a client's or a submitter's choosing; clients
 * carry the token there only when it is the node holding the run's results.
 *
 * <p>Runs whose directories are in the node's data folder from an earlier session (a restart on
 * the same {@code --data}) are listed and served too: their status from their {@code summary.json}.
 */
public final class NodeApi extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final ActorRef<NodeStudies.Command> studies;
  private final Map<String, RunHandle> handles;
  /** Every member's HTTP API by cluster address, as far as this node has heard ({@link NodeDirectory}). */
  private final Map<String, String> nodeUrls;
  private final Path dataDir;
  /** SHA-256 of the token's bytes, or null without a token: compared in constant time whatever the length. */
  private final byte[] tokenDigest;
  private final boolean publicReads;
  private volatile String selfUrl;

  /**
   * @param token       the token every route but {@code /health} requires, or null for none
   * @param publicReads whether reads need no token
   */
  public NodeApi(ActorSystem<?> system, ActorRef<NodeStudies.Command> studies, Map<String, RunHandle> handles,
                 Map<String, String> nodeUrls, Path dataDir, String token, boolean publicReads) {
    this.system = system;
    this.studies = studies;
    this.handles = handles;
    this.nodeUrls = nodeUrls;
    this.dataDir = dataDir;
    this.tokenDigest = token == null || token.isBlank() ? null : sha256(token);
    this.publicReads = publicReads;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** Earlier runs found in the data folder when this node started (see {@link EarlierRuns}). */
  private volatile Map<String, RunStatus> earlier = Map.of();

  void selfUrl(String url) {
    this.selfUrl = url;
    // A node restarted on the same data folder serves the runs it holds there again.
    this.earlier = EarlierRuns.scan(dataDir, url);
  }

  public Route route() {
    return concat(
        path("health", () -> get(() -> complete("ok"))),
        path("cluster", () -> get(() -> reading(this::members))),
        pathPrefix("runs", () -> concat(
            pathEnd(() -> concat(
                get(() -> reading(this::listRuns)),
                post(() -> authorized(() -> parameterOptional("placement", placement ->
                    entity(Unmarshaller.entityToString(), spec -> submit(spec, placement.orElse(SPREAD)))))))),
            pathPrefix(PathMatchers.segment(), runId -> concat(
                pathEnd(() -> get(() -> reading(() -> completeWithFuture(status(runId))))),
                path("cancel", () -> post(() -> authorized(() -> completeWithFuture(cancel(runId))))),
                path("shards", () -> get(() -> reading(() -> completeWithFuture(shards(runId))))),
                path(PathMatchers.segment("files").slash(PathMatchers.segment()),
                    file -> get(() -> reading(() -> file(runId, file)))))))));
  }

  /** A read: needs the token unless the node's reads are public. */
  private Route reading(Supplier<Route> inner) {
    return publicReads ? inner.get() : authorized(inner);
  }

  private Route authorized(Supplier<Route> inner) {
    if (tokenDigest == null) {
      return inner.get();
    }
    return optionalHeaderValueByName("Authorization", header -> {
      String presented = header.filter(value -> value.startsWith("Bearer ")).map(value -> value.substring(7))
          .orElse("");
      // Digests of equal length: the comparison takes as long whatever was presented.
      boolean ok = MessageDigest.isEqual(sha256(presented), tokenDigest);
      return ok ? inner.get() : complete(json(StatusCodes.UNAUTHORIZED,
          message("this cluster needs a token: Authorization: Bearer TOKEN (norma --token or NORMA_TOKEN)")));
    });
  }

  /** This node's view of the cluster: its own address and every member with its status. */
  private Route members() {
    org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(system);
    ObjectNode body = JSON.createObjectNode().put("self", cluster.selfMember().address().toString());
    var members = body.putArray("members");
    cluster.state().getMembers().forEach(m -> members.addObject()
        .put("address", m.address().toString()).put("status", m.status().toString())
        .put("http", nodeUrls.get(m.address().toString())));
    return complete(json(StatusCodes.OK, body));
  }

  private Route listRuns() {
    ObjectNode runs = JSON.createObjectNode();
    earlier.values().forEach(status -> runs.put(status.runId(), status.name()));
    handles.values().forEach(h -> runs.put(h.runId(), h.name()));
    return complete(json(StatusCodes.OK, runs));
  }

  /** {@code placement=spread}, the default: the run's agents are sharded over every node. */
  static final String SPREAD = "spread";
  /** {@code placement=node}: the run's coordinator and all its agents on the node that takes it. */
  static final String ON_ONE_NODE = "node";

  private Route submit(String specYaml, String placement) {
    if (!SPREAD.equals(placement) && !ON_ONE_NODE.equals(placement)) {
      return complete(json(StatusCodes.BAD_REQUEST, message("placement=" + placement + ": expected " + SPREAD
          + " (the run's agents over every node) or " + ON_ONE_NODE + " (all of them on the node taking it)")));
    }
    CompletionStage<NodeStudies.Submitted> submitted = AskPattern.ask(studies,
        replyTo -> new NodeStudies.Submit(specYaml, ON_ONE_NODE.equals(placement), replyTo), ASK_TIMEOUT,
        system.scheduler());
    return completeWithFuture(submitted.thenApply(result -> {
      if (result.runId() == null) {
        return json(StatusCodes.BAD_REQUEST, message(result.problem()));
      }
      ObjectNode body = JSON.createObjectNode().put("runId", result.runId());
      return json(StatusCodes.CREATED, body);
    }));
  }

  private CompletionStage<HttpResponse> status(String runId) {
    return askStatus(runId).thenApply(status -> status == null
        ? json(StatusCodes.NOT_FOUND, message("no run " + runId + " on this cluster"))
        : json(StatusCodes.OK, JSON.valueToTree(status)));
  }

  /** The run's status from its coordinator; null for an unknown run. */
  private CompletionStage<RunStatus> askStatus(String runId) {
    RunHandle handle = handles.get(runId);
    if (handle == null) {
      return CompletableFuture.completedFuture(earlier.get(runId));
    }
    if (handle.lostReason() != null) {
      return CompletableFuture.completedFuture(lost(handle));
    }
    return AskPattern.<RunCoordinator.Command, RunStatus>ask(handle.coordinator(),
            RunCoordinator.GetStatus::new, ASK_TIMEOUT, system.scheduler())
        .exceptionally(e -> unreachable(handle, e));
  }

  private static RunStatus lost(RunHandle handle) {
    return new RunStatus(handle.runId(), handle.name(), "failed", false, 0, 0, 0, 0, "", 0, 0, null,
        handle.lostReason(), null);
  }

  private static RunStatus unreachable(RunHandle handle, Throwable e) {
    return new RunStatus(handle.runId(), handle.name(), "unreachable", handle.durable(), 0, 0, 0, 0, "", 0, 0,
        null, "the run's coordinator did not answer (" + e.getClass().getSimpleName()
        + "); a durable run's coordinator may be moving to another node", null);
  }

  /** The shards of the run's agents that live on this node (agent i is in shard i mod shards). */
  private CompletionStage<HttpResponse> shards(String runId) {
    RunHandle handle = handles.get(runId);
    if (handle == null) {
      return CompletableFuture.completedFuture(json(StatusCodes.NOT_FOUND, message("no run " + runId)));
    }
    if (handle.released()) {
      // Over, and its region here stopped with its agents: the shards it held.
      ObjectNode body = JSON.createObjectNode().put("node", selfUrl).put("entities", 0).put("released", true);
      handle.releasedShards().forEach(body.putArray("shards")::add);
      return CompletableFuture.completedFuture(json(StatusCodes.OK, body));
    }
    return regionState(system, handle.encounters() ? dev.norma.runtime.encounter.EncounterAgent.typeKey(runId)
            : dev.norma.runtime.study.AgentEntity.typeKey(runId))
        .thenApply(state -> {
          ObjectNode body = JSON.createObjectNode().put("node", selfUrl)
              .put("entities", state.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum());
          shardIds(state).forEach(body.putArray("shards")::add);
          return json(StatusCodes.OK, body);
        });
  }

  /** What this node's region of the entities {@code type} holds now. */
  static CompletionStage<org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState> regionState(
      ActorSystem<?> system, org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> type) {
    return AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState>ask(
        org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(system).shardState(),
        replyTo -> new org.apache.pekko.cluster.sharding.typed.GetShardRegionState(type, replyTo), ASK_TIMEOUT,
        system.scheduler());
  }

  /** The ids of the shards in {@code state}, in order (agent i is in shard i mod shards). */
  static List<Integer> shardIds(org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState state) {
    return state.getShards().stream().map(shard -> Integer.parseInt(shard.shardId())).sorted().toList();
  }

  private CompletionStage<HttpResponse> cancel(String runId) {
    RunHandle handle = handles.get(runId);
    if (handle == null && earlier.containsKey(runId)) {
      return CompletableFuture.completedFuture(json(StatusCodes.CONFLICT,
          message("run " + runId + " is from an earlier session of this node and is not running")));
    }
    if (handle == null) {
      return CompletableFuture.completedFuture(json(StatusCodes.NOT_FOUND, message("no run " + runId)));
    }
    return AskPattern.<RunCoordinator.Command, RunStatus>ask(handle.coordinator(),
            RunCoordinator.Cancel::new, ASK_TIMEOUT, system.scheduler())
        .thenApply(status -> json(StatusCodes.OK, JSON.valueToTree(status)))
        .exceptionally(e -> json(StatusCodes.SERVICE_UNAVAILABLE, message("the run's coordinator did not answer")));
  }

  private Route file(String runId, String file) {
    if (!RunDirectory.SERVED.contains(file)) {
      return complete(json(StatusCodes.NOT_FOUND, message("a run has the files " + RunDirectory.SERVED)));
    }
    return onSuccess(askStatus(runId), status -> {
      if (status == null) {
        return complete(json(StatusCodes.NOT_FOUND, message("no run " + runId)));
      }
      if (status.resultsNode() == null) {
        return complete(json(StatusCodes.SERVICE_UNAVAILABLE, message("the run's results are not reachable: "
            + status.message())));
      }
      if (!status.resultsNode().equals(selfUrl)) {
        return redirect(Uri.create(status.resultsNode() + "/runs/" + runId + "/files/" + file),
            StatusCodes.TEMPORARY_REDIRECT);
      }
      Path path = dataDir.resolve("runs").resolve(runId).resolve(file);
      if (!Files.isRegularFile(path)) {
        return complete(json(StatusCodes.NOT_FOUND, message(file + " is not written (yet)")));
      }
      return getFromFile(path.toFile(), contentType(file));
    });
  }

  private static ContentType contentType(String file) {
    if (file.endsWith(".json")) {
      return ContentTypes.APPLICATION_JSON;
    }
    if (file.endsWith(".gz") || file.endsWith(".parquet")) {
      return ContentTypes.APPLICATION_OCTET_STREAM;
    }
    if (file.endsWith(".png")) {
      return ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.IMAGE_PNG);
    }
    return ContentTypes.TEXT_PLAIN_UTF8;
  }

  private static ObjectNode message(String text) {
    return JSON.createObjectNode().put("error", text);
  }

  private static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (Exception e) {
      return HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR);
    }
  }
}
