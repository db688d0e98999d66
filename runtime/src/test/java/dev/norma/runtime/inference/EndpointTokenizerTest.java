package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.EndpointSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link EndpointTokenizer} asks and how it reads vLLM's and llama.cpp's answers. */
class EndpointTokenizerTest {
  private static final RenderedPrompt PROMPT = new RenderedPrompt("The rules.", "Your history.", List.of(0, 1), 1, 0,
      "sha");

  private static EndpointSpec endpoint(String url, String kind) {
    return new EndpointSpec("e", url, kind, "served-model", null, null, null, null, null, null, null, null, null,
        null);
  }

  @Test
  void theTokenizerIsAtTheServersRootBesideV1() {
    assertThat(EndpointTokenizer.tokenizeUri(endpoint("http://gpu:8000/v1", "chat")))
        .hasToString("http://gpu:8000/tokenize");
    assertThat(EndpointTokenizer.tokenizeUri(endpoint("http://gpu:8080/v1/", "chat")))
        .hasToString("http://gpu:8080/tokenize");
    assertThat(EndpointTokenizer.tokenizeUri(endpoint("https://host/llm", "chat")))
        .hasToString("https://host/llm/tokenize");
  }

  @Test
  void oneBodyCarriesVllmsChatOrPromptFormAndLlamaCppsContent() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode chat = json.readTree(EndpointTokenizer.body(endpoint("http://h/v1", "chat"), PROMPT));
    assertThat(chat.path("model").asText()).isEqualTo("served-model");
    assertThat(chat.path("messages").size()).isEqualTo(2);
    assertThat(chat.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(chat.path("messages").path(1).path("content").asText()).isEqualTo("Your history.");
    assertThat(chat.path("add_generation_prompt").asBoolean()).isTrue();
    assertThat(chat.has("prompt")).isFalse();
    assertThat(chat.path("content").asText()).isEqualTo(PROMPT.text());

    JsonNode completion = json.readTree(EndpointTokenizer.body(endpoint("http://h/v1", "completions"), PROMPT));
    assertThat(completion.path("prompt").asText()).isEqualTo(PROMPT.text());
    assertThat(completion.has("messages")).isFalse();
    assertThat(completion.path("content").asText()).isEqualTo(PROMPT.text());
  }

  @Test
  void readsVllmsCountOrTheLengthOfLlamaCppsTokens() {
    assertThat(read("{\"count\": 7, \"tokens\": [1, 2], \"max_model_len\": 4096}").tokens()).isEqualTo(7);
    assertThat(read("{\"tokens\": [5, 6, 7]}").tokens()).isEqualTo(3);
    // llama.cpp answers an empty list to a body without content: nothing was counted.
    assertThat(read("{\"tokens\": []}").unavailable()).isEqualTo("endpoint e's /tokenize answer has no token count");
    assertThat(read("{\"detail\": \"Not Found\"}").counted()).isFalse();
    assertThat(read("<html>").unavailable()).isEqualTo("endpoint e's /tokenize answer is not JSON");
  }

  private static EndpointTokenizer.Count read(String body) {
    return EndpointTokenizer.read("endpoint e", body.getBytes(StandardCharsets.UTF_8));
  }
}
