package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.norma.agents.measure.Intervals;
import dev.norma.agents.sweep.StoppingRule;
import dev.norma.agents.sweep.SweepGrid;
import dev.norma.agents.sweep.SweepManifest;
import dev.norma.agents.sweep.SweepPoint;
import dev.norma.agents.sweep.SweepRunRow;
import dev.norma.agents.sweep.SweepRunsTable;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.OutputSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.protocols.spec.SubmissionRules;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.inference.ApiKeys;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.results.ParquetTables;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.runtime.results.RunLock;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.RunSettings;
import dev.norma.runtime.study.StudyLimits;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import dev.norma.runtime.sweep.SweepExecution;
import dev.norma.runtime.sweep.SweepExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code norma sweep SPEC [--vary path=VALUES...] [--replicates R] [--until RULE --max-replicates M]
 * [--set path=value]... [--seed N] [--out DIR] [--parallel K] [--cluster HOST:PORT [--token T]] [--quiet]},
 * {@code norma sweep --resume DIR [--replicates R]}: a grid of parameter values times replicates (no
 * {@code --vary}: the base spec's replicates alone), every
 * run in this JVM or, with {@code --cluster}, on the nodes of a cluster, in a sweep directory
 * ({@code sweep.json}, {@code spec.yaml}, {@code runs/<run>/}, {@code runs.csv}, {@code runs.parquet},
 * {@code report.html}) that is the same wherever the runs were made.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Runs a study design in one process: every combination of the --vary values",
        "(none: the base spec alone), each --replicates times with its own seed, into one sweep directory:",
        "sweep.json, spec.yaml, runs/<run>/ (one run directory each), runs.csv, runs.parquet",
        "and report.html. With --cluster HOST:PORT, the runs are made on a cluster's nodes,",
        "each run whole on one node, and fetched into the same sweep directory.",
        "Interrupted or extended: norma sweep --resume DIR [--replicates N]"})
