package dev.norma.agents.games.crsec;

import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.agents.games.crsec.NormRecord.Status;
import dev.norma.agents.llm.ContextFolding;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders what a language-model customer of the CRSEC study sees, from {@link CrsecTemplate}.
 * The system message is the café's rules and what a norm is, the same for every agent and call. The
 * user message is the agent's persona — its name ({@link NormCatalogue#personalName}), whether it is
 * a norm advocate, how it feels about each behaviour (its stance: a habit of the improper action,
 * or the proper one while minding, or not minding, when others do otherwise), how readily it speaks
 * up, and the active norms it holds with their utilities — then a blank line and the request.
 *
 * <p>The norms shown are bounded by {@code policy.llm.contextTokens} ({@link ContextFolding}, the
 * oldest lines dropped): they are listed by utility, lowest first, so the most useful that fit are
 * kept; they are the only part of a prompt that grows. Options are shown in their own order, so a
 * prompt draws nothing. Immutable and thread-safe.
 */
final class CrsecPrompt {
  /** The options of a compliance turn: do the behaviour, or not. */
  static final List<String> ACTIONS = List.of("do", "avoid");
  static final int DO = 0;
  /** The options of a speak-up turn. */
  static final List<String> SPEAK_UP = List.of("yes", "no");
  static final int YES = 0;

  private final PromptTemplateSet<CrsecTemplate> templates;
  private final NormCatalogue catalogue;
  private final String system;
  private final ContextFolding folding;

  /** @param contextTokens the most estimated tokens of norm lines a prompt shows; null: all */
  CrsecPrompt(PromptTemplateSet<CrsecTemplate> templates, CrsecParameters parameters, NormCatalogue catalogue,
              Integer contextTokens) {
    this.templates = templates;
    this.catalogue = catalogue;
    List<String> behaviours = new ArrayList<>();
    for (Theme theme : parameters.themes()) {
      behaviours.add("- " + theme.clause(true));
    }
    Map<String, String> values = Map.of("room_size", Integer.toString(parameters.roomSize()),
        "behaviours", String.join("\n", behaviours));
    this.system = templates.get(CrsecTemplate.SYSTEM).render(values::get);
    this.folding = new ContextFolding(contextTokens, ContextWindow.Overflow.DROP_OLDEST, system);
  }

  String system() {
    return system;
  }

  /** An advocate's request to write its personal norms. */
  RenderedPrompt create(CrsecMind mind, long period) {
    return text(mind, period, templates.get(CrsecTemplate.CREATE).render(variable -> null));
  }

  /** Whether {@code mind} does theme t's behaviour this period, its norm {@code norm} against its habit. */
  RenderedPrompt comply(CrsecMind mind, long period, int theme, int norm) {
    Theme behaviour = catalogue.themes().get(theme);
    boolean habitDoes = (mind.stance(theme) != CrsecMind.HABIT) == behaviour.properIsDoing();
    String habit = habitDoes ? behaviour.clause(true) : "do " + behaviour.clause(false);
    Map<String, String> values = Map.of("behaviour", behaviour.clause(true), "habit", habit,
        "norm", catalogue.content(norm, NormCatalogue.CUSTOMERS));
    return choice(mind, period, templates.get(CrsecTemplate.COMPLY).render(values::get), ACTIONS.size());
  }

  /** Whether {@code mind} speaks up to agent {@code other}, seen doing (or not) theme t's behaviour against {@code norm}. */
  RenderedPrompt speakUp(CrsecMind mind, long period, int other, int theme, boolean doing, int norm) {
    return choice(mind, period, templates.get(CrsecTemplate.SPEAK_UP).render(conflict(other, theme, doing, norm)::get),
        SPEAK_UP.size());
  }

  /** What {@code mind} says to agent {@code other} when it speaks up. */
  RenderedPrompt speak(CrsecMind mind, long period, int other, int theme, boolean doing, int norm) {
    return text(mind, period, templates.get(CrsecTemplate.SPEAK).render(conflict(other, theme, doing, norm)::get));
  }

  private Map<String, String> conflict(int other, int theme, boolean doing, int norm) {
    return Map.of("other", NormCatalogue.personalName(other),
        "action", catalogue.themes().get(theme).clause(doing),
        "norm", catalogue.content(norm, NormCatalogue.CUSTOMERS));
  }

  /** The listener's request to identify the norm agent {@code speaker} stated in {@code said}. */
  RenderedPrompt identify(CrsecMind listener, long period, int speaker, String said) {
    Map<String, String> values = Map.of("speaker", NormCatalogue.personalName(speaker),
        "said", said.replaceAll("\\s+", " "));
    return text(listener, period, templates.get(CrsecTemplate.IDENTIFY).render(values::get));
  }

  /**
   * The request to score a candidate norm, with the subject it was identified with, heard from
   * agent {@code speaker}, {@code heardBefore} times before.
   */
  RenderedPrompt evaluate(CrsecMind mind, long period, int norm, String subject, int speaker, int heardBefore) {
    return evaluate(mind, period, norm, subject, toldBy(speaker), heardBefore);
  }

  /** Where a norm heard in a conversation came from, as the evaluation request says it. */
  static String toldBy(int speaker) {
    return "from what " + NormCatalogue.personalName(speaker) + " told you";
  }

  /** Where a descriptive norm came from, as the evaluation request says it. */
  static final String SEEN = "from what you saw the others here do";
  /** Where an abstract norm came from, as the evaluation request says it. */
  static final String MERGED = "by summing up related norms you hold";

