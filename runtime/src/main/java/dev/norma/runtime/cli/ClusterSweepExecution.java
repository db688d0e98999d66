package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.sweep.SweepExecution;
import dev.norma.runtime.sweep.SweepExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Makes the runs of a sweep on a cluster, through the nodes' HTTP APIs: each run is submitted to
 * one node, which hosts it whole (coordinator and agents: a small run pays no crossing between
 * nodes), followed there, and fetched into its directory when it ends, as {@code norma fetch} does.
 * At most {@link #slots} runs are in flight over the cluster, each new one going to the node with
 * the fewest of this sweep's runs in flight. A durable run cannot be placed on one node: it is
 * submitted as {@code norma submit} does, its agents over every node, and survives a lost node.
 *
 * <p>The nodes are the members up that the node given names ({@code GET /cluster}) and whose API
 * answers from here; the token goes to them, as it goes to the node holding a run's results. A
 * node that stops answering gets no further run; its runs under way are recorded as failed.
 *
 * <p>Lifecycle: {@link #stop} (Ctrl-C) submits nothing more, cancels the runs in flight (they are
 * not recorded, and a resume makes them again) and ends their threads, but lets a run that has
 * ended be fetched and kept; {@link #close} ends the threads.
 */
final class ClusterSweepExecution implements SweepExecutor {
  /** Runs in flight on each node by default: one computing while the other is fetched or started. */
  static final int PER_NODE = 2;
  /** How long a node's API has to answer before the sweep leaves it out. */
  private static final Duration PROBE = Duration.ofSeconds(3);
  /** How long a stop waits for the cancels it sends (Ctrl-C's grace is a few seconds). */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A node the sweep submits to, with its runs in flight; a node that stopped answering is down. */
  private static final class Node {
    final ClusterClient client;
    int inFlight;
    /** Runs submitted to it, to break ties between nodes equally loaded. */
    long submitted;
    volatile boolean down;

    Node(ClusterClient client) {
      this.client = client;
    }
  }

  /** A run in flight: the node it is on and its id there, once submitted. */
  private record InFlight(Node node, String runId) {
  }

  private final List<Node> nodes;
  private final int slots;
  private final PrintWriter err;
  private final ExecutorService threads;
  private final Map<Thread, InFlight> inFlight = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  private ClusterSweepExecution(List<Node> nodes, int slots, PrintWriter err) {
    this.nodes = nodes;
    this.slots = slots;
    this.err = err;
    this.threads = SweepExecutor.slotThreads(slots, "norma-sweep-cluster");
  }

  /**
   * Finds the cluster's nodes through {@code entry} and keeps those that answer from here; when
   * none but the entry does (its address forwarded to this machine, say), every run goes to it.
   *
   * @param parallel runs in flight over the cluster, or null for {@link #PER_NODE} per node
   * @throws IOException when the entry node does not answer as a node
   */
  static ClusterSweepExecution connect(ClusterClient entry, String token, Integer parallel, PrintWriter err)
      throws IOException, InterruptedException {
    List<String> named = entry.membersUp();
    List<Node> nodes = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (String url : named) {
      ClusterClient client = new ClusterClient(url, token);
      if (client.answers(PROBE)) {
        nodes.add(new Node(client));
      } else {
        silent.add(url);
      }
    }
    if (nodes.isEmpty()) {
      nodes.add(new Node(entry));
    }
    if (!silent.isEmpty()) {
      err.println("norma: warning: " + String.join(", ", silent) + (silent.size() == 1 ? " does" : " do")
          + " not answer from here; the sweep's runs go to " + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s")
          + " of " + Math.max(named.size(), nodes.size()));
      err.flush();
    }
    int slots = parallel != null ? parallel : PER_NODE * nodes.size();
    return new ClusterSweepExecution(nodes, slots, err);
  }

  /** The nodes the runs go to. */
  int nodes() {
    return nodes.size();
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public void runAll(List<Job> jobs, Listener listener) throws InterruptedException {
    SweepExecutor.runEach(threads, jobs, job -> runOne(job, listener));
  }

  /** The node with the fewest runs in flight (the one given fewest so far, among equals); null when all are down. */
  private synchronized Node take() {
    Node least = null;
    for (Node node : nodes) {
      if (!node.down && (least == null || node.inFlight < least.inFlight
          || node.inFlight == least.inFlight && node.submitted < least.submitted)) {
        least = node;
      }
    }
    if (least != null) {
      least.inFlight++;
      least.submitted++;
    }
    return least;
  }

  private synchronized void release(Node node) {
    node.inFlight--;
  }

  private void runOne(Job job, Listener listener) {
    if (stopped) {
      return;
    }
    long start = System.nanoTime();
    Node node = take();
    if (node == null) {
      listener.started(job);
      listener.failed(job, new IOException("no node of the cluster answers"), 0);
      return;
    }
    Thread self = Thread.currentThread();
    try {
      ProgressListener progress = listener.started(job);
      SweepExecution.clear(job.dir());
      // A run placed whole on one node; a durable one lives on the cluster as a whole.
      String runId = node.client.submit(job.spec(), !job.spec().durable());
      inFlight.put(self, new InFlight(node, runId));
      if (stopped) {
        // Submitted as the stop came: cancelled here, as the stop did the others.
        node.client.cancel(runId);
        throw new InterruptedException("stopped");
      }
      JsonNode status = ClusterCommands.follow(node.client, runId, err, true,
          seen -> progress.update(snapshot(seen)));
      // Ended: a stop from now on neither cancels it nor cuts its fetch short, so it is kept.
      inFlight.remove(self);
      Thread.interrupted();
      String state = status.path("state").asText();
      if ("cancelled".equals(state) || "interrupted".equals(state)) {
        listener.interrupted(job);
        return;
      }
      node.client.fetch(runId, job.dir());
      if (Files.isRegularFile(job.dir().resolve("spec.yaml"))) {
        // The node's copy names no directory; a local sweep's names the run's, as norma run's does.
        RunDirectory.writeAtomically(job.dir().resolve("spec.yaml"), SpecLoader.toYaml(job.spec()));
      }
      Summary summary = summary(job);
      if (summary == null) {
        // Ended without a summary: a non-durable run whose coordinator's node was lost.
        listener.failed(job, new IllegalStateException("run " + runId + " on " + node.client.base() + " "
            + state + ": " + status.path("message").asText("no summary")), (System.nanoTime() - start) / 1e9);
      } else if (summary.status() == RunOutcome.INTERRUPTED) {
        listener.interrupted(job);
      } else {
        listener.finished(job, summary);
      }
    } catch (InterruptedException e) {
      listener.interrupted(job);
    } catch (Exception e) {
      if (stopped) {
        listener.interrupted(job);
        return;
      }
      if (e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException) {
        node.down = true;
      }
      listener.failed(job, e, (System.nanoTime() - start) / 1e9);
    } finally {
      inFlight.remove(self);
      release(node);
      Thread.interrupted(); // a stop's interrupt ends here, not in the next run of this thread
    }
  }

  /** What the progress bar needs of a run's status. */
  private static ProgressListener.Snapshot snapshot(JsonNode status) {
    return new ProgressListener.Snapshot(status.path("populationRounds").asLong(), status.path("maxRounds").asLong(),
        status.path("interactions").asLong(), status.path("successRate").asDouble(), status.path("topName").asText(""),
        status.path("topShare").asDouble(), status.path("perSecond").asDouble());
  }

  /** The fetched run's summary, or null when the node had none. */
  private static Summary summary(Job job) throws IOException {
    var file = job.dir().resolve("summary.json");
    return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), Summary.class) : null;
  }

  /**
   * Submits nothing more, cancels the runs in flight and ends their threads; a run that could not
   * be cancelled is named, as it goes on on the cluster.
   */
  @Override
  public boolean stop() {
    stopped = true;
    Map<Thread, InFlight> running = Map.copyOf(inFlight);
    ExecutorService cancels = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "norma-sweep-cancel");
      thread.setDaemon(true);
      return thread;
    });
    List<String> uncancelled = java.util.Collections.synchronizedList(new ArrayList<>());
    running.values().forEach(run -> cancels.submit(() -> {
      try {
        run.node().client.cancel(run.runId());
      } catch (Exception e) {
        uncancelled.add(run.runId() + " on " + run.node().client.base());
      }
    }));
    cancels.shutdown();
    try {
      if (!cancels.awaitTermination(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        uncancelled.add("the runs whose cancel was not answered in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.keySet().forEach(Thread::interrupt);
    if (!uncancelled.isEmpty()) {
      err.println("norma: could not cancel, still running on the cluster: " + String.join(", ", uncancelled)
          + " (norma cancel RUN --to HOST:PORT)");
      err.flush();
    }
    return true;
  }

  @Override
  public boolean stopped() {
    return stopped;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
