package dev.norma.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the loadtest jar, reached through the launcher as {@code ./norma bench ...} and
 * {@code ./norma fake-llm ...}.
 * Benchmarks print their figures and exit non-zero when a correctness check fails.
 */
@Command(name = "norma bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: speed and size figures, measured side by side in one run.",
    subcommands = {ActorThroughputBenchmark.class, ScaleBenchmark.class, EncounterBenchmark.class, GatewayBenchmark.class,
        ClusterBenchmark.class, SoakBenchmark.class, DurableBenchmark.class, RetentionBenchmark.class})
public final class LoadtestCli {
  LoadtestCli() {
  }

  public static void main(String[] args) throws Exception {
    org.slf4j.LoggerFactory.getILoggerFactory();
    if (args.length > 0 && "fake-llm".equals(args[0])) {
      dev.norma.testkit.fakellm.FakeLlmMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String[] rest = args.length > 0 && "bench".equals(args[0])
        ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    System.exit(dev.norma.runtime.cli.NormaCli.withOneLineErrors(new CommandLine(new LoadtestCli()), "norma bench")
        .execute(rest));
  }
}
