package dev.norma.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norma.protocols.run.InferenceUsage;
import dev.norma.protocols.spec.EndpointSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged call journals are named, not read quietly up to the damage: a journal cut in half, a
 * bad line in the middle, and the one damage a resume expects, a last line cut short by a kill.
 */
class CallJournalReaderTest {
  @TempDir
  Path temp;

  private final List<String> notices = new ArrayList<>();

  private static String call(int index, String outcome) {
    return "{\"type\":\"call\",\"index\":" + index + ",\"agent\":" + (index % 7) + ",\"role\":\"initiator\","
        + "\"attempt\":0,\"try\":1,\"outcome\":\"" + outcome + "\",\"promptSha256\":\"p" + index + "\","
        + "\"paramsKey\":\"k\",\"endpoint\":\"fake\",\"response\":\"Q\",\"promptTokens\":100,"
        + "\"completionTokens\":3,\"replayed\":false}";
  }

  private static List<String> calls(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(call(i, "ok"));
    }
    return lines;
  }

  /** A journal as a finished run leaves it: one complete gzip stream. */
  private Path journal(List<String> lines) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("run"));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(CallJournal.FILE)))) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return dir;
  }

  /**
   * A journal as a killed run leaves it: every line sync-flushed, then {@code torn} written and
   * flushed, and the gzip stream never finished.
   */
  private Path killedJournal(List<String> lines, String torn) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("killed"));
    OutputStream file = Files.newOutputStream(dir.resolve(CallJournal.FILE));
    GZIPOutputStream out = new GZIPOutputStream(file, 1 << 16, true);
    for (String line : lines) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.write(torn.getBytes(StandardCharsets.UTF_8));
    out.flush();
    file.close(); // no gzip trailer
    return dir;
  }

  private CallJournalReader.Reading accepting() {
    return new CallJournalReader.Reading(true, notices::add);
  }

  private CallJournalReader.Reading strict() {
    return new CallJournalReader.Reading(false, notices::add);
  }

  @Test
  void aJournalCutInHalfIsAnErrorForAReplayNamingWhereItEnds() throws Exception {
    Path dir = journal(calls(400));
    Path file = dir.resolve(CallJournal.FILE);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> ReplayBook.read(dir, strict()))
        .isInstanceOf(CallJournalReader.DamagedJournalException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("ends cut short after line")
        .hasMessageContaining("--accept-damaged-journal");

    ReplayBook book = ReplayBook.read(dir, accepting());
    assertThat(book.size()).isBetween(1, 399);
    assertThat(notices).singleElement().asString().startsWith("warning: " + file)
        .contains("read " + book.size() + " lines");
  }

  @Test
  void aBadLineInTheMiddleIsAnErrorNamingItsLineOrWithTheFlagSkippedAndCounted() throws Exception {
    List<String> lines = calls(300);
    lines.set(99, "{\"type\":\"call\",\"index\": garbage");
    Path dir = journal(lines);

    assertThatThrownBy(() -> ReplayBook.read(dir, strict()))
        .isInstanceOf(CallJournalReader.DamagedJournalException.class)
        .hasMessageContaining(CallJournal.FILE + " line 100: not a JSON object");

    ReplayBook book = ReplayBook.read(dir, accepting());
    assertThat(book.size()).as("every line but the bad one, the lines after it included").isEqualTo(299);
    assertThat(notices).singleElement().asString().contains("read 299 lines, skipped 1");
  }

  @Test
  void aBadLineInTheMiddleIsAnErrorOnResumeTooAndLeavesTheJournalAsItWas() throws Exception {
    List<String> lines = calls(50);
    lines.set(20, "not json at all");
    Path dir = journal(lines);
    byte[] before = Files.readAllBytes(dir.resolve(CallJournal.FILE));

    assertThatThrownBy(() -> CallJournal.resume(dir, List.of(), strict(), line -> { }))
        .isInstanceOf(CallJournalReader.DamagedJournalException.class)
        .hasMessageContaining("line 21");
    assertThat(Files.readAllBytes(dir.resolve(CallJournal.FILE))).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void aResumeDropsOnlyALastLineCutShortByAKillWithANote() throws Exception {
    Path dir = killedJournal(calls(40), call(40, "ok").substring(0, 50));
    Path file = dir.resolve(CallJournal.FILE);

    List<JsonNode> kept = new ArrayList<>();
    try (CallJournal journal = CallJournal.resume(dir, List.of(), strict(), kept::add)) {
      assertThat(kept).hasSize(40);
      assertThat(journal.totals().calls()).isEqualTo(40);
    }
    assertThat(notices).singleElement().asString().startsWith("note: " + file).contains("dropped line 41");
    // The journal is whole again: a replay reads it without complaint.
    assertThat(ReplayBook.read(dir, strict()).size()).isEqualTo(40);

    // The same kill is damage for a replay of it.
    Path killed = killedJournal(calls(40), call(40, "ok").substring(0, 50));
    assertThatThrownBy(() -> ReplayBook.read(killed, strict()))
        .isInstanceOf(CallJournalReader.DamagedJournalException.class);
  }

  @Test
  void withTheFlagAResumeWarnsOfSkippedDamageAndOnlyNotesTheLineAKillCutShort() throws Exception {
    List<String> lines = calls(30);
    lines.set(9, "{\"type\":");
    Path dir = killedJournal(lines, "{\"type\":\"ca");
    List<JsonNode> kept = new ArrayList<>();
    CallJournal.resume(dir, List.of(), accepting(), kept::add).close();
    assertThat(kept).hasSize(29);
    assertThat(notices).hasSize(2);
    assertThat(notices.get(0)).startsWith("warning: ").endsWith("is damaged: read 29 lines, skipped 1");
    assertThat(notices.get(1)).startsWith("note: ").contains("dropped line 31");
  }

  @Test
  void aResumeOfAJournalKilledBetweenLinesKeepsEveryLineSilently() throws Exception {
    Path dir = killedJournal(calls(25), "");
    List<JsonNode> kept = new ArrayList<>();
    CallJournal.resume(dir, List.of(), strict(), kept::add).close();
    assertThat(kept).hasSize(25);
    assertThat(notices).isEmpty();
  }

  @Test
  void theTotalsAreSumsOverTheLinesOfEverySession() throws Exception {
    List<String> lines = new ArrayList<>(calls(10));
    lines.add(call(10, "retry"));
    lines.add(call(10, "invalid"));
    lines.add(call(11, "error").replace("\"outcome\"", "\"reissued\":true,\"outcome\""));
    lines.add(call(12, "ok").replace("\"replayed\":false", "\"replayed\":true"));
    lines.add(call(13, "ok").replace("\"replayed\":false", "\"replayed\":false,\"sharedRequest\":true"));
    lines.add(call(14, "ok").replace("\"replayed\":false", "\"replayed\":false,\"reissued\":true"));
    lines.add("{\"type\":\"system\",\"sha256\":\"s\",\"text\":\"rules\"}");
    Path dir = killedJournal(lines, "");
    EndpointSpec priced = new EndpointSpec("fake", "http://127.0.0.1:1/v1", "chat", "m", null, null, 8, null,
        null, 1, false, 5.0, 2.0, 10.0, null, null);
    try (CallJournal journal = CallJournal.resume(dir, List.of(priced), strict(), line -> { })) {
      InferenceUsage totals = journal.totals();
      assertThat(totals.calls()).as("answers from endpoints: 10 ok, 1 invalid, 2 more ok").isEqualTo(13);
      assertThat(totals.replayedCalls()).isEqualTo(1);
      assertThat(totals.requests()).as("every answer and failed try not replayed, less the shared one")
          .isEqualTo(14);
      assertThat(totals.retries()).isEqualTo(1);
      assertThat(totals.errors()).isEqualTo(2);
      assertThat(totals.failedCalls()).isEqualTo(1);
      assertThat(totals.invalidAnswers()).isEqualTo(1);
      assertThat(totals.reissuedCalls()).isEqualTo(2);
      assertThat(totals.promptTokens()).isEqualTo(1300);
      assertThat(totals.completionTokens()).isEqualTo(39);
      assertThat(totals.estimatedCost()).isEqualTo((1300 * 2.0 + 39 * 10.0) / 1e6);
    }
  }

  @Test
  void aJournalThatIsNotGzipIsNamed() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    plain.write(call(0, "ok").getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(CallJournal.FILE), plain.toByteArray());
    assertThatThrownBy(() -> ReplayBook.read(dir, accepting()))
        .isInstanceOf(CallJournalReader.DamagedJournalException.class).hasMessageContaining("not a gzip file");
  }
}
