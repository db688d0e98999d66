package dev.norma.loadtest;

/** Entry point of the loadtest jar; subcommands are added as benchmarks land. */
public final class LoadtestCli {
  private LoadtestCli() {
  }

  public static void main(String[] args) {
    System.err.println("usage: norma bench ...");
    System.exit(2);
  }
}
