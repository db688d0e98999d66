package dev.norma.runtime.cli;

import dev.norma.runtime.results.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code norma report DIR [--x PATH]}: writes {@code DIR/report.html} for a run or a sweep. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes DIR/report.html, one self-contained page (plots inline, opens without a network):",
        "for a run, the shares of the leading names, success rate, entropy, distinct names, words held",
        "and the committed name's production by population round (other games: each measure of rounds.csv);",
        "for a sweep (a directory with sweep.json), the tipping curve, collective bias, convergence times",
        "and a table of every run."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "a run directory or a sweep directory")
  Path dir;

  @Option(names = "--x", paramLabel = "PATH",
      description = "a sweep's x axis: one of its varied paths (default: the first)")
  String xPath;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    if (!Files.isDirectory(dir)) {
      err.println("norma: DIR " + dir + ": not a directory");
      return NormaCli.EXIT_BAD_INPUT;
    }
    if (xPath != null && !HtmlReport.isSweep(dir)) {
      err.println("norma: --x " + xPath + ": only a sweep directory (with sweep.json) has varied paths");
      return NormaCli.EXIT_BAD_INPUT;
    }
    try {
      out.println(HtmlReport.write(dir, xPath));
      return NormaCli.EXIT_OK;
    } catch (IllegalArgumentException e) {
      err.println("norma: " + e.getMessage());
      return NormaCli.EXIT_BAD_INPUT;
    } catch (IOException e) {
      err.println("norma: cannot write the report of " + dir + ": " + FileProblems.reason(e));
      return NormaCli.EXIT_BAD_INPUT;
    }
  }
}
