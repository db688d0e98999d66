package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.norma.runtime.results.RunLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and unfriendly surroundings end in one line naming the problem (and the field, file
 * or directory) with a telling exit code, never a stack trace.
 */
class OneLineErrorsTest {
  @TempDir
  Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int norma(String... args) {
    return NormaCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path spec(String yaml) throws Exception {
    Path file = temp.resolve("spec.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** A local HTTP server that answers every request with 200 and {@code text}. */
  private static HttpServer answering(String text) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** What a person sees: no trace, no exception class names, at most a short message. */
  private void assertOneLine(String expected) {
    String text = err.toString();
    assertThat(text).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(text.strip().lines().count()).as(text).isLessThanOrEqualTo(2);
  }

  @Test
  void outUnderProcIsRefusedInOneLine() throws Exception {
    int code = norma("run", spec("name: x\n").toString(), "--quiet", "--out", "/proc/norma-cannot-be-here");
    assertThat(code).isEqualTo(2);
    assertOneLine("cannot create the run directory /proc/norma-cannot-be-here");
  }

  @Test
  void outInsideAFileIsRefusedInOneLine() throws Exception {
    Path file = Files.writeString(temp.resolve("a-file"), "x");
    int code = norma("run", spec("name: x\n").toString(), "--quiet", "--out", file.resolve("run").toString());
    assertThat(code).isEqualTo(2);
    assertOneLine("Not a directory");
  }

  @Test
  void metricsPortOutOfRangeIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path dir = temp.resolve("never");
    int code = norma("run", spec("name: x\n").toString(), "--quiet", "--out", dir.toString(),
        "--metrics-port", "70000");
    assertThat(code).isEqualTo(2);
    assertOneLine("--metrics-port 70000: expected a port in 0..65535");
    assertThat(dir).doesNotExist();
  }

  @Test
  void aNameTooLongForAFileNameIsASpecError() throws Exception {
    int code = norma("run", spec("name: " + "a".repeat(5000) + "\n").toString(), "--quiet");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("name: expected at most 200 characters, got 5000").doesNotContain("aaaa");
  }

  @Test
  void randomBytesAreNotASpec() throws Exception {
    byte[] noise = new byte[512];
    new Random(7).nextBytes(noise);
    Path file = Files.write(temp.resolve("noise.yaml"), noise);
    int code = norma("run", file.toString(), "--quiet", "--out", temp.resolve("never").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("noise.yaml is not a text file (not UTF-8)").doesNotContain("Input length");
  }

  @Test
  void notANumberAndInfinityNameTheirField() throws Exception {
    int code = norma("run", spec("policy:\n  temperature: .nan\n").toString(), "--quiet");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("policy.temperature: expected a finite number, got '.nan'");
    err.getBuffer().setLength(0);
    code = norma("run", spec("stop:\n  maxRounds: .inf\n").toString(), "--quiet");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("stop.maxRounds: expected a finite number, got '.inf'");
    err.getBuffer().setLength(0);
    code = norma("run", spec("name: x\n").toString(), "--quiet", "--set", "committed.fraction=.nan");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--set committed.fraction: expected a finite number, got '.nan'");
  }

  @Test
  void ofRunsStartedIntoOneDirectoryAtOnceExactlyOneClaimsIt() throws Exception {
    int contenders = 8;
    for (int round = 0; round < 20; round++) {
      Path dir = temp.resolve("same-" + round);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(contenders);
      List<RunLock> won = new ArrayList<>();
      try {
        List<Future<Object>> claims = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
          claims.add(pool.submit((Callable<Object>) () -> {
            start.await();
            try {
              return RunLock.acquire(dir);
            } catch (RunLock.Held held) {
              return held.getMessage();
            }
          }));
        }
        start.countDown();
        List<String> refusals = new ArrayList<>();
        for (Future<Object> claim : claims) {
          Object result = claim.get();
          if (result instanceof RunLock lock) {
            won.add(lock);
          } else {
            refusals.add((String) result);
          }
        }
        assertThat(won).as(refusals.toString()).hasSize(1);
        assertThat(refusals).hasSize(contenders - 1).allMatch(p -> p.startsWith(dir + " is in use by"));
      } finally {
        for (RunLock lock : won) {
          lock.close();
        }
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theLoserOfAClaimedDirectoryGetsOneLine() throws Exception {
    Path dir = temp.resolve("taken");
    try (RunLock held = RunLock.acquire(dir)) {
      int code = norma("run", spec("name: x\n").toString(), "--quiet", "--out", dir.toString());
      assertThat(code).isEqualTo(2);
      assertOneLine("output directory " + dir);
    }
  }

  @Test
  void submitToAServerThatIsNotANormaNodeSaysSo() throws Exception {
    HttpServer server = answering("<html><body>hello</body></html>");
    try {
      int code = norma("submit", spec("name: x\n").toString(), "--to", "127.0.0.1:" + server.getAddress().getPort());
      assertThat(code).isEqualTo(1);
      assertOneLine("does not look like a Norma node");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fetchIntoADirectoryThatCannotBeMadeSaysWhichAndWhy() throws Exception {
    HttpServer server = answering("{\"runId\": \"r1\", \"state\": \"completed\"}"); // knows the run
    try {
      Path file = Files.writeString(temp.resolve("a-file"), "x");
      int code = norma("fetch", "r1", "--to", "127.0.0.1:" + server.getAddress().getPort(), "--out",
          file.resolve("run").toString());
      assertThat(code).isEqualTo(1);
      assertOneLine("cannot write " + file.resolve("run") + ": Not a directory");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void submitToAClosedPortSaysNoNodeAnswers() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int code = norma("submit", spec("name: x\n").toString(), "--to", "127.0.0.1:" + port);
    assertThat(code).isEqualTo(1);
    assertOneLine("no node answers at 127.0.0.1:" + port + " (connection refused)");
    assertThat(err.toString()).doesNotContain("null");
  }

  @Test
  void aStudyTooLargeForTheHeapIsRefusedBeforeItStarts() throws Exception {
    Path dir = temp.resolve("never");
    int code = norma("run", spec("population: {size: 2000000000}\n").toString(), "--quiet", "--out", dir.toString());
    assertThat(code).isEqualTo(2);
    assertOneLine("population.size: 2,000,000,000 agents need about");
    assertThat(err.toString()).contains("216.2 GB of heap").contains("max heap");
    assertThat(dir).doesNotExist();
  }

  @Test
  void anExceptionNoCommandForesawIsOneLine() {
    assertThat(NormaCli.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
    assertThat(NormaCli.oneLine(new RuntimeException(new java.io.IOException("disk full\nmore"))))
        .isEqualTo("java.io.IOException: disk full (RuntimeException)");
    assertThat(NormaCli.oneLine(new IllegalStateException("x".repeat(1000)))).hasSizeLessThan(310);
  }
}
