package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.llm.RenderedPrompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The note of the requests a durable run sent: each decision's attempt is noted with it, a later
 * session appends to it, and a last line cut short by a kill is left out when it is read.
 */
class SentCallsTest {
  @TempDir
  Path dir;

  private static LlmRequest request(int agent, long index, LlmRequest.Role role, int attempt) {
    RenderedPrompt prompt = new RenderedPrompt("The rules.", "Your history.", List.of(0, 1), 1, 0, "t");
    return new LlmRequest(agent, index, role, attempt, prompt, null, false);
  }

  @Test
  void notesEachDecisionsFirstAttemptAcrossSessionsAndDropsALastLineCutShort() throws Exception {
    assertThat(SentCalls.read(dir)).isEmpty();
    try (SentCalls sent = SentCalls.in(dir)) {
      sent.sending(List.of(request(3, 7, LlmRequest.Role.INITIATOR, 0), request(4, 7, LlmRequest.Role.RESPONDER, 0),
          request(3, 6, LlmRequest.Role.INITIATOR, 1)));
    }
    try (SentCalls sent = SentCalls.in(dir)) {
      sent.sending(List.of(request(5, 9, LlmRequest.Role.turn("proposer", 0), 0)));
    }
    Files.writeString(dir.resolve(SentCalls.FILE), "6|10|initia", StandardOpenOption.APPEND);
    assertThat(SentCalls.read(dir)).containsExactlyInAnyOrder("3|7|initiator|0", "4|7|responder|0",
        "3|6|initiator|1", "5|9|proposer:0|0");
    ReplayBook book = ReplayBook.empty();
    SentCalls.read(dir).forEach(book::addSent);
    assertThat(book.decisions()).containsExactlyInAnyOrder("3|7|initiator", "4|7|responder", "3|6|initiator",
        "5|9|proposer:0");
    assertThat(book.sent()).contains("3|6|initiator|1");
  }
}
