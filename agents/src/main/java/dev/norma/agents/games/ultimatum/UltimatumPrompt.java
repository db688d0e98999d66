package dev.norma.agents.games.ultimatum;

import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.agents.games.ultimatum.UltimatumPromptTemplates.Part;
import dev.norma.agents.llm.ContextFolding;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Renders what a language-model player of the ultimatum game sees. The system message holds the
 * rules, the same for every agent and call (the sum of {@link UltimatumGame#SUM} points, the two
 * roles drawn anew each encounter, the payoffs, and with reputation on that proposers may be told
 * a responder's record) and asks for a final line {@code {'value': 'X'}}; the user message holds
 * what differs: the agent's remembered encounters as lines, oldest first, the record it is told
 * as proposer, the offer it is shown as responder, the options, "It is now encounter k" with k
 * the remembered encounters + 1, and its score, the payoffs of the encounters shown summed (0
 * when none are).
 *
 * <p>The history shows what the mind remembers ({@code game.settings.memory}), cut to the newest
 * lines that fit {@code policy.llm.contextTokens} ({@link ContextWindow#keepNewest}); lines keep
 * their number among the remembered encounters, so a cut window starts past 1. Under
 * {@code policy.llm.contextOverflow: summarise} the lines that leave are first folded into the
 * agent's summary ({@link #shown}, {@link ContextFolding}), which the user message shows before
 * the history ({@code ultimatum.summary.txt}); the score then sums the lines shown. Offers are the
 * options "0", "10", …, "100" in ascending order and the answers "accept", "reject", both
 * unshuffled: a prompt draws nothing. Instances are immutable and thread-safe.
 */
final class UltimatumPrompt {
  /** Points between two offers a language-model proposer may make. */
  static final int STEP = 10;
  /** The proposer's options, offers in points, ascending: option i offers {@code i * STEP}. */
  static final List<String> OFFERS = offers();
  /** The responder's options. */
  static final List<String> ANSWERS = List.of("accept", "reject");
  static final int ACCEPT = 0;

  private final UltimatumPromptTemplates templates;
  private final String system;
  private final ContextFolding folding;

  /** Prompts whose history drops the oldest lines that do not fit {@code contextTokens}. */
  UltimatumPrompt(UltimatumPromptTemplates templates, boolean reputation, Integer contextTokens) {
    this(templates, reputation, contextTokens, ContextWindow.Overflow.DROP_OLDEST);
  }

  /**
   * @param reputation    whether the rules say that proposers may be told a responder's record
   * @param contextTokens the most estimated tokens of history a prompt shows; null: all remembered
   * @param overflow      what happens to the history that does not fit
   */
  UltimatumPrompt(UltimatumPromptTemplates templates, boolean reputation, Integer contextTokens,
                  ContextWindow.Overflow overflow) {
    this.templates = templates;
    Map<String, String> values = gameValues();
    values.put("reputation", reputation ? templates.get(Part.REPUTATION).render(values::get) + "\n" : "");
    this.system = templates.get(Part.SYSTEM).render(values::get);
    this.folding = new ContextFolding(contextTokens, overflow, system);
  }

  private static List<String> offers() {
    List<String> offers = new ArrayList<>();
    for (int offer = 0; offer <= UltimatumGame.SUM; offer += STEP) {
      offers.add(Integer.toString(offer));
    }
    return List.copyOf(offers);
  }

  private static Map<String, String> gameValues() {
    Map<String, String> values = new HashMap<>();
    values.put("sum", Integer.toString(UltimatumGame.SUM));
    values.put("step", Integer.toString(STEP));
    return values;
  }

  /**
   * The proposer's prompt.
   *
   * @param told   whether the proposer is told the responder's record (reputation on, informed)
   * @param record the lowest offer the responder accepted among the encounters it remembers
   */
  RenderedPrompt proposer(UltimatumMind proposer, boolean told, OptionalInt record) {
    return proposer(proposer, shown(proposer), told, record);
  }

  /** The proposer's prompt, showing {@code shown} of its past ({@link #shown}, needing no summary). */
  RenderedPrompt proposer(UltimatumMind proposer, ContextWindow.Shown shown, boolean told, OptionalInt record) {
    Window window = window(proposer, shown);
    Map<String, String> values = window.values(OFFERS);
    String recordText = "";
    if (told) {
      recordText = record.isPresent()
          ? templates.get(Part.RECORD).render(variable -> Integer.toString(record.getAsInt())) + "\n"
          : templates.get(Part.NO_RECORD).render(variable -> null) + "\n";
    }
    values.put("record", recordText);
    return prompt(window, templates.get(Part.PROPOSER).render(values::get), OFFERS.size());
  }

  /** The responder's prompt, shown {@code offer} (in points). */
  RenderedPrompt responder(UltimatumMind responder, int offer) {
    return responder(responder, shown(responder), offer);
  }

  /** The responder's prompt, showing {@code shown} of its past ({@link #shown}, needing no summary). */
  RenderedPrompt responder(UltimatumMind responder, ContextWindow.Shown shown, int offer) {
    Window window = window(responder, shown);
    Map<String, String> values = window.values(ANSWERS);
    values.put("offer", Integer.toString(offer));
    values.put("kept", Integer.toString(UltimatumGame.SUM - offer));
    return prompt(window, templates.get(Part.RESPONDER).render(values::get), ANSWERS.size());
  }

  /** The rules, as every prompt's system message has them. */
  String system() {
    return system;
  }

  /**
   * What {@code mind}'s next prompt shows of its past; when it {@linkplain
   * ContextWindow.Shown#needsSummary() needs a summary}, {@link #summary} asks for it first.
   */
  ContextWindow.Shown shown(UltimatumMind mind) {
    return folding.show(historyLines(mind), mind.recall());
  }

  /** The prompt asking {@code mind} for the summary {@code shown} needs. */
  RenderedPrompt summary(ContextWindow.Shown shown) {
    return folding.summaryPrompt(shown);
  }

  /** Takes {@code answer} as {@code mind}'s summary of what {@code shown} folds. */
  void summarised(UltimatumMind mind, ContextWindow.Shown shown, String answer) {
    folding.fold(mind.recall(), shown, answer);
  }

  /** Every encounter {@code mind} remembers as a history line, oldest first. */
  List<String> historyLines(UltimatumMind mind) {
    List<String> lines = new ArrayList<>(mind.remembered());
    for (int i = 0; i < mind.remembered(); i++) {
      Map<String, String> values = Map.of(
          "number", Integer.toString(i + 1),
          "role", mind.role(i) == Role.PROPOSER ? "proposer" : "responder",
          "offer", Integer.toString(mind.offerIn(i)),
          "answer", mind.acceptedIn(i) ? "accepted" : "rejected",
          "payoff", Integer.toString(payoff(mind, i)));
      lines.add(templates.get(Part.ENCOUNTER).render(values::get));
    }
    return lines;
  }

  private static int payoff(UltimatumMind mind, int i) {
    return mind.role(i) == Role.PROPOSER
        ? UltimatumGame.proposerPayoff(mind.offerIn(i), mind.acceptedIn(i))
        : UltimatumGame.responderPayoff(mind.offerIn(i), mind.acceptedIn(i));
  }

  /** The options are shown in their own order. */
  private RenderedPrompt prompt(Window window, String user, int options) {
    List<Integer> order = new ArrayList<>(options);
    for (int option = 0; option < options; option++) {
      order.add(option);
    }
    return new RenderedPrompt(system, user, order, window.currentRound(), window.score(), templates.sha256());
  }

  private Window window(UltimatumMind mind, ContextWindow.Shown shown) {
    if (shown.needsSummary()) {
      throw new IllegalArgumentException("the past shown needs a summary first");
    }
    List<String> lines = shown.lines();
    int score = 0;
    for (int i = mind.remembered() - lines.size(); i < mind.remembered(); i++) {
      score += payoff(mind, i);
    }
    String summary = shown.summary().isEmpty() ? ""
        : templates.get(Part.SUMMARY).render(variable -> shown.summary()) + "\n";
    String history = lines.isEmpty() ? ""
        : templates.get(Part.HISTORY).render(variable -> String.join("\n", lines)) + "\n";
    return new Window(summary + history, mind.remembered() + 1, score);
  }

  /** What a user message shows of an agent's past. */
  private record Window(String history, int currentRound, int score) {
    Map<String, String> values(List<String> options) {
      Map<String, String> values = gameValues();
      values.put("history", history);
      values.put("options", String.join(", ", options));
      values.put("current_round", Integer.toString(currentRound));
      values.put("score", Integer.toString(score));
      return values;
    }
  }
}
