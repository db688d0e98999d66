package dev.norma.agents.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norma.protocols.run.RunOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code runs.csv} rows and {@code sweep.json}, the files others read. */
class SweepRunsTableTest {
  @Test
  void writesOneSortedRowPerRunWithMeasuresNullsAndQuotedErrors() {
    SweepGrid grid = SweepGrid.parse(List.of("committed.fraction=[0.06,0.1]", "population.size=[500]"));
    List<SweepPoint> points = grid.points();
    List<SweepRunRow> rows = List.of(
        SweepRunRow.failed(points.get(1), 0, 7, "cannot write \"x\", really", 0.25),
        SweepRunRow.of(points.get(0), 1, 6, StoppingRuleTest.summary(RunOutcome.COMPLETED, false, null, null,
            Map.of("meanOffer", 4.5))),
        SweepRunRow.of(points.get(0), 0, 5, StoppingRuleTest.summary(RunOutcome.COMPLETED, true, 37L, true,
            Map.of())));
    List<String> lines = SweepRunsTable.csv(grid.paths(), rows).lines().toList();
    assertThat(lines.get(0)).isEqualTo("run,committed.fraction,population.size,replicate,seed,status,stopReason,"
        + "interactions,populationRounds,converged,convergenceInteraction,convergenceRound,winner,flipped,flipRound,"
        + "invalidInteractions,wallSeconds,interactionsPerSecond,measure.meanOffer,error");
    assertThat(lines.get(1)).isEqualTo("committed.fraction=0.06_population.size=500_r00,0.06,500,0,5,completed,"
        + "converged,1000,40,true,900,37,Q,true,30,0,0.5,2000,,");
    assertThat(lines.get(2)).isEqualTo("committed.fraction=0.06_population.size=500_r01,0.06,500,1,6,completed,"
        + "converged,1000,40,false,,,,,,0,0.5,2000,4.5,");
    assertThat(lines.get(3)).isEqualTo("committed.fraction=0.1_population.size=500_r00,0.1,500,0,7,failed,"
        + ",,,,,,,,,,0.25,,,\"cannot write \"\"x\"\", really\"");
    assertThat(lines).hasSize(4);
  }

  @Test
  void theManifestRoundTripsWithNumbersAsNumbers() {
    SweepGrid grid = SweepGrid.parse(List.of("committed.fraction=0:0.1:0.05", "population.size=[500,1000]",
        "policy.kind=[memory,llm]"));
    SweepManifest manifest = new SweepManifest("tipping", 42, 40, 200, "halfwidth(flipped) <= 0.05", 2, grid);
    String json = manifest.toJson();
    assertThat(json.replaceAll("\\s", "")).contains("\"format\":1,\"name\":\"tipping\",\"seed\":42,"
        + "\"replicates\":40,\"maxReplicates\":200,\"until\":\"halfwidth(flipped)<=0.05\",\"parallel\":2,\"cluster\":null,"
        + "\"vary\":[{\"path\":\"committed.fraction\",\"values\":[0,0.05,0.1]},"
        + "{\"path\":\"population.size\",\"values\":[500,1000]},{\"path\":\"policy.kind\",\"values\":[\"memory\",\"llm\"]}]");
    assertThat(SweepManifest.parse(json)).isEqualTo(manifest);
    SweepManifest plain = new SweepManifest("n", 1, 2, null, null, 1, grid);
    assertThat(plain.toJson()).contains("\"maxReplicates\" : null").contains("\"until\" : null");
    assertThat(SweepManifest.parse(plain.toJson())).isEqualTo(plain);
    SweepManifest onCluster = plain.withCluster("node-1.example:8558").withParallel(6);
    assertThat(onCluster.toJson()).contains("\"cluster\" : \"node-1.example:8558\"");
    assertThat(SweepManifest.parse(onCluster.toJson())).isEqualTo(onCluster);
    assertThatThrownBy(() -> SweepManifest.parse("{\"format\":2}")).hasMessageContaining("sweep.json");
  }
}
