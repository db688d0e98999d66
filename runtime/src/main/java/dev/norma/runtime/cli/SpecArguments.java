package dev.norma.runtime.cli;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecException;
import dev.norma.protocols.spec.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Loads the spec a command names, printing every problem the way all commands do. */
final class SpecArguments {
  private SpecArguments() {
  }

  /** The spec with its overrides, or null after printing why it cannot be used (exit code 2). */
  static ExperimentSpec load(Path specFile, List<String> overrides, PrintWriter err) {
    try {
      return SpecLoader.load(specFile, overrides);
    } catch (SpecException e) {
      err.println("norma: invalid spec " + specFile + ":");
      e.problems().forEach(problem -> err.println("  " + problem));
      return null;
    }
  }
}
