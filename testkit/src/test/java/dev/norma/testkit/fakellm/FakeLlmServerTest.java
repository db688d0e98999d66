package dev.norma.testkit.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible surface: schemas, batching of prompt lists, limits and errors. */
class FakeLlmServerTest {
  private static FakeLlmServer server;
  private static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = FakeLlmServer.start(FakeLlmSettings.builder().fixedStep(Duration.ofMillis(1))
        .responder(FixedResponder.always("M")).model("fake-70b").build());
    client = new TestClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void boundToAFreePortWhenAskedForPortZero() {
    assertThat(server.port()).isPositive();
    assertThat(server.baseUri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
  }

  @Test
  void chatCompletionsFollowTheOpenAiSchema() {
    JsonNode response = client.call("/v1/chat/completions",
        TestClient.chatBody("You play a game.", "Pick from: M, Q. Answer with {'value': 'X'}."));

    assertThat(response.path("id").asText()).startsWith("chatcmpl-");
    assertThat(response.path("object").asText()).isEqualTo("chat.completion");
    assertThat(response.path("created").asLong()).isGreaterThan(1_600_000_000L);
    assertThat(response.path("model").asText()).isEqualTo("test-model");
    assertThat(response.path("system_fingerprint").asText()).matches("fp_[0-9a-f]{10}");
    JsonNode choices = response.path("choices");
    assertThat(choices.size()).isEqualTo(1);
    assertThat(choices.path(0).path("index").asInt()).isZero();
    assertThat(choices.path(0).path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choices.path(0).path("message").path("content").asText()).isEqualTo("{'value': 'M'}");
    assertThat(choices.path(0).path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = response.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isPositive();
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(Tokens.count("{'value': 'M'}"));
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
  }

  @Test
  void completionsFollowTheOpenAiSchema() {
    JsonNode response = client.call("/v1/completions", TestClient.completionBody(List.of("Say a value:")));

    assertThat(response.path("id").asText()).startsWith("cmpl-");
    assertThat(response.path("object").asText()).isEqualTo("text_completion");
    assertThat(response.path("system_fingerprint").asText()).startsWith("fp_");
    assertThat(response.path("choices").size()).isEqualTo(1);
    assertThat(response.path("choices").path(0).path("text").asText()).isEqualTo("M");
    assertThat(response.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(response.path("usage").path("prompt_tokens").asInt()).isEqualTo(Tokens.count("Say a value:"));
  }

  @Test
  void aListOfPromptsIsOneBatchWithOneIndexedChoicePerPrompt() {
    long stepsBefore = server.stats().steps();
    List<String> prompts = List.of("first prompt", "second prompt, answer {'value': 'X'}", "third", "fourth");
    JsonNode response = client.call("/v1/completions", TestClient.completionBody(prompts));

    JsonNode choices = response.path("choices");
    assertThat(choices.size()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(choices.path(i).path("index").asInt()).isEqualTo(i);
    }
    // Each choice answers its own prompt (only the second asks for the value format).
    assertThat(choices.path(0).path("text").asText()).isEqualTo("M");
    assertThat(choices.path(1).path("text").asText()).isEqualTo("{'value': 'M'}");
    int promptTokens = prompts.stream().mapToInt(Tokens::count).sum();
    assertThat(response.path("usage").path("prompt_tokens").asInt()).isEqualTo(promptTokens);
    // The four prompts ran together: a handful of steps, not four requests' worth.
    assertThat(server.stats().steps() - stepsBefore).isLessThanOrEqualTo(Tokens.count("{'value': 'M'}") + 1);
    assertThat(server.stats().maxBatchSequences()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theTokenizerCountsWhatCompletionsOfTheSameTextBill() throws Exception {
    String system = "You play a game with another player. Answer with {'value': 'X'}.";
    String user = "The values you can pick from are: M, Q.\nRound 1: Player 1 picked M, payoff -50.";
    ObjectNode chat = TestClient.chatBody(system, user);
    long chatBilled = client.call("/v1/chat/completions", chat).path("usage").path("prompt_tokens").asLong();
    JsonNode chatCounted = client.call("/tokenize", chat);
    // The role markers count, as a chat template's tokens do: more than the two texts alone.
    assertThat(chatCounted.path("count").asLong()).isEqualTo(chatBilled)
        .isGreaterThan(Tokens.count(system) + Tokens.count(user));
    assertThat(chatCounted.path("tokens").size()).isEqualTo((int) chatBilled);
    chat.put("add_generation_prompt", false);
    assertThat(client.call("/tokenize", chat).path("count").asLong()).isLessThan(chatBilled);

    String text = system + "\n\n" + user;
    long completionBilled = client.call("/v1/completions", TestClient.completionBody(List.of(text)))
        .path("usage").path("prompt_tokens").asLong();
    ObjectNode vllm = TestClient.JSON.createObjectNode().put("model", "test-model").put("prompt", text);
    assertThat(client.call("/tokenize", vllm).path("count").asLong()).isEqualTo(completionBilled);
    ObjectNode llamaCpp = TestClient.JSON.createObjectNode().put("content", text);
    assertThat(client.call("/tokenize", llamaCpp).path("tokens").size()).isEqualTo((int) completionBilled);

    assertThat(client.postRaw("/tokenize", "{\"model\": \"m\"}").statusCode()).isEqualTo(400);
    assertThat(client.get("/tokenize").statusCode()).isEqualTo(405);
  }

  @Test
  void nChoicesPerPrompt() {
    ObjectNode body = TestClient.chatBody(null, "Pick M or Q");
    body.put("n", 3);
    JsonNode response = client.call("/v1/chat/completions", body);
    assertThat(response.path("choices").size()).isEqualTo(3);
    assertThat(response.path("choices").path(2).path("index").asInt()).isEqualTo(2);
  }

  @Test
  void maxTokensCutsTheAnswerAndSaysSo() {
    ObjectNode body = TestClient.chatBody(null, "Answer as {'value': 'X'}");
    body.put("max_tokens", 3);
    JsonNode response = client.call("/v1/chat/completions", body);
    assertThat(TestClient.content(response)).isEqualTo("{'value");
    assertThat(response.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(response.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void modelsHealthAndMetrics() throws Exception {
    HttpResponse<String> models = client.get("/v1/models");
    assertThat(models.statusCode()).isEqualTo(200);
    JsonNode list = TestClient.JSON.readTree(models.body());
    assertThat(list.path("object").asText()).isEqualTo("list");
    assertThat(list.path("data").path(0).path("id").asText()).isEqualTo("fake-70b");
    assertThat(list.path("data").path(0).path("object").asText()).isEqualTo("model");

    assertThat(client.get("/health").statusCode()).isEqualTo(200);

    client.call("/v1/chat/completions", TestClient.chatBody(null, "hello"));
    HttpResponse<String> metrics = client.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body())
        .contains("# TYPE fakellm_requests_total counter")
        .containsPattern("fakellm_requests_total\\{endpoint=\"chat\",status=\"200\"} [1-9]")
        .contains("fakellm_faults_injected_total{fault=\"429\"} 0")
        .containsPattern("(?m)^fakellm_steps_total [1-9]")
        .containsPattern("(?m)^fakellm_sequences_running \\d+$")
        .containsPattern("(?m)^fakellm_queue_length \\d+$")
        .contains("fakellm_batch_sequences_bucket{le=\"+Inf\"}")
        .containsPattern("(?m)^fakellm_prompt_tokens_total [1-9]")
        .contains("fakellm_prefix_cache_hit_tokens_total")
        .contains("fakellm_utilisation_ratio");
    for (String line : metrics.body().split("\n")) {
      assertThat(line).matches("# (HELP|TYPE) fakellm_\\w+ .+|fakellm_\\w+(\\{[^}]*})? -?[0-9.eE+-]+");
    }
  }

  @Test
  void badRequestsGetOpenAiErrors() throws Exception {
    HttpResponse<String> notJson = client.postRaw("/v1/chat/completions", "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(TestClient.JSON.readTree(notJson.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(client.postRaw("/v1/chat/completions", "{\"messages\": []}").statusCode()).isEqualTo(400);
    assertThat(client.postRaw("/v1/completions", "{\"prompt\": [[1, 2, 3]]}").statusCode()).isEqualTo(400);
    assertThat(client.postRaw("/v1/chat/completions",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": true}").statusCode()).isEqualTo(400);
    assertThat(client.postRaw("/v1/embeddings", "{}").statusCode()).isEqualTo(404);
    assertThat(client.get("/v1/chat/completions").statusCode()).isEqualTo(405);
  }

  @Test
  void seededRequestsGetTheSameAnswer() throws Exception {
    try (FakeLlmServer uniform = FakeLlmServer.start(FakeLlmSettings.builder().fixedStep(Duration.ZERO)
        .responder(FixedResponder.uniform()).build())) {
      TestClient c = new TestClient(uniform);
      String prompt = "The values Player 1 and Player 2 can pick from are: A, B, C, D, E, F, G, H.";
      ObjectNode body = TestClient.chatBody(null, prompt);
      body.put("seed", 1234);
      String first = TestClient.content(c.call("/v1/chat/completions", body));
      for (int i = 0; i < 5; i++) {
        assertThat(TestClient.content(c.call("/v1/chat/completions", body))).isEqualTo(first);
      }
      // Without a seed each request draws anew.
      ObjectNode unseeded = TestClient.chatBody(null, prompt);
      Set<String> answers = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        answers.add(TestClient.content(c.call("/v1/chat/completions", unseeded)));
      }
      assertThat(answers).hasSizeGreaterThan(3);
    }
  }
}
