package dev.norma.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import dev.norma.protocols.spec.SubmissionRules;
import dev.norma.runtime.results.HtmlReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that talk to a running cluster: submit, status, cancel, fetch. */
final class ClusterCommands {
  private ClusterCommands() {
  }

  /** Options every cluster command takes. */
  static class Target {
    @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
        description = "any node's HTTP API, e.g. 127.0.0.1:8558")
    String to;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "the cluster's token, if it has one (default: NORMA_TOKEN)")
    String token;

    @Spec
    CommandSpec command;

    /** The options of a command that talks to a cluster through its own option ({@code --cluster}). */
    static Target of(String to, String token, CommandSpec command) {
      Target target = new Target();
      target.to = to;
      target.token = token;
      target.command = command;
      return target;
    }

    ClusterClient client() {
      return new ClusterClient(to, token);
    }

    PrintWriter out() {
      return command.commandLine().getOut();
    }

    PrintWriter err() {
      return command.commandLine().getErr();
    }

    /** Runs an action against the cluster, turning what it reports into messages and exit codes. */
    int talk(Action action) throws Exception {
      try {
        return action.run(client());
      } catch (ClusterClient.ApiException e) {
        err().println("norma: " + to + " answered " + e.status + ": " + e.getMessage());
        return e.status == 400 || e.status == 401 || e.status == 404 ? NormaCli.EXIT_BAD_INPUT : NormaCli.EXIT_ERROR;
      } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
        err().println("norma: no node answers at " + to + " ("
            + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
        return NormaCli.EXIT_ERROR;
      } catch (ClusterClient.NotANodeException e) {
        err().println("norma: " + to + ": " + e.getMessage());
        return NormaCli.EXIT_ERROR;
      } catch (java.nio.file.FileSystemException e) {
        // Our own side: the directory a fetch writes into.
        err().println("norma: cannot write " + e.getFile() + ": " + FileProblems.reason(e));
        return NormaCli.EXIT_ERROR;
      } catch (java.io.IOException e) {
        // Anything else on the wire: a server that hangs up, or speaks something other than HTTP.
        err().println("norma: " + to + " does not answer as a Norma node ("
            + NormaCli.oneLine(e) + ")");
        return NormaCli.EXIT_ERROR;
      } catch (IllegalArgumentException e) {
        err().println("norma: --to " + to + ": not a HOST:PORT or URL (" + NormaCli.oneLine(e) + ")");
        return NormaCli.EXIT_BAD_INPUT;
      }
    }
  }

  interface Action {
    int run(ClusterClient client) throws Exception;
  }

  /** Loads, overrides and resolves a spec as {@code norma run} does; null after reporting a problem. */
  static ExperimentSpec resolve(Path specFile, List<String> overrides, Long seed, String durability, PrintWriter err) {
    List<String> all = new ArrayList<>(overrides);
    if (durability != null) {
      all.add("durability=" + durability);
    }
    ExperimentSpec spec;
    try {
      // The nodes read no key file or variable a submitted spec names: refuse such a spec here.
      spec = SpecLoader.load(specFile, all, SubmissionRules.CLIENT);
    } catch (SpecException e) {
      err.println("norma: invalid spec " + specFile + ":");
      e.problems().forEach(problem -> err.println("  " + problem));
      return null;
    }
    long runSeed = seed != null ? seed : spec.seed() != null ? spec.seed() : new SecureRandom().nextLong() >>> 1;
    String tooLong = dev.norma.runtime.study.StudyDuration.warning(spec.resolved());
    if (tooLong != null) {
      err.println("norma: warning: " + tooLong);
    }
    return spec.resolved().withSeed(runSeed);
  }

  /**
   * Follows a run until it ends, printing a progress line every few seconds unless quiet.
   *
   * @return the final status
   */
  static JsonNode follow(ClusterClient client, String runId, PrintWriter err, boolean quiet) throws Exception {
    return follow(client, runId, err, quiet, status -> { });
  }

  /** {@link #follow(ClusterClient, String, PrintWriter, boolean)}, showing {@code seen} every status it reads. */
  static JsonNode follow(ClusterClient client, String runId, PrintWriter err, boolean quiet,
                         java.util.function.Consumer<JsonNode> seen) throws Exception {
    long lastPrint = 0;
    while (true) {
      JsonNode status;
      try {
        status = client.status(runId);
      } catch (ClusterClient.ApiException e) {
        if (e.status / 100 == 5) { // the coordinator may be moving: keep asking
          Thread.sleep(1000);
          continue;
        }
        throw e;
      }
      seen.accept(status);
      String state = status.get("state").asText();
      boolean ended = !status.get("summary").isNull() || "failed".equals(state);
      if (!quiet && (ended || System.nanoTime() - lastPrint > 3_000_000_000L)) {
        lastPrint = System.nanoTime();
        err.println(line(status));
        err.flush();
      }
      if (ended) {
        return status;
      }
      Thread.sleep(500);
    }
  }

  static String line(JsonNode s) {
    return String.format(Locale.ROOT, "%s %s · round %,d of at most %,d · %,d interactions · success %.2f · top %s %.2f · %,.0f/s%s",
        s.get("runId").asText(), s.get("state").asText(), s.get("populationRounds").asLong(),
        s.get("maxRounds").asLong(), s.get("interactions").asLong(), s.get("successRate").asDouble(),
        s.get("topName").asText().isEmpty() ? "-" : s.get("topName").asText(), s.get("topShare").asDouble(),
        s.get("perSecond").asDouble(), reason(s));
  }

  /** The status's message, or for a failed run the reason its summary gives. */
  private static String reason(JsonNode s) {
    if (!s.path("message").isNull() && !s.path("message").isMissingNode()) {
      return " · " + s.get("message").asText();
    }
    JsonNode why = s.path("summary").path("stopReason");
    return "failed".equals(s.path("state").asText()) && why.isTextual() ? " · " + why.asText() : "";
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submits a study to a cluster and prints its run id.",
          "With --wait, follows it to the end; with --out, also fetches its run directory."})
  static final class Submit implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "the study's spec file (YAML)")
    Path specFile;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a spec field (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "the run seed (overrides the spec's)")
    Long seed;

    @Option(names = "--durability", paramLabel = "none|durable",
        description = "none: fastest, lost with any node; durable: survives a lost node (default: the spec's)")
    String durability;

    @Option(names = "--wait", description = "follow the run until it ends")
    boolean await;

    @Option(names = "--out", paramLabel = "DIR", description = "after the run, fetch its run directory here (implies --wait)")
    Path out;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() throws Exception {
      ExperimentSpec spec = resolve(specFile, overrides, seed, durability, target.err());
      if (spec == null) {
        return NormaCli.EXIT_BAD_INPUT;
      }
      return target.talk(client -> submitAndFollow(client, spec, await || out != null, out, quiet, target.out(),
          target.err()));
    }
  }

  /** Submits, optionally follows the run and fetches its directory; the exit code. */
  static int submitAndFollow(ClusterClient client, ExperimentSpec spec, boolean await, Path out, boolean quiet,
                             PrintWriter stdout, PrintWriter err) throws Exception {
    String runId = client.submit(spec, false);
    stdout.println(runId);
    stdout.flush();
    if (!await) {
      return NormaCli.EXIT_OK;
    }
    JsonNode status = follow(client, runId, err, quiet);
    if (out != null) {
      int files = client.fetch(runId, out);
      if (!quiet) {
        err.println("fetched " + files + " files into " + out);
      }
      drawReport(out, err);
    }
    String state = status.get("state").asText();
    return "completed".equals(state) ? NormaCli.EXIT_OK
        : "cancelled".equals(state) || "interrupted".equals(state) ? NormaCli.EXIT_INTERRUPTED : NormaCli.EXIT_ERROR;
  }

  /** Nodes draw no report.html: it is drawn here from the fetched files of a finished run. */
  private static void drawReport(Path dir, PrintWriter err) {
    if (Files.isRegularFile(dir.resolve("summary.json")) && !Files.exists(dir.resolve(HtmlReport.FILE))) {
      RunCommand.writeReport(dir, err);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Shows a run's status on a cluster (JSON with --json).")
  static final class Status implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    String runId;

    @Option(names = "--json", description = "the whole status as JSON")
    boolean json;

    @Option(names = "--wait", description = "follow the run until it ends")
    boolean await;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() throws Exception {
      return target.talk(client -> {
        JsonNode status = await ? follow(client, runId, target.err(), json) : client.status(runId);
        target.out().println(json ? status.toPrettyString() : line(status));
        // A script asking after a run learns from the exit code whether it failed.
        return "failed".equals(status.path("state").asText()) ? NormaCli.EXIT_ERROR : NormaCli.EXIT_OK;
      });
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a run on a cluster.")
  static final class Cancel implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    String runId;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() throws Exception {
      return target.talk(client -> {
        target.out().println(line(client.cancel(runId)));
        return NormaCli.EXIT_OK;
      });
    }
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = {"Downloads a run's directory: spec.yaml, rounds.csv, shares.csv,",
          "interactions.csv.gz, rounds.parquet, shares.parquet, interactions.parquet,",
          "summary.json, report.png, report.html (drawn here if the node has none),",
          "interventions.csv when the spec has interventions, and calls.jsonl.gz for llm",
          "agents (every file the node serves)."})
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    String runId;

    @Option(names = "--out", paramLabel = "DIR", description = "where to put the files (default runs/RUN)")
    Path out;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() throws Exception {
      Path dir = out != null ? out : Path.of("runs", runId);
      return target.talk(client -> {
        int files = client.fetch(runId, dir);
        target.out().println("fetched " + files + " files into " + dir);
        drawReport(dir, target.err());
        return files > 0 ? NormaCli.EXIT_OK : NormaCli.EXIT_ERROR;
      });
    }
  }
}
