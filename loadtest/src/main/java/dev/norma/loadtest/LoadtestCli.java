package dev.norma.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the loadtest jar, reached through the launcher as {@code ./norma bench ...}.
 * Benchmarks print their figures and exit non-zero when a correctness check fails.
 */
@Command(name = "norma bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: speed and size figures, measured side by side in one run.",
    subcommands = {ActorThroughputBenchmark.class})
public final class LoadtestCli {
  private LoadtestCli() {
  }

  public static void main(String[] args) {
    org.slf4j.LoggerFactory.getILoggerFactory();
    String[] rest = args.length > 0 && "bench".equals(args[0])
        ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    System.exit(new CommandLine(new LoadtestCli()).execute(rest));
  }
}
