package dev.norma.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code norma} command. Exit codes: 0 success (a finished run, converged or not), 1 an error
 * while running or a run that failed, 2 a bad spec or bad arguments, 130 interrupted. Nothing
 * reaches the terminal as a stack trace unless {@code NORMA_DEBUG=1}.
 */
@Command(name = "norma", mixinStandardHelpOptions = true, versionProvider = NormaCli.Version.class,
    description = "Runs studies of populations of language-model agents as sharded actors.",
    subcommands = {RunCommand.class, ReportCommand.class, ProbeCommand.class, EstimateCommand.class, NodeCommand.class,
        ClusterCommands.Submit.class, ClusterCommands.Status.class, ClusterCommands.Cancel.class,
        ClusterCommands.Fetch.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class NormaCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_ERROR = 1;
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_INTERRUPTED = 130;

  public static void main(String[] args) {
    // Initialise logging before any thread logs, so no early message is queued and replayed.
    org.slf4j.LoggerFactory.getILoggerFactory();
    // A library's own thread that dies (an embedded database's background writer on a damaged
    // file) is one line on the terminal, its trace in the log file, like every other failure.
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
        org.slf4j.LoggerFactory.getLogger(NormaCli.class).error("thread {} failed: {}", thread.getName(),
            String.valueOf(failure.getMessage()).lines().findFirst().orElse(""), failure));
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /** Runs the command line with the given output streams (null: the process's own). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new NormaCli());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    withOneLineErrors(cli, "norma");
    return cli.execute(args);
  }

  /**
   * Makes {@code cli} end every failure in one line under {@code name}: a bad option with the usage
   * (exit 2), anything else with its message (exit 1; NORMA_DEBUG=1 shows the trace).
   */
  public static CommandLine withOneLineErrors(CommandLine cli, String name) {
    cli.setParameterExceptionHandler((ex, ignored) -> {
      ex.getCommandLine().getErr().println(name + ": " + ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
      // Whatever no command foresaw still ends in one line; NORMA_DEBUG=1 shows the trace.
      java.io.PrintWriter errors = commandLine.getErr();
      errors.println(name + ": " + commandLine.getCommandName() + " failed: " + oneLine(ex));
      if (debug()) {
        ex.printStackTrace(errors);
      } else {
        errors.println("  (NORMA_DEBUG=1 shows where)");
      }
      errors.flush();
      return EXIT_ERROR;
    });
    return cli;
  }

  private static boolean debug() {
    String value = System.getenv("NORMA_DEBUG");
    return value != null && !value.isBlank() && !"0".equals(value) && !"false".equalsIgnoreCase(value);
  }

  /** An exception as one line: its message (or its kind, when it has none), first line only. */
  public static String oneLine(Throwable e) {
    Throwable shown = e;
    while ((shown.getMessage() == null || shown.getMessage().isBlank()) && shown.getCause() != null) {
      shown = shown.getCause();
    }
    String message = shown.getMessage();
    String kind = shown.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return kind;
    }
    String first = message.strip().lines().findFirst().orElse("");
    if (first.length() > 300) {
      first = first.substring(0, 300) + "…";
    }
    return shown instanceof java.io.IOException || shown instanceof IllegalArgumentException
        || shown instanceof IllegalStateException ? first : first + " (" + kind + ")";
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = NormaCli.class.getPackage().getImplementationVersion();
      return new String[] {"norma " + (v == null ? "development build" : v)};
    }
  }
}
