package dev.norma.agents.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One point of a sweep's grid: a value for each varied path, in the order of the {@code --vary}
 * options. Its runs are the base spec with {@link #overrides()} applied, one per replicate.
 *
 * @param index  the point's place in the grid (the order of {@code runs.csv})
 * @param paths  the varied paths
 * @param values their values here
 */
public record SweepPoint(int index, List<String> paths, List<SweepValue> values) {
  /** The label of the one point of a sweep that varies nothing. */
  public static final String BASE = "base spec";

  public SweepPoint {
    paths = List.copyOf(paths);
    values = List.copyOf(values);
    if (paths.size() != values.size()) {
      throw new IllegalArgumentException("a value for each path");
    }
  }

  /** The point's values as {@code --set} overrides, {@code path=value}. */
  public List<String> overrides() {
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      overrides.add(paths.get(i) + "=" + values.get(i).text());
    }
    return overrides;
  }

  /**
   * What identifies the point whatever the order of the options or the grid: its
   * {@code path=value} pairs, canonical values, sorted by path, one a line.
   */
  public String canonicalKey() {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < paths.size(); i++) {
      sorted.put(paths.get(i), values.get(i).text());
    }
    StringBuilder key = new StringBuilder();
    sorted.forEach((path, value) -> key.append(path).append('=').append(value).append('\n'));
    return key.toString();
  }

  /** The point for people: {@code committed.fraction=0.06, population.size=500}; {@code base spec} with no path. */
  public String label() {
    return paths.isEmpty() ? BASE : String.join(", ", overrides());
  }

  /**
   * The directory name of a replicate's run: the values joined, file-name safe, then the
   * replicate (0-based, at least two digits), e.g. {@code committed.fraction=0.06_population.size=500_r03}.
   */
  public String runName(int replicate) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < paths.size(); i++) {
      name.append(paths.get(i).replaceAll("[^A-Za-z0-9.+-]", "-")).append('=').append(values.get(i).fileSafe())
          .append('_');
    }
    return name.append(String.format(Locale.ROOT, "r%02d", replicate)).toString();
  }

  /**
   * The seed of this point's run {@code replicate} in a sweep seeded {@code sweepSeed}: the first 8
   * bytes of the SHA-256 of the sweep seed, {@link #canonicalKey()} and the replicate, made
   * non-negative. It does not depend on the point's place in the grid, so a sweep extended by more
   * values or replicates keeps the runs it has.
   */
  public long seed(long sweepSeed, int replicate) {
    String text = "norma-sweep\n" + sweepSeed + "\n" + canonicalKey() + "replicate=" + replicate + "\n";
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    long seed = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      seed = seed << 8 | (digest[i] & 0xFF);
    }
    return seed >>> 1;
  }
}
