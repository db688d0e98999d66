package dev.norma.runtime.study;

import dev.norma.agents.measure.PopulationObserver;
import dev.norma.protocols.spec.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Path;

/** The plain-loop reference run, for tests in other packages. */
public final class ActorRunEqualsPlainLoopTestAccess {
  private ActorRunEqualsPlainLoopTestAccess() {
  }

  public static PopulationObserver runPlain(ExperimentSpec spec, Path dir) throws IOException {
    return ActorRunEqualsPlainLoopTest.runPlain(spec, dir);
  }

  public static String gunzip(Path file) throws IOException {
    return ActorRunEqualsPlainLoopTest.gunzip(file);
  }
}
