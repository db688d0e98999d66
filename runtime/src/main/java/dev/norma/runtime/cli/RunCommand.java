package dev.norma.runtime.cli;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.OutputSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.runtime.inference.ApiKeys;
import dev.norma.runtime.inference.EngineException;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.metrics.MetricsServer;
import dev.norma.runtime.metrics.PopulationMeters;
import dev.norma.runtime.results.Summary;
import dev.norma.runtime.study.DurableRuns;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.RunSettings;
import dev.norma.runtime.study.StudyDuration;
import dev.norma.runtime.study.StudyLimits;
import dev.norma.runtime.study.StudyOptions;
import dev.norma.runtime.study.StudyRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code norma run [SPEC] [--set path=value]... [--seed N] [--out DIR] [--quiet] [--replay RUN_DIR]
 * [--metrics-port P] [--durability D] [--cluster HOST:PORT]}, {@code norma run --resume DIR}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs a study described by a spec file and writes a run directory:",
        "spec.yaml, rounds.csv, interactions.csv.gz, report.png, summary.json",
        "(and calls.jsonl.gz for llm agents).",
        "A durable run (--durability durable) keeps a journal in DIR/journal and,",
        "if it is killed, continues with: norma run --resume DIR"})
public final class RunCommand implements Callable<Integer> {
  /** The largest TCP port number. */
  static final int MAX_PORT = 65_535;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC",
      description = "the study's spec file (YAML); with --replay, default RUN_DIR/spec.yaml")
  Path specFile;

  @Option(names = "--replay", paramLabel = "RUN_DIR",
      description = "answer language-model calls from this run's call journal where the prompts match; "
          + "only the others go to the endpoints")
  Path replay;

  @Option(names = "--metrics-port", paramLabel = "P",
      description = "serve Prometheus metrics at http://HOST:P/metrics while the run lasts (0: any free port)")
  Integer metricsPort;

  @Option(names = "--durability", paramLabel = "none|durable",
      description = "none: in memory only (fastest); durable: every finished interaction is journaled first,"
          + " so the run can be resumed (default: the spec's, else none)")
  String durability;

  @Option(names = "--cluster", paramLabel = "HOST:PORT",
      description = "run on a cluster through any node's HTTP API, follow it, and fetch the run directory")
  String cluster;

  @Option(names = "--token", paramLabel = "TOKEN", description = "with --cluster: the cluster's token (default: NORMA_TOKEN)")
  String token;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "continue the durable run in DIR where it stopped (no SPEC)")
  Path resume;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "override a spec field by its dotted path, e.g. population.size=1000 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "the run seed (overrides the spec's)")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "the run directory (must be absent or empty)")
  Path out;

  @Option(names = "--quiet", description = "no progress bar and no summary on the terminal")
  boolean quiet;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    if (resume != null) {
      return resume(err, stdout);
    }
    boolean specFromReplay = specFile == null && replay != null;
    if (specFile == null && replay == null) {
      err.println("norma: missing SPEC (or --replay RUN_DIR, whose spec.yaml is then the spec, or --resume DIR)");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (replay != null && !Files.isRegularFile(replay.resolve(CallJournal.FILE))) {
      err.println("norma: --replay " + replay + ": no " + CallJournal.FILE + " there (a run of llm agents writes one)");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (specFromReplay) {
      specFile = replay.resolve("spec.yaml");
    }
    if (durability != null) {
      overrides.add("durability=" + durability);
    }
    ExperimentSpec spec;
    try {
      spec = SpecLoader.load(specFile, overrides);
    } catch (SpecException e) {
      err.println("norma: invalid spec " + specFile + ":");
      for (String problem : e.problems()) {
        err.println("  " + problem);
      }
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (specFromReplay) {
      // The recorded spec names the recorded run's directory; the replay writes a new one.
      spec = spec.withOutput(new OutputSpec(null, spec.output().interactions()));
    }
    long runSeed = seed != null ? seed : spec.seed() != null ? spec.seed() : new SecureRandom().nextLong() >>> 1;
    Path dir = out != null ? out : spec.output().dir() != null ? Path.of(spec.output().dir())
        : Path.of("runs", spec.name() + "-" + ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<String> keyProblems = PolicySpec.LLM.equals(spec.policy().kind())
        ? ApiKeys.problems(spec.inference()) : List.of();
    if (!keyProblems.isEmpty() && replay == null) {
      err.println("norma: cannot read API keys:");
      keyProblems.forEach(problem -> err.println("  " + problem));
      return NormaCli.EXIT_BAD_INPUT;
    }
    keyProblems.forEach(problem -> err.println("norma: warning: " + problem
        + "; calls the journal cannot answer will fail"));
    if (cluster == null) {
      // A study too large for this JVM would die of OutOfMemoryError part way; say so first.
      com.typesafe.config.Config config = com.typesafe.config.ConfigFactory.load();
      String refusal = StudyLimits.fromConfig(config).refusal(spec.resolved(), 1,
          RunSettings.fromConfig(config).registryBatchSize(), Runtime.getRuntime().maxMemory());
      if (refusal != null) {
        err.println("norma: " + refusal);
        return NormaCli.EXIT_BAD_INPUT;
      }
    }
    String tooLong = StudyDuration.warning(spec.resolved());
    if (tooLong != null) {
      err.println("norma: warning: " + tooLong);
      err.flush();
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > MAX_PORT)) {
      err.println("norma: --metrics-port " + metricsPort + ": expected a port in 0.." + MAX_PORT);
      return NormaCli.EXIT_BAD_INPUT;
    }
    ExperimentSpec resolved = spec.resolved().withSeed(runSeed)
        .withOutput(new OutputSpec(dir.toString(), spec.output().interactions()));
    if (cluster == null) {
      String claimProblem = RunDirectoryClaim.claim(dir);
      if (claimProblem != null) {
        err.println("norma: " + claimProblem);
        return NormaCli.EXIT_BAD_INPUT;
      }
    }
    if (cluster != null) {
      return new ClusterCommands.Target() {
        {
          to = cluster;
          token = RunCommand.this.token;
          command = RunCommand.this.command;
        }
      }.talk(client -> ClusterCommands.submitAndFollow(client, resolved, true, dir, quiet, stdout, err));
    }
    try {
      return execute(resolved, dir, err, stdout);
    } finally {
      RunDirectoryClaim.release(dir);
    }
  }

  /** Resumes the durable run in {@code resume} from its journal, with the spec it recorded. */
  private Integer resume(PrintWriter err, PrintWriter stdout) throws Exception {
    if (specFile != null || !overrides.isEmpty() || seed != null || out != null || replay != null) {
      err.println("norma: --resume takes the run directory only: the run goes on with the spec it recorded");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (!DurableRuns.isDurable(resume)) {
      err.println("norma: " + resume + " is not a durable run's directory (no " + DurableRuns.JOURNAL_DIR
          + "/run-id); only runs started with --durability durable can be resumed");
      return NormaCli.EXIT_BAD_INPUT;
    }
    ExperimentSpec recorded;
    try {
      recorded = SpecLoader.load(resume.resolve("spec.yaml"), List.of());
    } catch (SpecException e) {
      err.println("norma: cannot read the recorded spec of " + resume + ": " + String.join("; ", e.problems()));
      return NormaCli.EXIT_BAD_INPUT;
    }
    return execute(recorded.withOutput(new OutputSpec(resume.toString(), recorded.output().interactions())),
        resume, err, stdout);
  }

  /** False when the JVM is already shutting down (Ctrl-C came as the run ended). */
  private static boolean removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private Integer execute(ExperimentSpec resolved, Path dir, PrintWriter err, PrintWriter stdout) throws Exception {
    ConsoleProgress progress = quiet ? null : new ConsoleProgress(err, resolved);
    CountDownLatch finished = new CountDownLatch(1);
    MetricsServer metrics = null;
    if (metricsPort != null) {
      try {
        metrics = MetricsServer.start(System.getenv().getOrDefault("NORMA_METRICS_HOST", "0.0.0.0"), metricsPort);
      } catch (java.io.IOException e) {
        err.println("norma: cannot serve metrics on port " + metricsPort + ": " + e.getMessage());
        return NormaCli.EXIT_BAD_INPUT;
      }
      err.println("norma: metrics at http://127.0.0.1:" + metrics.port() + "/metrics");
      err.flush();
    }
    ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
    if (metrics != null) {
      listener = PopulationMeters.alongside(listener, new PopulationMeters(metrics.registry()));
    }
    StudyOptions options = new StudyOptions(replay, metrics == null ? null : metrics.registry());
    boolean durable = resolved.durable();
    try (StudyRunner runner = durable ? StudyRunner.durable(dir) : new StudyRunner(); MetricsServer served = metrics) {
      Thread hook = new Thread(() -> {
        runner.interrupt();
        try {
          finished.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "norma-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Summary summary;
        try {
          summary = durable ? runner.runDurable(resolved, dir, listener, options) : runner.run(resolved, dir, listener, options);
        } finally {
          if (progress != null) {
            progress.close();
          }
        }
        if (!quiet) {
          SummaryPrinter.print(stdout, summary, dir);
        }
        stdout.flush();
        if ("interrupted".equals(summary.status())) {
          return NormaCli.EXIT_INTERRUPTED;
        }
        if ("failed".equals(summary.status())) {
          err.println("norma: the run failed: " + summary.stopReason());
          err.println("  what was finished is in " + dir
              + (durable ? "; continue it with: norma run --resume " + dir : ""));
          err.flush();
          removeHook(hook);
          return NormaCli.EXIT_ERROR;
        }
        return removeHook(hook) ? NormaCli.EXIT_OK : NormaCli.EXIT_INTERRUPTED;
      } finally {
        // The interrupt hook holds the JVM open until the summary is out.
        finished.countDown();
      }
    } catch (EngineException e) {
      // An in-process model that cannot be read or loaded: say which, without a stack trace.
      err.println("norma: cannot start the run: " + e.getMessage());
      return NormaCli.EXIT_ERROR;
    } catch (java.util.concurrent.ExecutionException e) {
      err.println("norma: the run failed: " + NormaCli.oneLine(e.getCause()));
      err.println("  what was finished is in " + dir
          + (durable ? "; continue it with: norma run --resume " + dir : ""));
      return NormaCli.EXIT_ERROR;
    }
  }

}
