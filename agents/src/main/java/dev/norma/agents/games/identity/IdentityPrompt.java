package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Utterance;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a debate's prompts from {@link IdentityPromptTemplates}: the system text of a seat (its
 * identity prompt, then the task, its side and the goal), and the user text of a debate turn or a
 * completion, which shows the debate so far — the speaker's own messages as "You", the others' as
 * "Debater k" — bounded by {@code policy.llm.contextTokens}: the oldest messages that do not fit
 * leave. Immutable; draws nothing.
 */
final class IdentityPrompt {
  private final IdentityPromptTemplates templates;
  private final IdentitySettings settings;
  private final Integer contextTokens;

  IdentityPrompt(IdentityPromptTemplates templates, IdentitySettings settings, Integer contextTokens) {
    this.templates = templates;
    this.settings = settings;
    this.contextTokens = contextTokens;
  }

  /** The system text of seat {@code seat} taken by {@code identity}'s prompt. */
  String system(int seat, String identity) {
    String prompt = settings.identities().get(identity);
    Map<String, String> values = Map.of(
        "identity", prompt.isEmpty() ? "" : prompt + "\n\n",
        "task", settings.task(),
        "side", settings.sides().get(seat),
        "turns", Integer.toString(settings.turns()),
        "debaters", Integer.toString(settings.seats()));
    return templates.get(IdentityPromptTemplates.Part.SYSTEM).render(values::get);
  }

  /** Debate turn {@code turn} (from 0) of {@code seat}, after {@code said}. */
  RenderedPrompt turn(String system, int seat, int turn, List<Utterance> said) {
    String request = templates.get(IdentityPromptTemplates.Part.TURN).render(variable -> switch (variable) {
      case "turn" -> Integer.toString(turn + 1);
      case "turns" -> Integer.toString(settings.turns());
      default -> null;
    });
    return prompt(system, history(seat, said) + request, turn);
  }

  /** The completion of {@code start} ("We are") asked of {@code seat} after the debate {@code said}. */
  RenderedPrompt completion(String system, int seat, int turn, String start, List<Utterance> said) {
    String request = templates.get(IdentityPromptTemplates.Part.COMPLETE).render(variable -> start);
    return prompt(system, history(seat, said) + request, turn);
  }

  /** The judge's question on the stance of debate message {@code line} (turn from 0), said by {@code seat}. */
  RenderedPrompt judgeStance(Utterance line, int seat, int number) {
    String user = templates.get(IdentityPromptTemplates.Part.JUDGE_STANCE).render(variable -> switch (variable) {
      case "side" -> settings.sides().get(seat);
      case "turn" -> Integer.toString(line.turn() + 1);
      case "turns" -> Integer.toString(settings.turns());
      case "text" -> line.text();
      default -> null;
    });
    return prompt(judgeSystem(), user, number);
  }

  /** The judge's question on the sentiment of completion {@code line}, which completes {@code start}. */
  RenderedPrompt judgeSentiment(Utterance line, String start, int number) {
    String user = templates.get(IdentityPromptTemplates.Part.JUDGE_SENTIMENT).render(variable -> switch (variable) {
      case "start" -> start;
      case "text" -> line.text();
      default -> null;
    });
    return prompt(judgeSystem(), user, number);
  }

  private String judgeSystem() {
    return templates.get(IdentityPromptTemplates.Part.JUDGE_SYSTEM).render(variable -> settings.task());
  }

  private RenderedPrompt prompt(String system, String user, int turn) {
    return new RenderedPrompt(system, user, List.of(), turn + 1, 0, templates.sha256());
  }

  /**
   * The debate so far as {@code seat} is shown it, with a blank line after: the history block of the
   * messages that fit, or the opening note when none was said (or none fits).
   */
  private String history(int seat, List<Utterance> said) {
    List<String> lines = new ArrayList<>();
    for (Utterance line : said) {
      if (!DebateTally.DEBATER.equals(line.role())) {
        continue;
      }
      int speaker = line.turn() % settings.seats();
      String text = line.text().isEmpty() ? "(no message)" : line.text().replaceAll("\\s+", " ");
      lines.add(templates.get(IdentityPromptTemplates.Part.LINE).render(variable -> switch (variable) {
        case "speaker" -> speaker == seat ? "You" : "Debater " + (speaker + 1);
        case "text" -> text;
        default -> null;
      }));
    }
    List<String> shown = ContextWindow.keepNewest(lines, contextTokens);
    if (shown.isEmpty()) {
      return templates.get(IdentityPromptTemplates.Part.OPENING).render(variable -> null) + "\n\n";
    }
    return templates.get(IdentityPromptTemplates.Part.HISTORY).render(variable -> String.join("\n", shown))
        + "\n\n";
  }
}
