package dev.norma.agents.encounter;

import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.List;
import java.util.function.Predicate;

/**
 * One turn of an encounter played through a language model: who acts, what it is shown and what
 * it may choose.
 *
 * @param number      the turn's number in its encounter, from 0: with the encounter's index and the
 *                    agent, it identifies the decision in the call journal and for replay
 * @param participant the acting participant's position in the encounter's group
 * @param role        the acting participant's part in the game ("proposer", "speaker"), for the journal
 * @param prompt      what it is shown, rendered now
 * @param options     the choices, by the indices {@link Exchange#choose} takes, in the order the
 *                    prompt shows them (its {@link RenderedPrompt#optionOrder()}, when it lists one
 *                    for each option, names the game's ids of them in that order); an answer is read
 *                    against them (none for a summary or a free text)
 * @param kind        what the turn asks for: a choice among the options, a summary of what leaves
 *                    the participant's context window ({@link #summary(int, int, String,
 *                    RenderedPrompt)}), or a free text ({@link #freeText(int, int, String,
 *                    RenderedPrompt)})
 * @param judge       who answers a judge's turn ({@link #judge(int, int, String, RenderedPrompt, List,
 *                    Judge)}): a model outside the encounter; null for a turn the acting
 *                    participant's own model answers
 * @param accepts     for a free text, whether an answer is usable ({@link #ANY_TEXT}: any that is not
 *                    blank); an unusable one is asked again like an answer that names no option, and
 *                    after every re-ask the text is empty. A game whose free texts have a form to keep
 *                    (a norm stated as "Norm: …", a score) gives its parser's test here. Always
 *                    {@link #ANY_TEXT} for a choice or a summary.
 */
public record Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options,
                   Kind kind, Judge judge, Predicate<String> accepts) {

  /**
   * A model that judges what was said in an encounter rather than taking part: the endpoints and
   * sampling parameters of a group of {@code population.groups} (not its persona), or one endpoint
   * of {@code inference.endpoints} by name, with the run's sampling parameters. Exactly one is set.
   */
  public record Judge(String group, String endpoint) {
    public Judge {
      if ((group == null) == (endpoint == null)) {
        throw new IllegalArgumentException("a judge is a group or an endpoint, one of them: " + group + ", "
            + endpoint);
      }
    }
  }

  /** What a turn asks the acting participant's model for. */
  public enum Kind {
    /** One of the turn's options, read by its {@linkplain #parser() parser}: {@link Exchange#choose}. */
    CHOICE,
    /** A summary of what leaves its context window, taken whole: {@link Exchange#summarised}. */
    SUMMARY,
    /**
     * A message of its own, taken whole ({@link Exchange#said}); an empty or blank answer is asked
     * for again like an unusable choice, and after every re-ask the text is empty: invalid.
     */
    FREE_TEXT
  }

  /**
   * The choice of a turn whose model named no option: the same value the engine's language-model
   * policy uses for a missing decision ({@code LlmDeliberation.NO_CHOICE}).
   */
  public static final int NO_CHOICE = -2;

  /** Accepts any free text that is not blank. */
  public static final Predicate<String> ANY_TEXT = text -> text != null && !text.isBlank();

  public Turn {
    if (judge != null && kind != Kind.CHOICE) {
      throw new IllegalArgumentException("a judge's turn is a choice among options");
    }
    if (number < 0 || participant < 0) {
      throw new IllegalArgumentException("a turn's number and participant are 0 or more: " + number + ", "
          + participant);
    }
    options = List.copyOf(options);
    if (options.isEmpty() != (kind != Kind.CHOICE)) {
      throw new IllegalArgumentException(kind == Kind.CHOICE ? "a turn needs at least one option"
          : "a " + kind + " turn has no options");
    }
    if (accepts == null) {
      throw new IllegalArgumentException("a turn needs a test of its answers' text (Turn.ANY_TEXT for any)");
    }
  }

  /** A turn whose answers are read by its kind's rule alone ({@link #ANY_TEXT} for a free text). */
  public Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options, Kind kind) {
    this(number, participant, role, prompt, options, kind, null, ANY_TEXT);
  }

  /** A turn that asks for a choice among {@code options}. */
  public Turn(int number, int participant, String role, RenderedPrompt prompt, List<String> options) {
    this(number, participant, role, prompt, options, Kind.CHOICE);
  }

  /** Whether the turn asks for a summary ({@link Kind#SUMMARY}). */
  public boolean summary() {
    return kind == Kind.SUMMARY;
  }

  /** Whether the turn asks for a free text ({@link Kind#FREE_TEXT}). */
  public boolean freeText() {
    return kind == Kind.FREE_TEXT;
  }

  /**
   * The participant who is to take turn {@code number} must first summarise the encounters leaving
   * its context window ({@link dev.norma.agents.llm.ContextSummary}): the answer, taken whole, goes
   * to {@link Exchange#summarised}. Its journal identity is the turn's, with {@code -summary} after
   * the part.
   */
  public static Turn summary(int number, int participant, String role, RenderedPrompt prompt) {
    return new Turn(number, participant, role + "-summary", prompt, List.of(), Kind.SUMMARY);
  }

  /**
   * Turn {@code number} asks the participant for a message of its own (a debate's next turn, a
   * sentence to complete), not a choice: the answer's text, stripped, goes to {@link
   * Exchange#said}. Its journal identity is {@code role:number}, like a choice's.
   */
  public static Turn freeText(int number, int participant, String role, RenderedPrompt prompt) {
    return new Turn(number, participant, role, prompt, List.of(), Kind.FREE_TEXT);
  }

  /**
   * Turn {@code number} asks {@code judge}'s model, not the participant's, for a verdict among
   * {@code options} on what participant {@code participant} said (a debate message's stance, say);
   * read and re-asked like any choice, and taken by {@link Exchange#choose}. Its journal identity
   * is the judged participant's agent with {@code role:number}; it is journaled, counted and
   * replayed like the participants' own turns.
   */
  public static Turn judge(int number, int participant, String role, RenderedPrompt prompt, List<String> options,
                           Judge judge) {
    return new Turn(number, participant, role, prompt, options, Kind.CHOICE, java.util.Objects.requireNonNull(judge),
        ANY_TEXT);
  }

  /**
   * A free-text turn whose answer must have a form the game reads ({@code accepts}): one that has
   * not is asked again, up to {@code policy.llm.parseRetries} times, and then the text is empty.
   * {@code accepts} sees the answer stripped, and is only asked about a text that is not blank.
   */
  public static Turn parsedText(int number, int participant, String role, RenderedPrompt prompt,
                                Predicate<String> accepts) {
    return new Turn(number, participant, role, prompt, List.of(), Kind.FREE_TEXT, null,
        text -> ANY_TEXT.test(text) && accepts.test(text));
  }

  /** Whether {@code text}, an answer to this free-text turn stripped, is usable; an unusable one counts as empty. */
  public boolean usable(String text) {
    return accepts.test(text);
  }

  /** A parser for answers to this turn, with the options' indices (not for a summary or a free text). */
  public ChoiceParser parser() {
    return new ChoiceParser(options);
  }
}