  /** The request to score a candidate norm that came {@code source} ("from what you saw the others here do"). */
  RenderedPrompt evaluate(CrsecMind mind, long period, int norm, String subject, String source, int heardBefore) {
    Map<String, String> values = Map.of("norm", catalogue.content(norm, subject), "source", source,
        "heard", times(heardBefore));
    return text(mind, period, templates.get(CrsecTemplate.EVALUATE).render(values::get));
  }

  /**
   * The request to name the descriptive norms {@code mind} sees in what the others did, from what
   * it noticed: a line per theme, "- smoke indoors: 9 of the 9 others did not".
   */
  RenderedPrompt describe(CrsecMind mind, long period, List<CrsecRules.Noticed> noticed) {
    List<String> seen = new ArrayList<>();
    for (CrsecRules.Noticed one : noticed) {
      Theme theme = catalogue.themes().get(catalogue.theme(one.norm()));
      boolean doing = catalogue.proper(one.norm()) == theme.properIsDoing();
      seen.add("- " + theme.clause(true) + ": " + one.alike() + " of the " + one.others() + " others "
          + (doing ? "did" : "did not"));
    }
    Map<String, String> values = Map.of("seen", String.join("\n", seen));
    return text(mind, period, templates.get(CrsecTemplate.DESCRIBE).render(values::get));
  }

  /**
   * The request to sum up related norms {@code mind} holds ({@code merge}'s) in a general norm: they
   * are shown as persona lines are, and every abstract norm of the study with the behaviours it
   * covers, "- Customers should show consideration for others. (smoke indoors, talk loudly)".
   */
  RenderedPrompt synthesise(CrsecMind mind, long period, CrsecRules.Merge merge) {
    List<String> related = new ArrayList<>();
    for (int norm : merge.norms()) {
      related.add(normLine(catalogue.content(norm, NormCatalogue.CUSTOMERS), mind.utility(norm)));
    }
    List<String> general = new ArrayList<>();
    for (int norm = 4 * catalogue.themes().size(); norm < catalogue.size(); norm++) {
      List<String> behaviours = new ArrayList<>();
      for (int t : catalogue.themesOf(norm)) {
        behaviours.add(catalogue.themes().get(t).clause(true));
      }
      general.add("- " + catalogue.content(norm, NormCatalogue.CUSTOMERS) + " (" + String.join(", ", behaviours) + ")");
    }
    Map<String, String> values = Map.of("norms", String.join("\n", related), "general", String.join("\n", general));
    return text(mind, period, templates.get(CrsecTemplate.SYNTHESISE).render(values::get));
  }

  private String normLine(String content, int utility) {
    return templates.get(CrsecTemplate.NORM).render(variable -> switch (variable) {
      case "content" -> content;
      case "utility" -> Integer.toString(utility);
      default -> null;
    });
  }

  static String times(int count) {
    return switch (count) {
      case 0 -> "never";
      case 1 -> "once";
      case 2 -> "twice";
      default -> count + " times";
    };
  }

  /** The persona block of {@code mind}, with the norm lines that fit the budget. */
  String persona(CrsecMind mind) {
    List<String> stances = new ArrayList<>();
    for (int t = 0; t < catalogue.themes().size(); t++) {
      stances.add(stance(catalogue.themes().get(t), mind.stance(t)));
    }
    List<NormRecord> active = new ArrayList<>(mind.norms(catalogue).stream()
        .filter(record -> record.status() == Status.ACTIVE).toList());
    active.sort(Comparator.comparingInt(NormRecord::utility).thenComparingInt(NormRecord::norm));
    List<String> lines = new ArrayList<>();
    for (NormRecord record : active) {
      lines.add(normLine(record.content(), record.utility()));
    }
    List<String> shown = folding.show(lines, null).lines();
    Map<String, String> values = Map.of(
        "name", NormCatalogue.personalName(mind.id()),
        "role", mind.advocate() ? "a norm advocate: you care that this café has good manners, and you say so"
            : "an ordinary customer",
        "stances", String.join("\n", stances),
        "speaking", speaking(mind),
        "norms", shown.isEmpty() ? "none yet." : "\n" + String.join("\n", shown));
    return templates.get(CrsecTemplate.PERSONA).render(values::get);
  }

  /** A stance as a line: "- smoke indoors: you never do, and it bothers you when others do". */
  static String stance(Theme theme, int stance) {
    String phrase = "- " + theme.clause(true) + ": ";
    boolean doing = theme.properIsDoing();
    if (stance == CrsecMind.HABIT) {
      return phrase + (doing ? "you usually do not" : "you usually do");
    }
    return phrase + (doing ? "you always do" : "you never do") + ", and "
        + (stance == CrsecMind.MINDS ? "it bothers you" : "you do not mind") + " when others "
        + (doing ? "do not" : "do");
  }

  /** How readily it speaks up, from its assertiveness (advocates always do). */
  static String speaking(CrsecMind mind) {
    if (mind.advocate()) {
      return "You always speak up when someone breaks a norm you hold.";
    }
    int assertiveness = mind.assertiveness();
    return assertiveness >= 500 ? "You speak up readily when someone breaks a norm you hold."
        : assertiveness >= 200 ? "You sometimes speak up when someone breaks a norm you hold."
        : "You rarely speak up when someone breaks a norm you hold.";
  }

  private RenderedPrompt choice(CrsecMind mind, long period, String request, int options) {
    List<Integer> order = new ArrayList<>(options);
    for (int option = 0; option < options; option++) {
      order.add(option);
    }
    return new RenderedPrompt(system, persona(mind) + "\n\n" + request, order, (int) period + 1, 0,
        templates.sha256());
  }

  private RenderedPrompt text(CrsecMind mind, long period, String request) {
    return new RenderedPrompt(system, persona(mind) + "\n\n" + request, List.of(), (int) period + 1, 0,
        templates.sha256());
  }
}
