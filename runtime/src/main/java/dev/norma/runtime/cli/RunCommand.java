package dev.norma.runtime.cli;

import com.typesafe.config.ConfigFactory;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.Summary;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.protocols.spec.SubmissionRules;
import dev.norma.runtime.encounter.EncounterRuns;
import dev.norma.runtime.inference.ApiKeys;
import dev.norma.runtime.inference.CallJournal;
import dev.norma.runtime.inference.CallJournalReader;
import dev.norma.runtime.inference.EngineException;
import dev.norma.runtime.inference.InferenceSettings;
import dev.norma.runtime.inference.ReplayBook;
import dev.norma.runtime.metrics.MetricsServer;
import dev.norma.runtime.metrics.PopulationMeters;
import dev.norma.runtime.results.HtmlReport;
import dev.norma.runtime.results.RunLock;
import dev.norma.runtime.study.DurableRuns;
import dev.norma.runtime.study.JournalDatabase;
import dev.norma.runtime.study.ProgressListener;
import dev.norma.runtime.study.RunCoordinator;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        "spec.yaml, rounds.csv, shares.csv, interactions.csv.gz, report.png, summary.json, report.html",
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
          + " so the run can be resumed (default: the spec's durability, else durable for policy.kind llm,"
          + " none for the others)")
  String durability;

  @Option(names = "--cluster", paramLabel = "HOST:PORT",
      description = "run on a cluster through any node's HTTP API, follow it, and fetch the run directory")
  String cluster;

  @Option(names = "--token", paramLabel = "TOKEN", description = "with --cluster: the cluster's token (default: NORMA_TOKEN)")
  String token;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "continue the durable run in DIR where it stopped (no SPEC)")
  Path resume;

  @Option(names = "--accept-damaged-journal",
      description = "read past damage in a call journal (--replay's, or the run's own on --resume): skip the"
          + " lines that cannot be read, with a warning that counts them, instead of stopping")
  boolean acceptDamagedJournal;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "override a spec field by its dotted path, e.g. population.size=1000, a list's element by"
          + " its index, e.g. inference.endpoints[0].url=URL (repeatable); a --set of committed.count alone"
          + " replaces the file's committed.fraction (and the other way round)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "the run seed (overrides the spec's)")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "the run directory (must be absent or empty);"
      + " default: the spec's output.dir if absent or empty, else a new NAME[-SETTINGS]-TIME directory beside it"
      + " or under runs/, SETTINGS being the --set and --seed given here")
  Path out;

  @Option(names = "--quiet", description = "no progress bar and no summary on the terminal")
  boolean quiet;

  @Option(names = "--no-report", description = "do not write report.html at the end (norma report DIR writes it later)")
  boolean noReport;

  @Spec
  CommandSpec command;

  /** The recorded answers of {@code --replay}, read before the run starts. */
  private ReplayBook replayBook;

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
    // What the researcher changed, for the run directory's name: --durability changes no result.
    List<String> setOnCommandLine = List.copyOf(overrides);
    if (durability != null) {
      overrides.add("durability=" + durability);
    }
    ExperimentSpec spec;
    try {
      // On a cluster the nodes read no key file or variable the spec names: refuse such a spec here.
      spec = SpecLoader.load(specFile, overrides, cluster != null ? SubmissionRules.CLIENT : null);
    } catch (SpecException e) {
      err.println("norma: invalid spec " + specFile + ":");
      for (String problem : e.problems()) {
        err.println("  " + problem);
      }
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (specFromReplay) {
      // The recorded spec names the recorded run's directory; the replay writes a new one.
      spec = spec.withOutput(spec.output().withDir(null));
    }
    long runSeed = seed != null ? seed : spec.seed() != null ? spec.seed() : new SecureRandom().nextLong() >>> 1;
    Path dir = runDirectory(spec, setOnCommandLine, err);
    if (dir == null) {
      return NormaCli.EXIT_BAD_INPUT;
    }
    String notYet = EncounterRuns.refusal(spec, cluster != null);
    if (notYet != null) {
      err.println("norma: " + notYet);
      return NormaCli.EXIT_BAD_INPUT;
    }
    // On a cluster the nodes read the credentials, not this machine.
    List<String> keyProblems = PolicySpec.LLM.equals(spec.policy().kind()) && cluster == null
        ? ApiKeys.problems(spec.inference(), InferenceSettings.fromConfig(ConfigFactory.load()).secretsDir())
        : List.of();
    if (!keyProblems.isEmpty() && replay == null) {
      err.println("norma: cannot read API keys:");
      keyProblems.forEach(problem -> err.println("  " + problem));
      return NormaCli.EXIT_BAD_INPUT;
    }
    keyProblems.forEach(problem -> err.println("norma: warning: " + problem
        + "; calls the journal cannot answer will fail"));
    if (cluster == null) {
      // A study too large for this JVM would die of OutOfMemoryError part way; say so first.
      com.typesafe.config.Config config = ConfigFactory.load();
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
        .withOutput(spec.output().withDir(dir.toString()));
    if (cluster != null) {
      return ClusterCommands.Target.of(cluster, token, command)
          .talk(client -> ClusterCommands.submitAndFollow(client, resolved, true, dir, quiet, stdout, err));
    }
    if (replay != null) {
      // Read whole before anything is written or sent: a damaged journal stops the run here.
      try {
        replayBook = ReplayBook.read(replay, journalReading(err));
      } catch (CallJournalReader.DamagedJournalException e) {
        err.println("norma: --replay: " + e.getMessage());
        return NormaCli.EXIT_BAD_INPUT;
      }
    }
    return execute(resolved, dir, err, stdout);
  }

  /** How call journals are read: damage stops the run unless accepted; notes go to the terminal. */
  private CallJournalReader.Reading journalReading(PrintWriter err) {
    return new CallJournalReader.Reading(acceptDamagedJournal, notice -> {
      err.println("norma: " + notice);
      err.flush();
    });
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
    return execute(recorded.withOutput(recorded.output().withDir(resume.toString())),
        resume, err, stdout);
  }

  private Integer execute(ExperimentSpec resolved, Path dir, PrintWriter err, PrintWriter stdout) throws Exception {
    // Java2D and the chart library load while the run goes, not after it (report.png).
    dev.norma.runtime.results.RunReport.prepare();
    ConsoleProgress progress = quiet ? null : new ConsoleProgress(err, resolved);
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
    StudyOptions options = new StudyOptions(replayBook, metrics == null ? null : metrics.registry(),
        journalReading(err));
    boolean durable = resolved.durable();
    RunLock lock;
    try {
      lock = RunLock.acquire(dir);
      if (durable) {
        DurableRuns.prepare(dir, resolved);
      }
    } catch (RunLock.Held held) {
      err.println("norma: " + held.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    } catch (java.io.IOException e) {
      // Under /proc, inside a file, a name too long: one line naming the directory.
      err.println("norma: cannot create the run directory " + dir + ": " + FileProblems.reason(e));
      return NormaCli.EXIT_BAD_INPUT;
    }
    lock.previous().ifPresent(previous -> err.println("norma: the run's last " + previous
        + " ended without stopping in order; going on from what its journal holds"));
    String resumeHint = durable ? "; continue with: norma run --resume " + dir : "; finished rows are in " + dir;
    StudyRunner[] running = new StudyRunner[1];
    try (RunLock held = lock;
         AutoCloseable log = LogFile.attach(dir.resolve("norma.log"));
         Interrupts interrupts = Interrupts.install(() -> running[0] != null && running[0].interrupt(), err,
             resumeHint);
         StudyRunner runner = durable ? StudyRunner.durable(dir) : new StudyRunner();
         MetricsServer served = metrics) {
      running[0] = runner;
      Summary summary;
      try {
        var encounters = EncounterRuns.gameOf(resolved);
        summary = encounters != null ? runner.runEncounters(resolved, encounters, dir, listener, options)
            : durable ? runner.runDurable(resolved, dir, listener, options) : runner.run(resolved, dir, listener, options);
      } finally {
        if (progress != null) {
          progress.close();
        }
      }
      interrupts.saved(held::close);
      boolean interrupted = summary.status() == RunOutcome.INTERRUPTED || interrupts.received();
      if (interrupted) {
        try (AutoCloseable quiet = LogFile.quietTerminal()) {
          runner.closeNow();
        }
      }
      if (!interrupted && !noReport) {
        writeReport(dir, err);
      }
      if (!quiet) {
        SummaryPrinter.print(stdout, summary, dir,
            resolved.committedCount() > 0 ? resolved.committed().name() : null);
      }
      stdout.flush();
      if (!interrupted && summary.status() == RunOutcome.FAILED) {
        err.println("norma: the run failed: " + summary.stopReason());
        err.println("  what was finished is in " + dir
            + (durable ? "; continue it with: norma run --resume " + dir : ""));
        err.flush();
        return NormaCli.EXIT_ERROR;
      }
      return interrupted ? NormaCli.EXIT_INTERRUPTED : NormaCli.EXIT_OK;
    } catch (DurableRuns.OtherDatabase e) {
      err.println("norma: cannot resume " + dir + ": " + e.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    } catch (JournalDatabase.Unavailable e) {
      err.println("norma: " + e.getMessage());
      err.println("  nothing was changed in " + dir + (durable ? "; continue it with: norma run --resume " + dir : ""));
      return NormaCli.EXIT_ERROR;
    } catch (CallJournalReader.DamagedJournalException e) {
      // The run's own call journal, read on resume: left as it was, nothing was sent.
      err.println("norma: cannot resume " + dir + ": " + e.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    } catch (EngineException e) {
      // An in-process model that cannot be read or loaded: say which, without a stack trace.
      err.println("norma: cannot start the run: " + e.getMessage());
      return NormaCli.EXIT_ERROR;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RunCoordinator.JournalUnusable unusable) {
        err.println("norma: the run stopped: " + unusable.getMessage());
        err.println("  its files in " + dir + " are as they were (every interaction the journal holds);"
            + " an embedded journal that cannot be read is damaged (details in " + dir.resolve("norma.log")
            + "); a database server's may be resumed once it is back: norma run --resume " + dir);
        return NormaCli.EXIT_ERROR;
      }
      err.println("norma: the run failed: " + NormaCli.oneLine(e.getCause()));
      err.println("  what was finished is in " + dir
          + (durable ? "; continue it with: norma run --resume " + dir : ""));
      return NormaCli.EXIT_ERROR;
    }
  }

  /**
   * The report.html of a run or sweep directory, after its summary; a report that cannot be written
   * is a one-line warning and fails nothing.
   */
  static void writeReport(Path dir, PrintWriter err) {
    try {
      HtmlReport.write(dir);
    } catch (java.io.IOException | RuntimeException e) {
      err.println("norma: warning: report.html not written: " + NormaCli.oneLine(e)
          + "; try again with: norma report " + dir);
      err.flush();
    }
  }

  /**
   * The run directory: {@code --out}, which must be absent or empty; else the spec's
   * {@code output.dir} if absent or empty; else a new directory named after the study, the
   * command line's settings and the time, beside the spec's {@code output.dir} (so that
   * {@code norma run RUN/spec.yaml} repeats a run into a new directory) or under {@code runs/}.
   * Null after saying why there is none.
   */
  private Path runDirectory(ExperimentSpec spec, List<String> setOnCommandLine, PrintWriter err)
      throws java.io.IOException {
    if (out != null) {
      if (RunDirectories.holdsSomething(out)) {
        err.println("norma: output directory " + out + " already exists and is not empty; choose another"
            + " --out DIR, or leave --out out for a new directory under " + RunDirectories.DEFAULT_PARENT + "/");
        return null;
      }
      return out;
    }
    String settings = RunDirectories.settings(setOnCommandLine, seed);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    if (spec.output().dir() == null) {
      return RunDirectories.fresh(RunDirectories.DEFAULT_PARENT, spec.name(), settings, now);
    }
    Path named = Path.of(spec.output().dir());
    if (!RunDirectories.holdsSomething(named)) {
      return named;
    }
    if (!Files.isDirectory(named)) {
      err.println("norma: output.dir " + named + " is a file, not a directory; choose another with --out");
      return null;
    }
    Path parent = named.getParent() == null ? Path.of("") : named.getParent();
    Path fresh = RunDirectories.fresh(parent, spec.name(), settings, now);
    err.println("norma: output.dir " + named + " already holds a run; this run goes to " + fresh);
    err.flush();
    return fresh;
  }
}
