package dev.norma.runtime.testing;

import dev.norma.runtime.cli.NormaCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The {@code norma} command run in this JVM, as often as a test needs, keeping all it printed, so
 * a failed check can show every command's errors. {@link CliRun} is the one-command form.
 */
public final class NormaConsole {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code norma args...}; its exit code. */
  public int run(String... args) {
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** What the commands printed on stdout since the start or the last {@link #clear()}. */
  public String out() {
    return out.toString();
  }

  /** What the commands printed on stderr since the start or the last {@link #clear()}. */
  public String err() {
    return err.toString();
  }

  /** Forgets what was printed. */
  public void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
