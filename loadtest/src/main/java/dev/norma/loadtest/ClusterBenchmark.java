package dev.norma.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.schedule.PairSchedule;
import dev.norma.agents.study.PlainLoop;
import dev.norma.agents.study.StudyPlan;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.ScheduleSpec;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.cli.NodeCommand;
import dev.norma.runtime.cli.NormaCli;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.StudyRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Many nodes on one machine, measured: the same study on one node and on two, both clusters up at
 * once and taking turns (throughput ratio, and the share of interactions whose two agents live on
 * different nodes), the time a durable study takes to make progress again after a node is killed,
 * and durable against non-durable throughput. Nodes are {@code norma node} processes on loopback
 * sharing one journal (an H2 server in this process: a node that joins a cluster needs the
 * cluster's database, whatever the study's durability); every study's results are checked
 * against the plain loop of the same seed (exit code 1 if any differs). A failed benchmark keeps
 * its nodes' logs and says where.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cluster throughput (1 vs 2 nodes), recovery time after a killed node, durable vs not.")
public final class ClusterBenchmark implements Callable<Integer> {
  private static final Pattern UP = Pattern.compile("norma node up: (pekko://\\S+) · (http://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--agents", description = "population size (default ${DEFAULT-VALUE})")
  int agents = 10_000;

  @Option(names = "--rounds", description = "population rounds (default ${DEFAULT-VALUE})")
  int rounds = 30;

  @Option(names = "--seed", description = "run seed (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--in-flight", description = "interactions in flight (default ${DEFAULT-VALUE})")
  int inFlight = ScheduleSpec.DEFAULT_IN_FLIGHT;

  @Option(names = "--part", description = "scaling, durability, durable-nodes, failover or all (default ${DEFAULT-VALUE})")
  String part = "all";

  @Option(names = "--heap", description = "each node's heap (default ${DEFAULT-VALUE})")
  String heap = "768m";

  @Option(names = "--pin", description = "scaling: run each of the two nodes on a core of its own (taskset),"
      + " the one node on all cores")
  boolean pin;

  @Option(names = "--studies", description = "scaling: studies each cluster runs one after the other; the first two"
      + " warm the nodes' JIT up and the ratio is of the medians of the rest (default ${DEFAULT-VALUE})")
  int studies = 6;

  @Option(names = "--node-java-opts", description = "more JVM options for every node, separated by spaces"
      + " (e.g. -XX:StartFlightRecording=filename=/tmp/jfr/ to profile the nodes)")
  String nodeJavaOptions = "";

