package dev.norma.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.runtime.cli.NodeCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code norma bench cluster} asks of its nodes, checked without starting one (the full
 * benchmark at tiny sizes is {@link BenchmarksRunTest#cluster}, a slow test): the first node of a
 * cluster and every node that joins it must pass {@code norma node}'s own checks. A joining node
 * once lacked the cluster's database and refused to start, which stopped the benchmark at once.
 */
class ClusterBenchmarkTest {
  private static final String DATABASE = "jdbc:h2:tcp://127.0.0.1:9092/cluster1";

  @TempDir
  Path temp;

  @Test
  void theFirstNodeAndTheNodesThatJoinItWouldStart() {
    assertThat(NodeCommand.refusal(ClusterBenchmark.nodeArguments(temp.resolve("node1"), 0, DATABASE))).isNull();
    List<String> joining = ClusterBenchmark.nodeArguments(temp.resolve("node2"), 40_123, DATABASE);
    assertThat(joining).containsSequence("--seed-nodes", "127.0.0.1:40123").containsSequence("--db-url", DATABASE);
    assertThat(NodeCommand.refusal(joining)).isNull();
  }

  /** The negative control: the joining node's options without the database are refused, as they were. */
  @Test
  void aJoiningNodeWithoutTheClustersDatabaseIsRefused() {
    List<String> withoutDatabase = new ArrayList<>(ClusterBenchmark.nodeArguments(temp.resolve("node2"), 40_123,
        DATABASE));
    int at = withoutDatabase.indexOf("--db-url");
    withoutDatabase.subList(at, at + 2).clear();
    assertThat(NodeCommand.refusal(withoutDatabase)).contains("needs the cluster's database", "--db-url");
    assertThat(NodeCommand.refusal(List.of("--port", "many"))).startsWith("norma node:").contains("--port");
  }

  @Test
  void pinnedNodesGetACoreEach() {
    assertThat(ClusterBenchmark.pinning(0, 2)).containsExactly("taskset", "-c", "0");
    assertThat(ClusterBenchmark.pinning(1, 2)).containsExactly("taskset", "-c", "1");
    assertThat(ClusterBenchmark.pinning(2, 2)).containsExactly("taskset", "-c", "0");
  }

  @Test
  void anUnknownPartIsRefusedBeforeAnyNodeStarts() {
    assertThat(new CommandLine(new ClusterBenchmark()).execute("--part", "scale")).isEqualTo(2);
  }

  @Test
  void fewerThanOneStudyIsRefusedBeforeAnyNodeStarts() {
    assertThat(new CommandLine(new ClusterBenchmark()).execute("--part", "scaling", "--studies", "0")).isEqualTo(2);
  }

  @Test
  void theWarmRateIsTheMedianOfTheLaterStudies() {
    assertThat(BenchmarkMeasures.median(List.of(300.0, 100.0, 200.0))).isEqualTo(200);
    assertThat(BenchmarkMeasures.median(List.of(250.0, 150.0))).isEqualTo(200);
    assertThat(BenchmarkMeasures.median(List.of(7.0))).isEqualTo(7);
  }

  @Test
  void anUnreachableDatabaseIsRefusedBeforeAnyNodeStarts() {
    assertThat(new CommandLine(new ClusterBenchmark()).execute("--part", "durable-nodes",
        "--db-url", "jdbc:postgresql://127.0.0.1:1/norma")).isEqualTo(2);
  }
}
