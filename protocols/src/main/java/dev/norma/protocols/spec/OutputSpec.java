package dev.norma.protocols.spec;

/**
 * Where results go.
 *
 * @param dir          the run directory; {@code null} means {@code runs/<name>-<UTC timestamp>}
 * @param interactions write {@code interactions.csv.gz}, one row per interaction
 */
public record OutputSpec(String dir, Boolean interactions) {
  public OutputSpec {
    interactions = interactions == null ? Boolean.TRUE : interactions;
  }

  void validate(SpecErrors errors) {
    if (dir != null && dir.isBlank()) {
      errors.add("dir", "expected a directory path, got an empty string");
    }
  }
}