public final class SweepCommand implements Callable<Integer> {
  /** A batch of a statistical stop adds this many replicates to a point (or one per slot, if more). */
  static final int UNTIL_BATCH = 5;
  /** More slots than this would only make runs wait for the two or four cores of a machine. */
  static final int MAX_PARALLEL = 64;
  /**
   * Runs at once by default: on 2 cores, 40 runs of naming-game-24 took 65 s one at a time and 34 s
   * two at a time (35 s four at a time); a small run leaves a core idle between its messages.
   */
  static final int DEFAULT_PARALLEL = 2;
  static final String RUNS = "runs";
  static final String RUNS_CSV = "runs.csv";
  static final String RUNS_PARQUET = "runs.parquet";

  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "the base spec file (YAML)")
  Path specFile;

  @Option(names = "--vary", paramLabel = "PATH=VALUES",
      description = "a spec path and its values: start:end:step (end included) or [a,b,c] (repeatable: the grid"
          + " is every combination; none: the base spec alone, for its replicates)")
  List<String> vary = new ArrayList<>();

  @Option(names = "--replicates", paramLabel = "R",
      description = "runs per point, each with its own seed (default 1; with --resume: more to extend)")
  Integer replicates;

  @Option(names = "--until", paramLabel = "RULE",
      description = "add replicates per point in batches until e.g. 'halfwidth(flipped) <= 0.05' (95%% interval;"
          + " needs --max-replicates)")
  String until;

  @Option(names = "--max-replicates", paramLabel = "M", description = "with --until: at most M replicates per point")
  Integer maxReplicates;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a field of the base spec (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "the sweep seed every run's seed derives from")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "the sweep directory (must be absent or empty)")
  Path out;

  @Option(names = "--parallel", paramLabel = "K", description = "runs at once, each on its own node in this JVM"
      + " (default " + DEFAULT_PARALLEL + "); with --cluster, runs in flight over the cluster (default "
      + ClusterSweepExecution.PER_NODE + " per node)")
  Integer parallel;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "run what the sweep in DIR has not finished (and, with --replicates, more replicates)")
  Path resume;

  @Option(names = "--cluster", paramLabel = "HOST:PORT",
      description = "make the runs on a cluster through any node's HTTP API, each run whole on one node, and fetch"
          + " them here (with --resume: go on on this cluster rather than where sweep.json says)")
  String cluster;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "with --cluster: the cluster's token (default: NORMA_TOKEN)")
  String token;

  @Option(names = "--quiet", description = "no progress bar and no summary table")
  boolean quiet;

  @Spec
  CommandSpec command;

  /** One usable point: its spec, ready but for the seed and directory of each replicate. */
  private record Point(SweepPoint point, ExperimentSpec spec) {
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    if (token != null && cluster == null && resume == null) {
      err.println("norma: --token goes with --cluster HOST:PORT");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (parallel != null && (parallel < 1 || parallel > MAX_PARALLEL)) {
      err.println("norma: --parallel " + parallel + ": expected 1.." + MAX_PARALLEL);
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (replicates != null && replicates < 1) {
      err.println("norma: --replicates " + replicates + ": expected at least 1");
      return NormaCli.EXIT_BAD_INPUT;
    }
    return resume != null ? resume(err, stdout) : start(err, stdout);
  }

  private Integer start(PrintWriter err, PrintWriter stdout) throws Exception {
    if (specFile == null) {
      err.println("norma: missing SPEC (or --resume DIR)");
      return NormaCli.EXIT_BAD_INPUT;
    }
    int count = replicates == null ? 1 : replicates;
    if ((until == null) != (maxReplicates == null)) {
      err.println("norma: " + (until == null ? "--max-replicates needs --until" : "--until needs --max-replicates M,"
          + " the most replicates a point may get"));
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (maxReplicates != null && maxReplicates < count) {
      err.println("norma: --max-replicates " + maxReplicates + ": expected at least --replicates (" + count + ")");
      return NormaCli.EXIT_BAD_INPUT;
    }
    SweepGrid grid;
    try {
      if (until != null) {
        StoppingRule.parse(until);
      }
      grid = SweepGrid.parse(vary);
    } catch (IllegalArgumentException e) {
      err.println("norma: " + e.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    }
    for (String override : overrides) {
      String path = override.contains("=") ? override.substring(0, override.indexOf('=')).strip() : override;
      if (grid.paths().contains(path)) {
        err.println("norma: --set " + override + ": " + path + " is varied by --vary; give its values there");
        return NormaCli.EXIT_BAD_INPUT;
      }
    }
    ExperimentSpec base = SpecArguments.load(specFile, overrides, err);
    if (base == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    String baseYaml = SpecLoader.toYaml(base);
    int slots = parallel == null ? DEFAULT_PARALLEL : parallel;
    List<Point> points = validate(baseYaml, grid, slots, cluster != null, err);
    if (points == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    long sweepSeed = seed != null ? seed : base.seed() != null ? base.seed() : new SecureRandom().nextLong() >>> 1;
    Path dir = out != null ? out : Path.of(RUNS, base.name() + "-sweep-" + ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    if (RunDirectories.holdsSomething(dir)) {
      err.println("norma: output directory " + dir + " already exists and is not empty; choose another with --out,"
          + " or continue a sweep there with --resume " + dir);
      return NormaCli.EXIT_BAD_INPUT;
    }
    SweepManifest manifest = new SweepManifest(base.name(), sweepSeed, count, maxReplicates, until, slots, grid,
        cluster);
    return execute(manifest, baseYaml, points, dir, true, err, stdout);
  }

  private Integer resume(PrintWriter err, PrintWriter stdout) throws Exception {
    if (specFile != null || !vary.isEmpty() || !overrides.isEmpty() || seed != null || out != null || until != null
        || maxReplicates != null) {
      err.println("norma: --resume takes the sweep directory, and optionally --replicates (more), --parallel,"
          + " --cluster, --token and --quiet: the sweep goes on with what it recorded");
      return NormaCli.EXIT_BAD_INPUT;
    }
    SweepManifest manifest;
    String baseYaml;
    try {
      manifest = SweepManifest.parse(Files.readString(resume.resolve(SweepManifest.FILE)));
      baseYaml = Files.readString(resume.resolve("spec.yaml"));
    } catch (IOException e) {
      err.println("norma: --resume " + resume + ": not a sweep directory (cannot read " + SweepManifest.FILE
          + " and spec.yaml: " + FileProblems.reason(e) + ")");
      return NormaCli.EXIT_BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("norma: --resume " + resume + ": " + e.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (replicates != null && replicates < manifest.replicates()) {
      err.println("norma: --replicates " + replicates + ": the sweep has " + manifest.replicates()
          + " per point already; a resume can only add replicates");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (replicates != null && manifest.maxReplicates() != null && replicates > manifest.maxReplicates()) {
      err.println("norma: --replicates " + replicates + ": above the sweep's --max-replicates "
          + manifest.maxReplicates());
      return NormaCli.EXIT_BAD_INPUT;
    }
    manifest = manifest.withReplicates(replicates == null ? manifest.replicates() : replicates);
    if (parallel != null) {
      manifest = manifest.withParallel(parallel);
    }
    if (cluster != null) {
      manifest = manifest.withCluster(cluster);
    } else if (token != null && manifest.cluster() == null) {
      err.println("norma: --token goes with a sweep on a cluster; this one ran on this machine");
      return NormaCli.EXIT_BAD_INPUT;
    }
    List<Point> points = validate(baseYaml, manifest.grid(), manifest.parallel(), manifest.cluster() != null, err);
    if (points == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    return execute(manifest, baseYaml, points, resume, false, err, stdout);
  }

  /**
   * Every point's spec, each validated as {@code norma run} would (as {@code norma run --cluster} would
   * when {@code onCluster}: the nodes read the credentials and judge their own memory); null after
   * printing, for each point that cannot run, the {@code --vary} value to blame and why.
   */
  private static List<Point> validate(String baseYaml, SweepGrid grid, int slots, boolean onCluster,
                                      PrintWriter err) {
    Config config = ConfigFactory.load();
    StudyLimits limits = StudyLimits.fromConfig(config);
    int batchSize = RunSettings.fromConfig(config).registryBatchSize();
    Path secrets = InferenceSettings.fromConfig(config).secretsDir();
    List<Point> points = new ArrayList<>();
    int problems = 0;
    for (SweepPoint point : grid.points()) {
      List<String> found = new ArrayList<>();
      ExperimentSpec spec = null;
      try {
        spec = SpecLoader.parse(baseYaml, point.overrides(), onCluster ? SubmissionRules.CLIENT : null);
      } catch (SpecException e) {
        found.addAll(e.problems());
      }
      if (spec != null) {
        if (spec.durable() && spec.durability() != null && !onCluster) {
          found.add("durability: a sweep keeps its runs in memory (durability none); an interrupted sweep goes on"
              + " run by run with norma sweep --resume DIR (on a cluster, durable runs survive a lost node)");
        } else if (spec.durable() && spec.durability() == null) {
          // Durable only by the default of a model policy: a sweep's unit of resumption is the run.
          spec = spec.withDurability(ExperimentSpec.DURABILITY_NONE);
        }
        String refusal = EncounterRuns.refusal(spec, onCluster);
        if (refusal == null && !onCluster) {
          // Runs side by side share the heap.
          refusal = limits.refusal(spec.resolved(), 1, batchSize, Runtime.getRuntime().maxMemory() / slots);
        }
        if (refusal != null) {
          found.add(refusal);
        }
        if (PolicySpec.LLM.equals(spec.policy().kind()) && !onCluster) {
          found.addAll(ApiKeys.problems(spec.inference(), secrets));
        }
      }
      for (String problem : found) {
        if (++problems <= 20) {
          err.println("norma: " + blame(point, problem) + ": " + problem);
        }
      }
      if (found.isEmpty()) {
        points.add(new Point(point, spec));
      }
    }
    if (problems > 20) {
      err.println("norma: ... and " + (problems - 20) + " more problems");
    }
    if (problems > 0) {
      err.println("norma: nothing was run");
      return null;
    }
    return points;
  }

  /** The {@code --vary path=value} a problem names, or the whole point when it names none or several. */
  private static String blame(SweepPoint point, String problem) {
    List<String> named = new ArrayList<>();
    for (String override : point.overrides()) {
      String path = override.substring(0, override.indexOf('='));
      if (problem.contains(path)) {
        named.add(override);
      }
    }
    return "--vary " + (named.size() == 1 ? named.get(0) : String.join(" ", point.overrides()));
  }

  /** Where the runs are made, or the exit code of a cluster that cannot be reached. */
  private record Executor(SweepExecutor execution, int refusal) {
  }

  /**
   * Where the runs are made: this JVM's slots, or the cluster's nodes (found before anything is
   * written, saying why when they cannot be).
   */
  private Executor executor(SweepManifest manifest, PrintWriter err) throws Exception {
    if (manifest.cluster() == null) {
      return new Executor(new SweepExecution(manifest.parallel(), StudyRunner::new, StudyOptions.defaults()), 0);
    }
    ClusterSweepExecution[] connected = new ClusterSweepExecution[1];
    int code = ClusterCommands.Target.of(manifest.cluster(), token, command).talk(client -> {
      connected[0] = ClusterSweepExecution.connect(client, token, parallel, err);
      return NormaCli.EXIT_OK;
    });
    if (connected[0] != null && !quiet) {
      err.println("norma: sweep on " + manifest.cluster() + ": " + connected[0].nodes() + " node"
          + (connected[0].nodes() == 1 ? "" : "s") + ", " + connected[0].slots() + " runs in flight");
      err.flush();
    }
    return new Executor(connected[0], code);
  }

  private Integer execute(SweepManifest manifest, String baseYaml, List<Point> points, Path dir, boolean fresh,
                          PrintWriter err, PrintWriter stdout) throws Exception {
    Executor executor = executor(manifest, err);
    SweepExecutor execution = executor.execution();
    if (execution == null) {
      return executor.refusal();
    }
    // On a cluster the default is per node: the manifest says how many were in flight this time.
    manifest = manifest.withParallel(execution.slots());
    RunLock lock;
    try {
      lock = RunLock.acquire(dir);
      RunDirectory.writeAtomically(dir.resolve(SweepManifest.FILE), manifest.toJson());
      if (fresh) {
        RunDirectory.writeAtomically(dir.resolve("spec.yaml"), baseYaml);
      }
      Files.createDirectories(dir.resolve(RUNS));
    } catch (RunLock.Held held) {
      execution.close();
      err.println("norma: " + held.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    } catch (IOException e) {
      execution.close();
      err.println("norma: cannot create the sweep directory " + dir + ": " + FileProblems.reason(e));
      return NormaCli.EXIT_BAD_INPUT;
    }
    StoppingRule rule = manifest.until() == null ? null : StoppingRule.parse(manifest.until());
    Map<String, SweepRunRow> rows = new ConcurrentHashMap<>();
    if (!fresh) {
      keepFinished(manifest, points, dir, rows);
    }
    SweepProgress progress = quiet ? SweepProgress.NONE : new SweepProgress(err, manifest.name());
    Table table = new Table(dir.resolve(RUNS_CSV), manifest.grid().paths(), rows);
    table.write();
    try (RunLock held = lock;
         AutoCloseable log = LogFile.attach(dir.resolve("norma.log"));
         SweepExecutor executing = execution;
         Interrupts interrupts = Interrupts.install(execution::stop, err,
             "; finished runs are kept, continue with: norma sweep --resume " + dir)) {
      SweepExecutor.Listener listener = new Recorder(progress, table);
      List<SweepExecutor.Job> jobs = new ArrayList<>();
      for (Point point : points) {
        for (int r = 0; r < manifest.replicates(); r++) {
          if (!rows.containsKey(point.point().runName(r))) {
            jobs.add(job(manifest, point, r, dir));
          }
        }
      }
      try {
        progress.planned(jobs.size());
        execution.runAll(jobs, listener);
        while (rule != null && !execution.stopped()) {
          jobs.clear();
          for (Point point : points) {
            List<SweepRunRow> runs = rows.values().stream().filter(row -> row.point().equals(point.point())).toList();
            int scheduled = runs.stream().mapToInt(row -> row.replicate() + 1).max().orElse(0);
            scheduled = Math.max(scheduled, manifest.replicates());
            int more = rule.more(runs, scheduled, manifest.maxReplicates(), Math.max(UNTIL_BATCH, execution.slots()));
            for (int r = scheduled; r < scheduled + more; r++) {
              jobs.add(job(manifest, point, r, dir));
            }
          }
          if (jobs.isEmpty()) {
            break;
          }
          progress.planned(jobs.size());
          execution.runAll(jobs, listener);
        }
      } finally {
        progress.close();
      }
      interrupts.saved(held::close);
      boolean interrupted = execution.stopped() || interrupts.received();
      writeResults(dir, err);
      if (!quiet) {
        printTable(stdout, points, rows, dir);
      }
      stdout.flush();
      long failed = rows.values().stream().filter(SweepRunRow::failed).count();
      if (interrupted) {
        err.println("norma: sweep interrupted; " + rows.size() + " runs are finished in " + dir
            + "; continue with: norma sweep --resume " + dir);
        err.flush();
        return NormaCli.EXIT_INTERRUPTED;
      }
      if (failed > 0) {
        err.println("norma: " + failed + " of " + rows.size() + " runs failed (status and error in "
            + dir.resolve(RUNS_CSV) + "); norma sweep --resume " + dir + " runs them again");
        err.flush();
        return NormaCli.EXIT_ERROR;
      }
      return NormaCli.EXIT_OK;
    }
  }

  /**
   * {@code runs.parquet} from {@code runs.csv}, and {@code report.html}, over the runs finished so
   * far (an interrupted sweep's too); neither failing loses a run, so both are warnings.
   */
  private static void writeResults(Path dir, PrintWriter err) {
    try {
      ParquetTables.convert(dir.resolve(RUNS_CSV), dir.resolve(RUNS_PARQUET));
    } catch (java.io.IOException | RuntimeException e) {
      err.println("norma: warning: " + RUNS_PARQUET + " not written: " + NormaCli.oneLine(e));
    }
    err.flush();
    RunCommand.writeReport(dir, err);
  }

  private static SweepExecutor.Job job(SweepManifest manifest, Point point, int replicate, Path dir) {
    long runSeed = point.point().seed(manifest.seed(), replicate);
    Path runDir = dir.resolve(RUNS).resolve(point.point().runName(replicate));
    ExperimentSpec spec = point.spec().resolved().withSeed(runSeed)
        .withOutput(new OutputSpec(runDir.toString(), point.spec().output().interactions()));
    return new SweepExecutor.Job(point.point(), replicate, runSeed, spec, runDir);
  }

  /**
   * Adds the runs an earlier session finished (a summary.json whose status is neither interrupted nor
   * failed) to {@code rows}; the others are run again, their directories cleared first.
   */
  private static void keepFinished(SweepManifest manifest, List<Point> points, Path dir,
                                   Map<String, SweepRunRow> rows) {
    ObjectMapper json = new ObjectMapper();
    int cap = Math.max(manifest.replicates(), manifest.maxReplicates() == null ? 0 : manifest.maxReplicates());
    for (Point point : points) {
      for (int r = 0; r < cap; r++) {
        String name = point.point().runName(r);
        Path summaryFile = dir.resolve(RUNS).resolve(name).resolve("summary.json");
        if (!Files.isRegularFile(summaryFile)) {
          continue;
        }
        try {
          Summary summary = json.readValue(summaryFile.toFile(), Summary.class);
          if (summary.status() != RunOutcome.INTERRUPTED && summary.status() != RunOutcome.FAILED) {
            rows.put(name, SweepRunRow.of(point.point(), r, point.point().seed(manifest.seed(), r), summary));
          }
        } catch (IOException unreadable) {
          // Half-written: the run is done again.
        }
      }
    }
  }

  /** Records each run's end in {@code runs.csv} and the progress bar. */
  private record Recorder(SweepProgress progress, Table table) implements SweepExecutor.Listener {
    @Override
    public ProgressListener started(SweepExecutor.Job job) {
      return progress.started(job.point().runName(job.replicate()));
    }

    @Override
    public void finished(SweepExecutor.Job job, Summary summary) {
      SweepRunRow row = SweepRunRow.of(job.point(), job.replicate(), job.seed(), summary);
      table.add(row);
      progress.ended(row.run(), summary.interactions(), row.failed());
    }

    @Override
    public void failed(SweepExecutor.Job job, Throwable failure, double wallSeconds) {
      org.slf4j.LoggerFactory.getLogger(SweepCommand.class).error("run {} failed", job.dir(), failure);
      SweepRunRow row = SweepRunRow.failed(job.point(), job.replicate(), job.seed(), NormaCli.oneLine(failure),
          wallSeconds);
      table.add(row);
      progress.ended(row.run(), 0, true);
    }

    @Override
    public void interrupted(SweepExecutor.Job job) {
      progress.interrupted(job.point().runName(job.replicate()));
    }
  }

  /** {@code runs.csv}, rewritten whole (atomically) as each run ends. */
  private record Table(Path file, List<String> paths, Map<String, SweepRunRow> rows) {
    void add(SweepRunRow row) {
      rows.put(row.run(), row);
      try {
        write();
      } catch (IOException e) {
        org.slf4j.LoggerFactory.getLogger(SweepCommand.class).warn("cannot write {}: {}", file, e.getMessage());
      }
    }

    synchronized void write() throws IOException {
      RunDirectory.writeAtomically(file, SweepRunsTable.csv(paths, List.copyOf(rows.values())));
    }
  }

  /** How many of a game's own measures the summary table shows when no run converged. */
  private static final int TABLE_MEASURES = 2;

  /**
   * Per point: runs, completed, failed, and the share that flipped (with a committed minority) or
   * converged, with its 95% Wilson interval. A game that converged in no run but has measures of
   * its own (CRSEC's conflicts, the identity study's "we" rate) shows its first measures instead,
   * each the mean over the point's completed runs with a seeded bootstrap 95% interval, as the
   * report does.
   */
  private static void printTable(PrintWriter out, List<Point> points, Map<String, SweepRunRow> rows, Path dir) {
    boolean flips = rows.values().stream().anyMatch(row -> row.figure("flipped") != null);
    String figure = flips ? "flipped" : "converged";
    Map<SweepPoint, List<SweepRunRow>> byPoint = new LinkedHashMap<>();
    points.forEach(point -> byPoint.put(point.point(), new ArrayList<>()));
    rows.values().forEach(row -> byPoint.computeIfAbsent(row.point(), p -> new ArrayList<>()).add(row));
    List<String> measures = flips || rows.values().stream().anyMatch(row -> Boolean.TRUE.equals(row.figure(figure)))
        ? List.of()
        : rows.values().stream().map(SweepRunRow::measures).filter(m -> !m.isEmpty()).findFirst()
            .map(m -> m.keySet().stream().limit(TABLE_MEASURES).toList()).orElse(List.of());
    int width = Math.max(5, points.stream().mapToInt(point -> point.point().label().length()).max().orElse(5));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %6s %10s %7s", "point",
        "runs", "completed", "failed"));
    if (measures.isEmpty()) {
      header.append("  ").append(figure).append(" (95% interval)");
    } else {
      measures.forEach(measure -> header.append(String.format(Locale.ROOT, "  %-24s", measure + " (95% interval)")));
    }
    out.println(header.toString().stripTrailing());
    byPoint.forEach((point, runs) -> {
      long completed = runs.stream().filter(row -> RunOutcome.COMPLETED.wireName().equals(row.status())).count();
      long failed = runs.stream().filter(SweepRunRow::failed).count();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %6d %10d %7d",
          point.label(), runs.size(), completed, failed));
      if (measures.isEmpty()) {
        long trials = runs.stream().filter(row -> row.figure(figure) instanceof Boolean).count();
        long yes = runs.stream().filter(row -> Boolean.TRUE.equals(row.figure(figure))).count();
        Intervals.Interval share = Intervals.wilson(yes, trials);
        line.append("  ").append(trials == 0 ? "-" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
            share.estimate(), share.low(), share.high()));
      }
      for (String measure : measures) {
        double[] values = runs.stream().filter(row -> RunOutcome.COMPLETED.wireName().equals(row.status()))
            .map(row -> row.measures().get(measure)).filter(v -> v != null && Double.isFinite(v))
            .mapToDouble(Double::doubleValue).toArray();
        Intervals.Interval mean = values.length == 0 ? null : Intervals.bootstrapMean(values, measure.hashCode());
        line.append(String.format(Locale.ROOT, "  %-24s", mean == null ? "-"
            : String.format(Locale.ROOT, "%s [%s, %s]", SummaryPrinter.measure(mean.estimate()),
                SummaryPrinter.measure(mean.low()), SummaryPrinter.measure(mean.high()))));
      }
      out.println(line.toString().stripTrailing());
    });
    out.println("sweep directory: " + dir + " (runs.csv: one row per run)");
  }
}
