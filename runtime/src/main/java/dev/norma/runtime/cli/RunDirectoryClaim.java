package dev.norma.runtime.cli;

import dev.norma.runtime.results.RunDirectory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Takes a run directory for one run before anything is written to it. Two runs started into the
 * same {@code --out} at once both see it absent or empty; only one of them can create its claim
 * file (an atomic create-new), so the other stops with one line instead of both writing the same
 * files.
 */
final class RunDirectoryClaim {
  private RunDirectoryClaim() {
  }

  /** Claims {@code dir} (created if absent); returns why it cannot be, in one line, or null. */
  static String claim(Path dir) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        return "output directory " + dir + " is a file; choose another with --out";
      }
      Files.createDirectories(dir);
      if (hasEntries(dir)) {
        return "output directory " + dir + " already exists and is not empty; choose another with --out";
      }
      Files.writeString(Files.createFile(dir.resolve(RunDirectory.CLAIM_FILE)), ProcessHandle.current().pid() + "\n");
      return null;
    } catch (FileAlreadyExistsException e) {
      return "output directory " + dir + " was just taken by another run; choose another with --out";
    } catch (IOException e) {
      return "cannot create the run directory " + dir + ": " + reason(e);
    }
  }

  /**
   * Gives the directory up once the run is over: its claim file goes, and so does the directory
   * when nothing else was written to it (a run refused before it started leaves nothing behind).
   */
  static void release(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(RunDirectory.CLAIM_FILE));
      if (Files.isDirectory(dir) && !hasEntries(dir)) {
        Files.delete(dir);
      }
    } catch (IOException ignored) {
      // Best effort: a claim file left behind is harmless, a run directory holds it aside.
    }
  }

  /** What went wrong with a file operation, without the exception's class or stack. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no directory can be created there";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason(); // "Not a directory", "File name too long", "Read-only file system"
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }
}
