package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.runtime.cli.NormaCli;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint's API key is read from a file or variable and lands in no file or log of the run. */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ApiKeyTest {
  private static final String SECRET = "sk-norma-test-5ecret-7f3a9c";

  @TempDir
  Path temp;

  @Test
  void theKeyAppearsInNoFileTheRunWritesNorInItsOutput() throws Exception {
    Path keyFile = Files.writeString(temp.resolve("key.txt"), SECRET + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    Path run = temp.resolve("run");
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      String yaml = Specs.llm(server)
          .replace("maxInFlight: 32}", "maxInFlight: 32, apiKeyFile: '" + keyFile + "'}");
      Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
      System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(processErr, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", spec.toString(),
            "--out", run.toString(), "--set", "stop.maxRounds=5", "--set", "stop.onConvergence=false",
            "--metrics-port", "0");
      } finally {
        System.setErr(originalErr);
        System.setOut(originalOut);
      }
      assertThat(code).as(err.toString()).isZero();
    }
    List<Path> files;
    try (var walk = Files.walk(run)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("spec.yaml", "rounds.csv", "interactions.csv.gz", "calls.jsonl.gz", "summary.json");
    for (Path file : files) {
      assertThat(read(file)).as(file.toString()).doesNotContain(SECRET).doesNotContain("5ecret");
    }
    assertThat(read(run.resolve("spec.yaml"))).contains("apiKeyFile");
    assertThat(out.toString() + err + processErr.toString(StandardCharsets.UTF_8)).doesNotContain("5ecret");
  }

  @Test
  void aMissingKeyVariableStopsTheRunBeforeAnythingIsWritten() throws Exception {
    StringWriter err = new StringWriter();
    Path run = temp.resolve("never");
    String yaml = """
        policy: {kind: llm}
        inference:
          endpoints: [{name: hosted, url: 'https://api.example.org/v1', model: m, apiKeyEnv: NORMA_TEST_UNSET_KEY_4711}]
        """;
    Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
    int code = NormaCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run",
        spec.toString(), "--out", run.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("NORMA_TEST_UNSET_KEY_4711").contains("not set");
    assertThat(run).doesNotExist();
  }

  private static String read(Path file) throws IOException {
    if (file.toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    // Binary files (report.png) are searched as Latin-1 text: every byte maps to one char.
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }
}
