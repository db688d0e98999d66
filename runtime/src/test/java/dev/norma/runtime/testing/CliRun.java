package dev.norma.runtime.testing;

import dev.norma.runtime.cli.NormaCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code norma} command run in this JVM, with what it printed.
 *
 * @param code its exit code
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record CliRun(int code, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
