package dev.norma.runtime.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.norma.protocols.run.RunOutcome;
import dev.norma.protocols.run.RunStatus;
import dev.norma.protocols.run.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The runs whose directories a node finds in its data folder when it starts: written by an
 * earlier session of the node (or of one before it on the same {@code --data}), they are no
 * longer in the cluster's catalogue, but their results are on this disk. Their status comes from
 * {@code summary.json}, or, without one, says the run was interrupted by the node's stop.
 */
final class EarlierRuns {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private EarlierRuns() {
  }

  /**
   * The status of every run directory under {@code dataDir/runs}, by run id.
   *
   * @param selfUrl this node's HTTP address: where their files are
   */
  static Map<String, RunStatus> scan(Path dataDir, String selfUrl) {
    Map<String, RunStatus> runs = new TreeMap<>();
    Path root = dataDir.resolve("runs");
    if (!Files.isDirectory(root)) {
      return runs;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(dir -> Files.isRegularFile(dir.resolve("spec.yaml"))).forEach(dir -> {
        String runId = dir.getFileName().toString();
        runs.put(runId, status(runId, dir, selfUrl));
      });
    } catch (IOException e) {
      // A data folder this node cannot list holds no earlier runs it could serve either.
    }
    return runs;
  }

  private static RunStatus status(String runId, Path dir, String selfUrl) {
    JsonNode spec = read(YAML, dir.resolve("spec.yaml"));
    String name = spec.path("name").asText(runId);
    boolean durable = "durable".equals(spec.path("durability").asText());
    long maxRounds = spec.path("stop").path("maxRounds").asLong();
    Summary summary = summary(dir.resolve("summary.json"));
    if (summary == null) {
      return new RunStatus(runId, name, "interrupted", durable, 0, 0, maxRounds, 0, "", 0, 0, selfUrl,
          "the node stopped before this run ended (no summary.json); what was finished is in its files", null);
    }
    double topShare = summary.finalShares() == null ? 0
        : summary.finalShares().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    String topName = summary.finalShares() == null ? "" : summary.finalShares().entrySet().stream()
        .filter(e -> e.getValue() == topShare).map(Map.Entry::getKey).findFirst().orElse("");
    String message = summary.status() == RunOutcome.FAILED ? summary.stopReason() : "from an earlier session of this node";
    return new RunStatus(runId, name, summary.status().wireName(), durable, summary.interactions(),
        summary.populationRounds(), maxRounds, 0, topName, topShare, summary.interactionsPerSecond(), selfUrl,
        message, summary);
  }

  private static Summary summary(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Summary.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      JsonNode node = mapper.readTree(file.toFile());
      return node == null ? mapper.createObjectNode() : node;
    } catch (IOException e) {
      return mapper.createObjectNode();
    }
  }
}
