package dev.norma.runtime.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class in a JVM of its own, on this JVM's class path, for tests that kill processes. */
public final class JavaProcesses {
  private JavaProcesses() {
  }

  /**
   * @param log       where the process's stdout and stderr go
   * @param jvmArgs   e.g. -Xmx256m
   * @param mainClass the class to run
   * @param args      its arguments
   */
  public static Process start(Path log, List<String> jvmArgs, Class<?> mainClass, List<String> args,
                              java.util.Map<String, String> environment) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    builder.directory(new File(System.getProperty("user.dir")));
    return builder.start();
  }
}
