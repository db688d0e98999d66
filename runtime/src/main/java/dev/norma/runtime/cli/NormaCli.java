package dev.norma.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code norma} command. Exit codes: 0 success (a finished run, converged or not), 1 an error
 * while running, 2 a bad spec or bad arguments, 130 interrupted.
 */
@Command(name = "norma", mixinStandardHelpOptions = true, versionProvider = NormaCli.Version.class,
    description = "Runs studies of populations of language-model agents as sharded actors.",
    subcommands = {RunCommand.class, ProbeCommand.class, EstimateCommand.class, NodeCommand.class,
        ClusterCommands.Submit.class, ClusterCommands.Status.class, ClusterCommands.Cancel.class,
        ClusterCommands.Fetch.class, CommandLine.HelpCommand.class})
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
    cli.setParameterExceptionHandler((ex, ignored) -> {
      ex.getCommandLine().getErr().println("norma: " + ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return EXIT_BAD_INPUT;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = NormaCli.class.getPackage().getImplementationVersion();
      return new String[] {"norma " + (v == null ? "development build" : v)};
    }
  }
}
