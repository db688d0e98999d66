package dev.norma.agents.sweep;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep directory's {@code sweep.json}: what was varied and how, enough to resume or extend the
 * sweep and to read its {@code runs.csv}. Values are JSON numbers when numeric, else strings.
 *
 * @param maxReplicates the cap of {@code --until}, or null
 * @param until         the {@code --until} rule as given, or null
 * @param parallel      runs at once (on a cluster: runs in flight over all its nodes)
 * @param cluster       the {@code --cluster HOST:PORT} its runs were submitted to, or null when they ran
 *                      on this machine; a resume goes on there unless given another
 */
public record SweepManifest(String name, long seed, int replicates, Integer maxReplicates, String until,
                            int parallel, SweepGrid grid, String cluster) {
  /** A sweep on this machine. */
  public SweepManifest(String name, long seed, int replicates, Integer maxReplicates, String until, int parallel,
                       SweepGrid grid) {
    this(name, seed, replicates, maxReplicates, until, parallel, grid, null);
  }

  public static final int FORMAT = 1;
  public static final String FILE = "sweep.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /** This manifest with more replicates per point. */
  public SweepManifest withReplicates(int count) {
    return new SweepManifest(name, seed, count, maxReplicates, until, parallel, grid, cluster);
  }

  public SweepManifest withParallel(int slots) {
    return new SweepManifest(name, seed, replicates, maxReplicates, until, slots, grid, cluster);
  }

  /** This manifest with its runs going to {@code address} ({@code HOST:PORT}), or to this machine (null). */
  public SweepManifest withCluster(String address) {
    return new SweepManifest(name, seed, replicates, maxReplicates, until, parallel, grid, address);
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("name", name);
    root.put("seed", seed);
    root.put("replicates", replicates);
    if (maxReplicates == null) {
      root.putNull("maxReplicates");
    } else {
      root.put("maxReplicates", maxReplicates);
    }
    root.put("until", until);
    root.put("parallel", parallel);
    root.put("cluster", cluster);
    ArrayNode vary = root.putArray("vary");
    for (SweepAxis axis : grid.axes()) {
      ObjectNode entry = vary.addObject();
      entry.put("path", axis.path());
      ArrayNode values = entry.putArray("values");
      for (SweepValue value : axis.values()) {
        if (value.numeric()) {
          values.add(new java.math.BigDecimal(value.text()));
        } else {
          values.add(value.text());
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write sweep.json", e);
    }
  }

  /**
   * Reads {@code sweep.json} text.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static SweepManifest parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(FILE + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException(FILE + ": expected format " + FORMAT);
    }
    List<SweepAxis> axes = new ArrayList<>();
    for (JsonNode entry : root.path("vary")) {
      List<SweepValue> values = new ArrayList<>();
      for (JsonNode value : entry.path("values")) {
        values.add(value.isNumber() ? SweepValue.of(value.decimalValue()) : new SweepValue(value.asText(), false));
      }
      axes.add(new SweepAxis(entry.path("path").asText(), values));
    }
    JsonNode max = root.path("maxReplicates");
    JsonNode until = root.path("until");
    if (!root.path("seed").isIntegralNumber() || !root.path("replicates").isInt()) {
      throw new IllegalArgumentException(FILE + ": expected a seed and a number of replicates");
    }
    return new SweepManifest(root.path("name").asText(), root.path("seed").asLong(),
        root.path("replicates").asInt(), max.isInt() ? max.asInt() : null,
        until.isTextual() ? until.asText() : null, Math.max(1, root.path("parallel").asInt(1)), new SweepGrid(axes),
        root.path("cluster").isTextual() ? root.path("cluster").asText() : null);
  }
}
