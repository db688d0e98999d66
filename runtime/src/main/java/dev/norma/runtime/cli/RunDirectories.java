package dev.norma.runtime.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Names a new run directory: {@code PARENT/NAME[-SETTINGS]-yyyyMMdd-HHmmss}, where SETTINGS are the
 * command line's {@code --set} overrides and {@code --seed}, made safe for a file name, so that
 * runs of one spec with different settings are told apart by their directories. A name already
 * taken (two runs in one second) gets {@code -2}, {@code -3}, ....
 */
final class RunDirectories {
  /** Where runs go when neither {@code --out} nor the spec's {@code output.dir} says. */
  static final Path DEFAULT_PARENT = Path.of("runs");
  /**
   * The longest settings part; a longer one is cut and ends with a checksum of the whole, so that
   * two long sets of overrides still name different directories.
   */
  static final int MAX_SETTINGS_LENGTH = 60;
  private static final int CHECKSUM_LENGTH = 8;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunDirectories() {
  }

  /**
   * The settings part of a directory's name: each {@code path=value} and the seed, joined by
   * '-', every character other than letters, digits, '.', '_', '=' and '+' turned into '_'
   * (runs of them into one); empty when there are none.
   */
  static String settings(List<String> overrides, Long seed) {
    List<String> parts = new ArrayList<>();
    for (String override : overrides) {
      parts.add(override.strip());
    }
    if (seed != null) {
      parts.add("seed=" + seed);
    }
    String joined = String.join("-", parts.stream().map(RunDirectories::fileSafe).toList());
    if (joined.length() <= MAX_SETTINGS_LENGTH) {
      return joined;
    }
    CRC32 checksum = new CRC32();
    checksum.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    String suffix = String.format("%08x", checksum.getValue());
    return joined.substring(0, MAX_SETTINGS_LENGTH - CHECKSUM_LENGTH - 1) + "~" + suffix;
  }

  private static String fileSafe(String text) {
    return text.replaceAll("[^A-Za-z0-9._=+-]+", "_").replaceAll("^_|_$", "");
  }

  /** A directory under {@code parent} that does not exist yet, named after the study, its settings and now. */
  static Path fresh(Path parent, String studyName, String settings, ZonedDateTime now) {
    String base = studyName + (settings.isEmpty() ? "" : "-" + settings) + "-" + now.format(STAMP);
    Path dir = parent.resolve(base);
    for (int n = 2; Files.exists(dir); n++) {
      dir = parent.resolve(base + "-" + n);
    }
    return dir;
  }

  /** Whether a directory holds anything (a file that is not a directory counts as full). */
  static boolean holdsSomething(Path path) throws java.io.IOException {
    if (!Files.exists(path)) {
      return false;
    }
    if (!Files.isDirectory(path)) {
      return true;
    }
    try (var entries = Files.list(path)) {
      return entries.findAny().isPresent();
    }
  }
}
