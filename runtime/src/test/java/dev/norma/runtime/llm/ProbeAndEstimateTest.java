package dev.norma.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.runtime.cli.EstimateCommand;
import dev.norma.runtime.testing.NormaConsole;
import dev.norma.testkit.Specs;
import dev.norma.testkit.fakellm.FakeLlmServer;
import dev.norma.testkit.fakellm.FakeLlmSettings;
import dev.norma.testkit.fakellm.FixedResponder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code norma probe} and {@code norma estimate} on the fake server's models and tokenizer. */
// A stalled gateway fails the test instead of hanging the build.
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ProbeAndEstimateTest {
  @TempDir
  Path temp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROMPT_LINE =
      Pattern.compile("prompt tokens:  about ([\\d,]+) a call \\(full memory, (.+)\\) → median");

  private final NormaConsole norma = new NormaConsole();

  @Test
  void aModelThatAlwaysSaysMIsFoundBiasedAndAnUnbiasedOneIsNot() throws Exception {
    try (FakeLlmServer biased = FakeLlmServer.start(FakeLlmSettings.fast()
             .responder(FixedResponder.always("M")).build());
         FakeLlmServer fair = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path spec = Files.writeString(temp.resolve("biased.yaml"), Specs.llm(biased));
      assertThat(norma.run("probe", spec.toString(), "--samples", "60", "--out", temp.resolve("p1").toString()))
          .as(norma.err()).isZero();
      JsonNode report = new ObjectMapper().readTree(temp.resolve("p1/probe.json").toFile());
      assertThat(report.path("counts").path("M").asInt()).isEqualTo(60);
      assertThat(report.path("pValue").asDouble()).isLessThan(1e-10);
      assertThat(norma.out()).contains("biased at the 5% level");
      assertThat(temp.resolve("p1/calls.jsonl.gz")).exists();

      Path fairSpec = Files.writeString(temp.resolve("fair.yaml"), Specs.llm(fair));
      assertThat(norma.run("probe", fairSpec.toString(), "--samples", "200", "--out", temp.resolve("p2").toString()))
          .as(norma.err()).isZero();
      JsonNode fairReport = new ObjectMapper().readTree(temp.resolve("p2/probe.json").toFile());
      // The fake model picks uniformly with an empty memory; the option orders are seeded, so this is fixed.
      assertThat(fairReport.path("pValue").asDouble()).isGreaterThan(0.01);
      assertThat(fairReport.path("unusable").asInt()).isZero();
    }
  }

  @Test
  void estimateCountsTheFullMemoryPromptWithTheEndpointsTokenizerAsTheServerBillsIt() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      String yaml = Specs.llm(server);
      Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
      assertThat(norma.run("estimate", spec.toString(), "--runs", "3")).as(norma.err()).isZero();

      Matcher line = promptLine();
      assertThat(line.group(2)).isEqualTo("counted by endpoint fake's tokenizer");
      // What the server reports as prompt tokens for a chat completion of the same prompt.
      RenderedPrompt full = EstimateCommand.promptAfter(Specs.parse(yaml), 5);
      assertThat(tokens(line)).isEqualTo(billedPromptTokens(server, full));
      assertThat(server.stats().requests("tokenize", 200)).isEqualTo(1);
    }
  }

  /**
   * The estimate is of a prompt with a full memory; a run's first calls show less (an empty
   * memory in each agent's first interaction, H plays from its (H + 1)-th on). With H = 5, an
   * agent of this 30-round run makes about 60 calls, 5 of them shorter: the measured mean lies
   * between the empty-memory and the full-memory counts, within 10% below the estimate (about 2%
   * below when this was written: 351 measured, 360 estimated, 265 with an empty memory). Not
   * above it by more than a token or two: windows differ from the estimate's in payoffs and score
   * (the estimate shows four failures, each "-50" a token longer than "100"; an all-failure window
   * is a token or two longer still).
   */
  @Test
  void estimatedPromptTokensPerCallBoundTheMeasuredMeanOfARealRun() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      String yaml = Specs.llm(server);
      Path spec = Files.writeString(temp.resolve("spec.yaml"), yaml);
      String[] shortRun = {"--set", "stop.maxRounds=30", "--set", "stop.onConvergence=false"};
      Path run = temp.resolve("run");
      assertThat(norma.run(concat(new String[] {"run", spec.toString(), "--quiet", "--out", run.toString()}, shortRun)))
          .as(norma.err()).isZero();
      JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
      double measured = summary.path("promptTokens").asDouble() / summary.path("calls").asDouble();

      assertThat(norma.run(concat(new String[] {"estimate", spec.toString(), "--runs", "3"}, shortRun)))
          .as(norma.err()).isZero();
      long estimated = tokens(promptLine());
      long empty = billedPromptTokens(server, EstimateCommand.promptAfter(Specs.parse(yaml), 0));

      assertThat(measured).isGreaterThan(empty).isBetween(0.9 * estimated, estimated + 2.0);
    }
  }

  @Test
  void withoutATokenizerEstimateCountsFourCharactersATokenSaysWhyAndSucceeds() throws Exception {
    Path keyFile = Files.writeString(temp.resolve("key"), "sk-do-not-print-0123\n");
    try (RecordingServer notFound = RecordingServer.start()) {
      String endpoint = "inference.endpoints=[{name: plain, url: '" + notFound.uri() + "/v1/', model: m, apiKeyFile: '"
          + keyFile + "'}]";
      assertThat(norma.run("estimate", examples("naming-game-llm.yaml"), "--runs", "2", "--set", endpoint))
          .as(norma.err()).isZero();
      Matcher line = promptLine();
      assertThat(line.group(2)).isEqualTo("4 characters a token: endpoint plain has no /tokenize (HTTP 404)");
      ExperimentSpec example = Specs.parse(Files.readString(Path.of(examples("naming-game-llm.yaml"))));
      RenderedPrompt full = EstimateCommand.promptAfter(example, 5);
      assertThat(tokens(line)).isEqualTo(Math.round((full.system().length() + full.user().length()) / 4.0));
      // Asked once, at the server's root, with the key as completions carry it; the key printed nowhere.
      assertThat(notFound.requests).containsExactly("POST /tokenize Bearer sk-do-not-print-0123");
      assertThat(norma.out() + norma.err()).doesNotContain("sk-do-not-print");
    }

    int closedPort;
    try (RecordingServer gone = RecordingServer.start()) {
      closedPort = gone.http().getAddress().getPort();
    }
    norma.clear();
    assertThat(norma.run("estimate", examples("naming-game-llm.yaml"), "--runs", "2",
        "--set", "inference.endpoints=[{name: away, url: 'http://127.0.0.1:" + closedPort + "/v1', model: m}]"))
        .as(norma.err()).isZero();
    assertThat(promptLine().group(2)).isEqualTo("4 characters a token: endpoint away is unreachable (ConnectException)");
  }

  @Test
  void offlineEstimateBoundsCallsTokensAndCostWithoutAnyRequest() throws Exception {
    try (RecordingServer server = RecordingServer.start()) {
      assertThat(norma.run("estimate", examples("naming-game-llm.yaml"), "--runs", "5", "--offline",
          "--set", "inference.endpoints=[{name: h, url: '" + server.uri() + "/v1', model: m, promptPrice: 1,"
              + " completionPrice: 2}]"))
          .as(norma.err()).isZero();
      assertThat(norma.out()).contains("calls:", "bound 9,600 (stop.maxRounds)", "estimated cost:");
      assertThat(promptLine().group(2)).isEqualTo("4 characters a token: --offline");
      assertThat(server.requests).isEmpty();
    }
  }

  /**
   * An encounter game has no memory policy: its study is played with the stand-in answers its
   * module brings. Ultimatum runs every round (no convergence), two turns an encounter, so the
   * calls are known exactly: 10 agents in 5 pairs, two encounters each a round, 3 rounds.
   */
  @Test
  void estimateOfAnEncounterGamePlaysItWithTheStandInAnswersAndCountsItsTurns() throws Exception {
    assertThat(norma.run("estimate", examples("ultimatum-llm.yaml"), "--runs", "2", "--offline",
        "--set", "population.size=10", "--set", "stop.maxRounds=3",
        "--set", "inference.endpoints=[{name: h, url: 'http://127.0.0.1:9/v1', model: m, promptPrice: 1,"
            + " completionPrice: 2}]"))
        .as(norma.err()).isZero();
    assertThat(norma.out()).contains("estimate from 2 runs of the game's stand-in player",
        "calls:          median 60 · largest 60 · bound 60 (stop.maxRounds at 2 turns an encounter",
        "a real model may play longer or shorter", "estimated cost: median");
    Matcher line = Pattern.compile("prompt tokens:  about ([\\d,]+) a call \\(mean of the turns asked; the longest"
        + " ([\\d,]+), 4 characters a token: --offline\\) → median ([\\d,]+)").matcher(norma.out());
    assertThat(line.find()).as(norma.out()).isTrue();
    long mean = tokens(line);
    long longest = Long.parseLong(line.group(2).replace(",", ""));
    // A prompt shows the rules and the agent's remembered encounters: hundreds of tokens, the
    // first ones (nothing remembered) shorter than the longest.
    assertThat(mean).isGreaterThan(100).isLessThan(longest);
    assertThat(Long.parseLong(line.group(3).replace(",", ""))).isBetween(59 * mean, 61 * mean);
  }

  /**
   * Studies whose turns are free text play through the stand-in too: an identity debate is 6 turns
   * of text and 4 completions a pair (6 pairs of 12 agents, 60 calls a period; as many verdicts
   * more with a judge, also under {@code scoring: both}), and a CRSEC period
   * asks advocates' norms, compliance, speaking up, what is said, descriptive norms seen, evaluations
   * and, at a synthesis period, abstract norms, varying with the seed (below 7 calls an agent and
   * period: far fewer than the bound), each role's mean on a line of its own.
   */
  @Test
  void estimateOfStudiesOfFreeTextPlaysTheirTextTurnsWithTheStandIn() throws Exception {
    assertThat(norma.run("estimate", examples("identity-llm.yaml"), "--runs", "2", "--offline",
        "--set", "stop.maxRounds=1")).as(norma.err()).isZero();
    assertThat(norma.out()).contains("calls:          median 60 · largest 60 · bound 60 (stop.maxRounds at 10 turns",
        "per period:     about 60 calls and ");
    // A judge read beside the rules (scoring: both) is asked as under judge: a verdict a line.
    norma.clear();
    assertThat(norma.run("estimate", examples("identity-judge.yaml"), "--runs", "1", "--offline",
        "--set", "stop.maxRounds=1", "--set", "game.settings.scoring=both")).as(norma.err()).isZero();
    assertThat(norma.out()).contains("calls:          median 120 · largest 120 · bound 120 (stop.maxRounds at 20"
        + " turns", "judge-sentiment 24.0 · judge-stance 36.0");
    norma.clear();
    assertThat(norma.run("estimate", examples("crsec-llm.yaml"), "--runs", "2", "--offline",
        "--set", "population.size=30", "--set", "stop.maxRounds=3", "--set", "game.settings.synthesisInterval=3"))
        .as(norma.err()).isZero();
    Matcher perPeriod = Pattern.compile("per period:     about ([\\d,]+) calls and ([\\d,]+) prompt tokens")
        .matcher(norma.out());
    assertThat(perPeriod.find()).as(norma.out()).isTrue();
    long calls = Long.parseLong(perPeriod.group(1).replace(",", ""));
    // More than the advocates writing their norms (9 calls over 3 periods), fewer than T + 4 an agent.
    assertThat(calls).isBetween(10L, 7L * 30);
    assertThat(Long.parseLong(perPeriod.group(2).replace(",", ""))).isGreaterThan(100 * calls);
    // Of them, by role: the third period is a synthesis period, whose calls are counted too.
    assertThat(norma.out()).containsPattern("  by turn:      comply [\\d.]+ · create 3\\.0 · describe [\\d.]+ · "
        + "evaluate [\\d.]+ · identify [\\d.]+ · speak [\\d.]+ · speak-up [\\d.]+ · synthesise [\\d.]+\n");
  }

  /**
   * The probe of an encounter game asks the first turn of fresh agents: here the speaker's, which
   * names one of two names shown in an order drawn per sample. With nothing remembered the fake
   * player picks either, so both are chosen, and from both positions.
   */
  @Test
  void probeOfAnEncounterGameTalliesItsFirstTurnsChoicesByNameAndPosition() throws Exception {
    try (FakeLlmServer server = FakeLlmServer.start(FakeLlmSettings.fast().build())) {
      Path out = temp.resolve("probe");
      assertThat(norma.run("probe", examples("higher-order-naming-llm.yaml"), "--samples", "40", "--out",
          out.toString(), "--set", "inference.endpoints=[{name: fake, url: '" + Specs.url(server)
              + "', model: norma-fake-llm, maxInFlight: 32}]"))
          .as(norma.err()).isZero();
      JsonNode report = JSON.readTree(out.resolve("probe.json").toFile());
      assertThat(report.path("turn").asText()).isEqualTo("speaker:0");
      assertThat(report.path("unusable").asInt()).isZero();
      JsonNode counts = report.path("counts");
      assertThat(counts.path("M").asInt()).isPositive();
      assertThat(counts.path("Q").asInt()).isPositive();
      assertThat(counts.path("M").asInt() + counts.path("Q").asInt()).isEqualTo(40);
      assertThat(report.path("positionCounts").path(0).asInt()).isPositive();
      assertThat(report.path("positionCounts").path(1).asInt()).isPositive();
      assertThat(norma.out()).contains("40 first turns of fresh agents (speaker) · 2 options", "unusable answers: 0");
      assertThat(out.resolve("calls.jsonl.gz")).exists();
      assertThat(server.stats().requests("chat", 200)).isEqualTo(40);
    }
  }

  private Matcher promptLine() {
    Matcher line = PROMPT_LINE.matcher(norma.out());
    assertThat(line.find()).as(norma.out()).isTrue();
    return line;
  }

  private static long tokens(Matcher promptLine) {
    return Long.parseLong(promptLine.group(1).replace(",", ""));
  }

  private static String examples(String file) {
    return Path.of("..", "examples", file).toString();
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  /** {@code usage.prompt_tokens} of a chat completion of this prompt. */
  private static long billedPromptTokens(FakeLlmServer server, RenderedPrompt prompt) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "m").put("max_tokens", 1);
    body.putArray("messages").addObject().put("role", "system").put("content", prompt.system());
    body.withArray("messages").addObject().put("role", "user").put("content", prompt.user());
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.baseUri().resolve("/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("usage").path("prompt_tokens").asLong();
  }

  /** A server with no tokenizer: it answers 404 to everything and records what it was asked. */
  private record RecordingServer(HttpServer http, List<String> requests) implements AutoCloseable {
    static RecordingServer start() throws Exception {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      List<String> requests = new CopyOnWriteArrayList<>();
      http.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
            + exchange.getRequestHeaders().getFirst("Authorization"));
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
      });
      http.start();
      return new RecordingServer(http, requests);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
