package dev.norma.runtime.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Puts llama.cpp's native library where the binding loads it from, before its first use.
 *
 * <p>Left alone, the binding extracts the library to the system's temporary directory under a
 * fixed name (two JVMs starting at once overwrite each other's copy), deletes every file there
 * whose name starts with {@code llama} or {@code jllama}, and prints a line to standard output.
 * Here the library is extracted into a directory of this process's own, which the binding is told
 * to use for both; the copy is deleted when the JVM exits. A library path set by the user
 * ({@code -Dde.kherud.llama.lib.path}) is left as it is.
 */
final class LlamaLibrary {
  private static final String LIBRARY_PATH = "de.kherud.llama.lib.path";
  private static final String TEMPORARY_DIRECTORY = "de.kherud.llama.tmpdir";
  private static boolean prepared;

  private LlamaLibrary() {
  }

  static synchronized void prepare() {
    if (prepared || System.getProperty(LIBRARY_PATH) != null) {
      return;
    }
    try {
      Path directory = Files.createTempDirectory("norma-llama");
      directory.toFile().deleteOnExit();
      System.setProperty(TEMPORARY_DIRECTORY, directory.toString());
      String name = System.mapLibraryName("jllama");
      String resource = "/de/kherud/llama/" + platform() + "/" + name;
      try (InputStream in = LlamaLibrary.class.getResourceAsStream(resource)) {
        if (in != null) {
          Path library = directory.resolve(name);
          Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
          library.toFile().deleteOnExit();
          System.setProperty(LIBRARY_PATH, directory.toString());
        }
        // No library for this platform in the jar: the binding looks on java.library.path.
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract llama.cpp's native library: " + e.getMessage(), e);
    }
    prepared = true;
  }

  /** The binding's folder for this OS and CPU, e.g. {@code Linux/x86_64}. */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osFolder = os.startsWith("mac") || os.startsWith("darwin") ? "Mac"
        : os.startsWith("windows") ? "Windows" : "Linux";
    String archFolder = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
    return osFolder + "/" + archFolder;
  }
}
