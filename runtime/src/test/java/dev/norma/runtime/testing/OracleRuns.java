package dev.norma.runtime.testing;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.results.RunDirectory;
import dev.norma.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Path;

/** The oracle's run directory: the plain loop of a spec, written through the runs' own writer. */
public final class OracleRuns {
  private OracleRuns() {
  }

  /** Writes the plain loop of {@code spec} at its seed into {@code dir}; what it measured. */
  public static PopulationObserver write(ExperimentSpec spec, Path dir) throws IOException {
    Oracle oracle = new Oracle(spec);
    try (RunDirectory out = new RunDirectory(dir, spec, oracle.plan().game(), oracle.plan().populationSize())) {
      out.logInterventions(oracle.plan().interventions().applied());
      return oracle.run(out::writeInteraction, out::writeRound);
    }
  }
}