  @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "a database server every cluster's nodes share"
      + " (e.g. jdbc:postgresql://127.0.0.1:5432/norma; user and password from NORMA_DB_USER, NORMA_DB_PASSWORD);"
      + " default: a fresh database per cluster on an H2 server the benchmark runs")
  String dbUrl;

  @Option(names = "--keep", description = "keep the runs and node logs even when every study equals the plain loop")
  boolean keep;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private Path work;
  private boolean allSame = true;
  private int nodesStarted;
  private org.h2.tools.Server database;
  private int databases;

  private static final List<String> PARTS = List.of("scaling", "durability", "durable-nodes", "failover", "all");

  @Override
  public Integer call() throws Exception {
    if (!PARTS.contains(part)) {
      System.err.println("norma bench cluster: --part " + part + ": expected one of " + String.join(", ", PARTS));
      return 2;
    }
    if (studies < 1) {
      System.err.println("norma bench cluster: --studies " + studies + ": expected at least 1");
      return 2;
    }
    if (pin && (Runtime.getRuntime().availableProcessors() < 2 || !onPath("taskset"))) {
      System.err.println("norma bench cluster: --pin needs at least 2 cores and taskset on the PATH");
      return 2;
    }
    if (dbUrl != null) {
      try {
        DurableBenchmark.checkReachable(dev.norma.runtime.study.JournalDatabase.at(dbUrl));
      } catch (dev.norma.runtime.study.JournalDatabase.Unavailable e) {
        System.err.println("norma bench cluster: --db-url: " + e.getMessage());
        return 2;
      }
    }
    work = Files.createTempDirectory("norma-bench-cluster-");
    System.out.printf(Locale.ROOT, "naming game, memory policy, %,d agents, %,d rounds (%,d interactions), seed %d, %d cores%n",
        agents, rounds, (long) agents * rounds, seed, Runtime.getRuntime().availableProcessors());
    boolean finished = false;
    try {
      if (part.equals("all") || part.equals("scaling")) {
        scaling();
      }
      if (part.equals("all") || part.equals("durability")) {
        durability();
      }
      if (part.equals("all") || part.equals("durable-nodes")) {
        durableNodes();
      }
      if (part.equals("all") || part.equals("failover")) {
        failover();
      }
      finished = true;
    } catch (IllegalStateException e) {
      // A node that did not start or a cluster that did not form: one line, and the logs are kept.
      System.err.println("norma bench cluster: " + e.getMessage());
      return 1;
    } finally {
      stopNodes();
      if (database != null) {
        database.stop();
      }
      if (finished && allSame && !keep) {
        BenchmarkMeasures.deleteTree(work);
      } else {
        System.out.println("runs and node logs kept for inspection in " + work);
      }
    }
    System.out.println("every study equal to the plain loop of its seed: " + (allSame ? "yes" : "NO"));
    return allSame ? 0 : 1;
  }

  /** The database of one cluster's nodes: {@code --db-url}, or a fresh one on the benchmark's H2 server. */
  private String newDatabase() throws Exception {
    if (dbUrl != null) {
      return dbUrl; // each run has a run id of its own, so clusters can share one journal
    }
    if (database == null) {
      database = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-ifNotExists",
          "-baseDir", work.resolve("db").toString()).start();
    }
    return "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/cluster" + (++databases);
  }

  private ExperimentSpec spec(String name, String durability) throws Exception {
    return SpecLoader.parse("name: " + name + "\n", List.of("population.size=" + agents,
        "stop.maxRounds=" + rounds, "stop.onConvergence=false", "durability=" + durability,
        // The engine's rate: no Parquet copies made at the end, inside the timed run.
        "output.format=csv", "schedule.inFlight=" + inFlight)).resolved().withSeed(seed);
  }

  /**
   * Non-durable study on one node and on two: rates and the share of pairs spanning nodes. Both
   * clusters are up at once and take turns, a study on one node then the same on two, so that
   * what else the machine does in those minutes weighs on both alike; the cluster not playing is
   * idle.
   */
  private void scaling() throws Exception {
    Cluster oneNode = startCluster(1, "none", newDatabase(), false);
    Cluster twoNodes = startCluster(2, "none", newDatabase(), pin);
    List<Run> one = new ArrayList<>();
    List<Run> two = new ArrayList<>();
    for (int i = 0; i < studies; i++) {
      one.add(study(oneNode.spec(), oneNode.specFile(), oneNode.urls(), false));
      two.add(study(twoNodes.spec(), twoNodes.specFile(), twoNodes.urls(), false));
    }
    stopNodes();
    // Each cluster runs the study several times. The JIT compiles the nodes' hot paths over the
    // first two or three million interactions (longest on the pinned nodes, where the compiler
    // shares their one core), so the first studies are slower; the later ones run at the rate a
    // long study keeps, and the ratio is of their medians.
    int warmFrom = studies > 2 ? 2 : studies - 1;
    double oneWarm = median(one.subList(warmFrom, studies));
    double twoWarm = median(two.subList(warmFrom, studies));
    System.out.printf(Locale.ROOT, "scaling:     1 node %,.0f interactions/s · 2 nodes %,.0f/s%s · ratio %.2f (%s)"
            + " · %.1f%% of interactions had their two agents on different nodes%n",
        oneWarm, twoWarm, pin ? " (a core each)" : "", twoWarm / oneWarm,
        studies - warmFrom == 1 ? "study " + studies + " on each cluster"
            : "medians of studies " + (warmFrom + 1) + "-" + studies + " on each cluster, warm",
        100 * two.get(studies - 1).spanning);
    System.out.printf(Locale.ROOT, "             each study in turn: 1 node %s · 2 nodes %s/s%n", rates(one), rates(two));
    System.out.printf(Locale.ROOT, "             first study (cold JVMs): ratio %.2f%n", two.get(0).rate / one.get(0).rate);
  }

  private static double median(List<Run> runs) {
    return BenchmarkMeasures.median(runs.stream().map(run -> run.rate).toList());
  }

  private static String rates(List<Run> runs) {
    return String.join(", ", runs.stream().map(run -> String.format(Locale.ROOT, "%,.0f", run.rate)).toList());
  }

  /** Durable against non-durable, one process, the local runner. */
  private void durability() throws Exception {
    ExperimentSpec memory = spec("bench-memory", "none");
    ExperimentSpec durable = spec("bench-durable", "durable");
    Summary inMemory;
    try (StudyRunner runner = new StudyRunner()) {
      inMemory = runner.run(memory, work.resolve("memory"), ProgressListener.NONE);
    }
    Summary journaled;
    Path dir = work.resolve("durable");
    try (StudyRunner runner = StudyRunner.durable(dir)) {
      journaled = runner.runDurable(durable, dir, ProgressListener.NONE);
    }
    check(memory, work.resolve("memory"));
    check(durable, dir);
    System.out.printf(Locale.ROOT, "durability:  non-durable %,.0f interactions/s · durable (H2 journal) %,.0f/s ·"
        + " durable = %.1f%% of non-durable%n", inMemory.interactionsPerSecond(), journaled.interactionsPerSecond(),
        100 * journaled.interactionsPerSecond() / inMemory.interactionsPerSecond());
  }

  /** The durable study on one node and on three sharing the cluster's database server, nothing killed. */
  private void durableNodes() throws Exception {
    double one = clusterRun(1, "durable", newDatabase(), false, false).rate;
    stopNodes();
    double three = clusterRun(3, "durable", newDatabase(), false, false).rate;
    stopNodes();
    System.out.printf(Locale.ROOT, "durable nodes: 1 node %,.0f interactions/s · 3 nodes %,.0f/s · ratio %.2f (journal: %s)%n",
        one, three, three / one, databaseName());
  }

  private String databaseName() {
    return dbUrl == null ? "shared H2 server" : dbUrl.startsWith("jdbc:postgresql:") ? "PostgreSQL" : dbUrl;
  }

  /** A durable study on three nodes; the third is killed at 30%: how long until it moves again. */
  private void failover() throws Exception {
    try {
      Run run = clusterRun(3, "durable", newDatabase(), false, true);
      System.out.printf(Locale.ROOT, "failover:    3 nodes, durable (%s) %,.0f interactions/s ·"
              + " node killed at %,d interactions · nothing recorded for %.1f s · progress again %.1f s after the kill"
              + " (split-brain resolver: stable-after %s)%n",
          databaseName(), run.rate, run.killedAt, run.longestGapSeconds, run.resumedAfterSeconds, STABLE_AFTER);
    } finally {
      stopNodes();
    }
  }

  private static final String STABLE_AFTER = "2s";

  private static final class Run {
    double rate;
    double spanning;
    long killedAt = -1;
    double longestGapSeconds;
    double resumedAfterSeconds;
  }

  /** One study on a new cluster of {@code nodes}; with {@code kill}, the third node is killed at 30%. */
  private Run clusterRun(int nodes, String durability, String dbUrl, boolean pinned, boolean kill) throws Exception {
    return clusterRuns(nodes, durability, dbUrl, pinned, kill, 1).get(0);
  }

  /** {@code studies} studies one after the other on a new cluster of {@code nodes}, all of the same spec. */
  private List<Run> clusterRuns(int nodes, String durability, String dbUrl, boolean pinned, boolean kill, int studies)
      throws Exception {
    Cluster cluster = startCluster(nodes, durability, dbUrl, pinned);
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < studies; i++) {
      runs.add(study(cluster.spec(), cluster.specFile(), cluster.urls(), kill));
    }
    return runs;
  }

  /** A cluster that is up, its members' HTTP addresses, and the study it runs (written to {@code specFile}). */
  private record Cluster(List<String> urls, ExperimentSpec spec, Path specFile) {
  }

  /** Starts a new cluster of {@code nodes} and waits until every member is up. */
  private Cluster startCluster(int nodes, String durability, String dbUrl, boolean pinned) throws Exception {
    List<String> urls = new ArrayList<>();
    int seedPort = 0;
    for (int i = 0; i < nodes; i++) {
      String[] started = startNode(i, seedPort, dbUrl,
          pinned ? pinning(i, Runtime.getRuntime().availableProcessors()) : List.of());
      if (i == 0) {
        seedPort = Integer.parseInt(started[0].substring(started[0].lastIndexOf(':') + 1));
      }
      urls.add(started[1]);
    }
    awaitMembers(urls.get(0), nodes);
    ExperimentSpec spec = spec("bench-cluster-" + nodes, durability);
    Path specFile = work.resolve("spec-" + nodes + ".yaml");
    Files.writeString(specFile, SpecLoader.toYaml(spec));
    return new Cluster(urls, spec, specFile);
  }

  private Run study(ExperimentSpec spec, Path specFile, List<String> urls, boolean kill) throws Exception {
    int nodes = urls.size();
    String to = urls.get(0).substring("http://".length());
    String runId = cli("submit", specFile.toString(), "--to", to).strip();
    String via = urls.get(urls.size() > 1 ? 1 : 0);

    Run run = new Run();
    long total = (long) agents * rounds;
    Instant killedAt = null;
    Instant lastChange = Instant.now();
    long last = 0;
    JsonNode status;
    while (true) {
      status = get(via + "/runs/" + runId);
      long now = status.path("interactions").asLong(last);
      Instant time = Instant.now();
      if (now != last) {
        if (killedAt != null) {
          double gap = Duration.between(lastChange, time).toMillis() / 1000.0;
          if (gap > run.longestGapSeconds) {
            run.longestGapSeconds = gap;
            run.resumedAfterSeconds = Duration.between(killedAt, time).toMillis() / 1000.0;
          }
        }
        lastChange = time;
        last = now;
      }
      if (kill && killedAt == null && now >= total * 3 / 10) {
        processes.get(2).destroyForcibly();
        killedAt = Instant.now();
        lastChange = killedAt;
        run.killedAt = now;
      }
      if (!status.path("summary").isNull() && status.has("summary")) {
        break;
      }
      Thread.sleep(100);
    }
    run.rate = status.get("summary").get("interactionsPerSecond").asDouble();
    if (nodes == 2) {
      run.spanning = spanning(spec, runId, urls);
    }
    Path fetched = work.resolve("fetched-" + runId);
    cli("fetch", runId, "--to", via.substring("http://".length()), "--out", fetched.toString());
    check(spec, fetched);
    return run;
  }

  /** The share of the run's interactions whose initiator and responder are on different nodes. */
  private double spanning(ExperimentSpec spec, String runId, List<String> urls) throws Exception {
    Map<Integer, Integer> nodeOfShard = new HashMap<>();
    for (int i = 0; i < urls.size(); i++) {
      for (JsonNode shard : get(urls.get(i) + "/runs/" + runId + "/shards").get("shards")) {
        nodeOfShard.put(shard.asInt(), i);
      }
    }
    int shards = 100; // norma.agents.shards, the nodes' default
    PairSchedule schedule = new StudyPlan(spec, spec.seed()).newSchedule();
    long total = (long) agents * rounds;
    long across = 0;
    for (long i = 0; i < total; i++) {
      long pair = schedule.next();
      Integer a = nodeOfShard.get(PairSchedule.initiator(pair) % shards);
      Integer b = nodeOfShard.get(PairSchedule.responder(pair) % shards);
      if (a != null && !a.equals(b)) {
        across++;
      }
    }
    return (double) across / total;
  }

  private void check(ExperimentSpec spec, Path dir) throws Exception {
    Path plain = work.resolve("plain-" + dir.getFileName());
    StudyPlan plan = new StudyPlan(spec, spec.seed());
    try (RunDirectory out = new RunDirectory(plain, spec, plan.game(), plan.populationSize())) {
      new PlainLoop(plan).run(out::writeInteraction, out::writeRound);
    }
    boolean same = BenchmarkMeasures.digestOfGzip(dir.resolve("interactions.csv.gz"))
        .equals(BenchmarkMeasures.digestOfGzip(plain.resolve("interactions.csv.gz")))
        && Files.readString(dir.resolve("rounds.csv")).equals(Files.readString(plain.resolve("rounds.csv")));
    if (!same) {
      System.out.println("DIFFERENT from the plain loop: " + dir);
      allSame = false;
    }
  }

  /**
   * The options after {@code norma node} of the benchmark's node {@code number}: any free ports on
   * loopback, the cluster's database, and the first node of its cluster as seed unless it is that
   * node ({@code seedPort} 0).
   */
  static List<String> nodeArguments(Path data, int seedPort, String dbUrl) {
    List<String> arguments = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--http-port", "0",
        "--data", data.toString(), "--db-url", dbUrl));
    if (seedPort != 0) {
      arguments.addAll(List.of("--seed-nodes", "127.0.0.1:" + seedPort));
    }
    return arguments;
  }

  /** The command that runs node {@code index} (from 0) on a core of its own: {@code taskset -c CORE}. */
  static List<String> pinning(int index, int cores) {
    return List.of("taskset", "-c", Integer.toString(index % cores));
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private String[] startNode(int index, int seedPort, String dbUrl, List<String> prefix) throws Exception {
    int number = ++nodesStarted;
    Path log = work.resolve("node" + number + ".log");
    List<String> arguments = nodeArguments(work.resolve("node" + number), seedPort, dbUrl);
    String refusal = NodeCommand.refusal(arguments);
    if (refusal != null) {
      throw new IllegalStateException("node " + number + " would not start: " + refusal);
    }
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-Dnorma.recovery.stall-timeout=1s"));
    if (!nodeJavaOptions.isBlank()) {
      command.addAll(List.of(nodeJavaOptions.strip().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), NormaCli.class.getName(), "node"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("NORMA_SBR_STABLE_AFTER", STABLE_AFTER);
    builder.environment().put("NORMA_HEARTBEAT_PAUSE", "2s");
    Process process = builder.start();
    processes.add(process);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      Matcher m = UP.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return new String[] {m.group(1), m.group(2)};
      }
      Thread.sleep(100);
    }
    String why = process.isAlive() ? "is not up after 60 s" : "exited with code " + process.waitFor();
    throw new IllegalStateException("node " + number + " (" + (index + 1) + " of its cluster) " + why
        + "; its log, kept: " + log + lastLines(log));
  }

  /** The end of a node's log, to show with the failure. */
  private static String lastLines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return " (empty)";
    }
    List<String> lines = Files.readAllLines(log);
    return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private void awaitMembers(String url, int count) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      long up = 0;
      for (JsonNode member : get(url + "/cluster").get("members")) {
        up += "Up".equals(member.get("status").asText()) ? 1 : 0;
      }
      if (up == count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the cluster did not reach " + count + " members");
  }

  private void stopNodes() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      process.waitFor();
    }
    processes.clear();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return JSON.readTree(response.body());
  }

  /** Runs a {@code norma} command in this process; what it printed, or a failure with its errors. */
  static String cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = NormaCli.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + ": " + err);
    }
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
