package dev.norma.loadtest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.loadtest.fakellm.FakeLlmServer;
import dev.norma.loadtest.fakellm.FixedResponder;
import dev.norma.runtime.cli.NormaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code norma probe} and {@code norma estimate} on the fake server's models. */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ProbeAndEstimateTest {
  @TempDir
  Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int norma(String... args) {
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aModelThatAlwaysSaysMIsFoundBiasedAndAnUnbiasedOneIsNot() throws Exception {
    try (FakeLlmServer biased = FakeLlmServer.start(LlmStudyEndToEndTest.fastServer()
             .responder(FixedResponder.always("M")).build());
         FakeLlmServer fair = FakeLlmServer.start(LlmStudyEndToEndTest.fastServer().build())) {
      Path spec = Files.writeString(temp.resolve("biased.yaml"), LlmStudyEndToEndTest.spec(biased, ""));
      assertThat(norma("probe", spec.toString(), "--samples", "60", "--out", temp.resolve("p1").toString()))
          .as(err.toString()).isZero();
      JsonNode report = new ObjectMapper().readTree(temp.resolve("p1/probe.json").toFile());
      assertThat(report.path("counts").path("M").asInt()).isEqualTo(60);
      assertThat(report.path("pValue").asDouble()).isLessThan(1e-10);
      assertThat(out.toString()).contains("biased at the 5% level");
      assertThat(temp.resolve("p1/calls.jsonl.gz")).exists();

      Path fairSpec = Files.writeString(temp.resolve("fair.yaml"), LlmStudyEndToEndTest.spec(fair, ""));
      assertThat(norma("probe", fairSpec.toString(), "--samples", "200", "--out", temp.resolve("p2").toString()))
          .as(err.toString()).isZero();
      JsonNode fairReport = new ObjectMapper().readTree(temp.resolve("p2/probe.json").toFile());
      // The fake model picks uniformly with an empty memory; the option orders are seeded, so this is fixed.
      assertThat(fairReport.path("pValue").asDouble()).isGreaterThan(0.01);
      assertThat(fairReport.path("unusable").asInt()).isZero();
    }
  }

  @Test
  void estimateBoundsCallsTokensAndCostWithoutCallingAnything() throws Exception {
    assertThat(norma("estimate", Path.of("..", "examples", "naming-game-llm.yaml").toString(), "--runs", "5",
        "--set", "inference.endpoints=[{name: h, url: 'http://127.0.0.1:9/v1', model: m, promptPrice: 1, completionPrice: 2}]"))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("calls:", "bound 9,600 (stop.maxRounds)", "prompt tokens:", "estimated cost:");
  }
}
