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

  /**
   * Waits until {@code file} has more than {@code lines} lines (a header and that many rows),
   * while {@code process} lives; fails after 90 s or if it ends first.
   */
  public static void awaitLines(java.nio.file.Path file, int lines, Process process) throws Exception {
    java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofSeconds(90));
    while (java.time.Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("the run ended before it could be killed (exit " + process.exitValue() + ")");
      }
      if (java.nio.file.Files.exists(file) && java.nio.file.Files.readAllLines(file).size() > lines) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + lines + " rows in " + file.getFileName() + " in time");
  }

  /** Waits until {@code file} contains {@code text}, while {@code process} lives; fails after 90 s or if it ends first. */
  public static void awaitText(java.nio.file.Path file, String text, Process process) throws Exception {
    java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofSeconds(90));
    while (java.time.Instant.now().isBefore(deadline)) {
      if (java.nio.file.Files.exists(file) && java.nio.file.Files.readString(file).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the process ended (exit " + process.exitValue() + ") before writing: " + text);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no '" + text + "' in " + file.getFileName() + " in time");
  }

  /**
   * Kills {@code process} hard (SIGKILL on Linux, no shutdown hook) once {@code file} has more
   * than {@code lines} lines, and waits for it to end.
   */
  public static void killAfterLines(Process process, java.nio.file.Path file, int lines) throws Exception {
    try {
      awaitLines(file, lines, process);
      process.destroyForcibly();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("the killed process did not end in 30 s");
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
