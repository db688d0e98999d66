package dev.norma.runtime.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The answers of an earlier run, read from its call journal, for replay.
 *
 * <p>An answer is reused for a request with the same agent, interaction index, role and attempt,
 * the same prompt (SHA-256 of the rendered system and user text) and the same sampling
 * parameters. The decision's identity (agent, index, role, attempt) keeps one recorded sample per
 * decision, so a stochastic model's answers are replayed where they were given and not shared
 * between decisions that happen to see the same prompt; the prompt hash and parameters make
 * reuse stop exactly where a changed spec (an intervention, a longer memory, other templates)
 * changes what an agent is shown. Once an agent's memory differs from the recorded run, its
 * prompts differ and its calls go to the endpoints.
 */
public final class ReplayBook {
  private final Map<String, LlmAnswer> answers = new HashMap<>();
  /** Every decision asked for ({@code agent|index|role}), answered or not. */
  private final java.util.Set<String> decisions = new java.util.HashSet<>();
  /** The requests a killed run noted as sent ({@link SentCalls#line}), answered or not. */
  private final java.util.Set<String> sent = new java.util.HashSet<>();

  private ReplayBook() {
  }

  /** A book with no answers yet, filled by {@link #add}. */
  public static ReplayBook empty() {
    return new ReplayBook();
  }

  /** Reads {@code calls.jsonl.gz} of a run directory; any damage is an error naming the line. */
  public static ReplayBook read(Path runDirectory) throws IOException {
    return read(runDirectory, CallJournalReader.Reading.STRICT);
  }

  /**
   * Reads {@code calls.jsonl.gz} of a recorded run directory, whole: a damaged journal is an
   * error naming the file and the line, or, as {@code reading} accepts, a warning with counts
   * (so no call the journal holds past the damage goes to an endpoint unannounced).
   */
  public static ReplayBook read(Path runDirectory, CallJournalReader.Reading reading) throws IOException {
    Path file = runDirectory.resolve(CallJournal.FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no call journal " + file);
    }
    ReplayBook book = new ReplayBook();
    CallJournalReader.read(file, CallJournalReader.Purpose.REPLAY, reading, book::add);
    return book;
  }

  /** Takes one journal line: a call's decision, and its answer when it has one. */
  public void add(JsonNode entry) {
    if (!"call".equals(entry.path("type").asText())) {
      return;
    }
    decisions.add(decision(entry.path("agent").asInt(), entry.path("index").asLong(), entry.path("role").asText()));
    String outcome = entry.path("outcome").asText();
    if (!("ok".equals(outcome) || "invalid".equals(outcome))) {
      return;
    }
    String key = key(entry.path("agent").asInt(), entry.path("index").asLong(), entry.path("role").asText(),
        entry.path("attempt").asInt(), entry.path("promptSha256").asText(), entry.path("paramsKey").asText());
    answers.put(key, new LlmAnswer(entry.path("response").asText(""), entry.path("endpoint").asText(),
        entry.path("model").asText(null), entry.path("systemFingerprint").asText(null),
        entry.path("promptTokens").asLong(), entry.path("completionTokens").asLong(),
        entry.path("cachedTokens").asLong(), 0, 0, true, false));
  }

  static String key(int agent, long index, String role, int attempt, String promptSha256, String paramsKey) {
    return agent + "|" + index + "|" + role + "|" + attempt + "|" + promptSha256 + "|" + paramsKey;
  }

  /** The recorded answer to this request, or null. */
  LlmAnswer lookup(LlmRequest request, SamplingParams params) {
    return answers.get(key(request.agent(), request.index(), request.role().wireName(), request.attempt(),
        request.prompt().sha256(), params.key()));
  }

  /** The identity of one decision: who decided, in which interaction, in which role. */
  public static String decision(int agent, long index, String role) {
    return agent + "|" + index + "|" + role;
  }

  /** Adds a request noted as sent ({@link SentCalls}), which may have no line (in flight when its run was killed). */
  public void addSent(String line) {
    sent.add(line);
    decisions.add(SentCalls.decisionOf(line));
  }

  /** The requests noted as sent ({@link SentCalls#line}). */
  public java.util.Set<String> sent() {
    return java.util.Collections.unmodifiableSet(sent);
  }

  /** The decisions the recorded run asked for, answered or not. */
  public java.util.Set<String> decisions() {
    return java.util.Collections.unmodifiableSet(decisions);
  }

  /** This book with the answers of {@code other} added (null: unchanged). */
  public ReplayBook with(ReplayBook other) {
    if (other != null) {
      other.answers.forEach(answers::putIfAbsent);
      decisions.addAll(other.decisions);
      sent.addAll(other.sent);
    }
    return this;
  }

  public int size() {
    return answers.size();
  }
}
