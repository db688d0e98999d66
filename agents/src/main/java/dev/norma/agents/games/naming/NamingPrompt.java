package dev.norma.agents.games.naming;

import dev.norma.agents.Streams;
import dev.norma.agents.llm.ChoiceParser;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Renders what an LLM player of the naming game sees, following Ashery, Aiello &amp;
 * Baronchelli (2025): it is Player 1 in a repeated two-player coordination game "for
 * {@code horizon} rounds"; both players choose at the same time; the payoff rule; the options,
 * shuffled anew on every call; its last H interactions renumbered 1..H with its choice, the
 * partner's choice and the payoff; "It is now round H+1"; its score summed over that window only;
 * and a request to reason step by step and end with a final line {@code {'value': 'X'}}.
 * Nothing mentions a population, other agents or the study.
 *
 * <p>With {@code policy.llm.contextTokens} set, the window is cut further to the newest round
 * lines that fit that many estimated tokens ({@link ContextWindow#keepNewest}), the oldest leaving
 * first; the rounds left are renumbered 1..k as before, and the round, score and count of
 * remembered rounds are those of the k rounds shown. A line is measured as the uncut prompt would
 * number it, so renumbering never makes what is shown longer than the budget. Unset, the prompt is
 * the paper's.
 *
 * <p>The shared text (rules, payoff rule, answer format) is the system message and comes first;
 * everything that differs between agents or calls (option order, history, round, score) is in
 * the user message after it, so an inference server with prefix caching computes the rules once.
 *
 * <p>The shuffle draws from a random source passed in (for example the agent's own stream or a
 * {@link Streams.RandomStream}), so the exact text of every prompt replays from the run seed.
 * Instances are immutable and thread-safe.
 */
public final class NamingPrompt {
  /** The horizon Ashery et al. announce to their players. */
  public static final int PAPER_HORIZON = 100;

  private final List<String> names;
  private final int memory;
  private final int successPayoff;
  private final int failurePayoff;
  private final int horizon;
  private final NamingPromptTemplates templates;
  private final Integer contextTokens;
  private final Map<String, String> gameValues;
  private final String templatesSha256;
  /** The word ids offered as options (every name, unless interventions change the pool). */
  private final int[] options;

  /**
   * @param names         the game's name pool (word ids are indices into it)
   * @param memory        H, the size of an agent's context window
   * @param successPayoff payoff to both players when their choices match
   * @param failurePayoff payoff to both players otherwise
   * @param horizon       the number of rounds the game is announced to last
   */
  public NamingPrompt(List<String> names, int memory, int successPayoff, int failurePayoff, int horizon,
                      NamingPromptTemplates templates) {
    this(names, memory, successPayoff, failurePayoff, horizon, templates, null);
  }

  /**
   * @param names         the game's name pool (word ids are indices into it)
   * @param memory        H, the size of an agent's context window
   * @param successPayoff payoff to both players when their choices match
   * @param failurePayoff payoff to both players otherwise
   * @param horizon       the number of rounds the game is announced to last
   * @param contextTokens the most estimated tokens of round lines a prompt shows; null: all H
   */
  public NamingPrompt(List<String> names, int memory, int successPayoff, int failurePayoff, int horizon,
                      NamingPromptTemplates templates, Integer contextTokens) {
    this(names, memory, successPayoff, failurePayoff, horizon, templates, contextTokens, null);
  }

  private NamingPrompt(List<String> names, int memory, int successPayoff, int failurePayoff, int horizon,
                       NamingPromptTemplates templates, Integer contextTokens, int[] options) {
    this.options = options == null ? java.util.stream.IntStream.range(0, names.size()).toArray() : options.clone();
    if (this.options.length < 2) {
      throw new IllegalArgumentException("a naming-game prompt needs at least 2 names, got " + this.options.length);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be positive: " + horizon);
    }
    if (contextTokens != null && contextTokens < 0) {
      throw new IllegalArgumentException("contextTokens must not be negative: " + contextTokens);
    }
    this.names = List.copyOf(names);
    this.memory = memory;
    this.successPayoff = successPayoff;
    this.failurePayoff = failurePayoff;
    this.horizon = horizon;
    this.templates = templates;
    this.contextTokens = contextTokens;
    this.gameValues = Map.of(
        "horizon", Integer.toString(horizon),
        "success", Integer.toString(successPayoff),
        "failure", Integer.toString(failurePayoff),
        "option_count", Integer.toString(this.options.length),
        "memory", Integer.toString(memory));
    this.templatesSha256 = templates.sha256();
  }

  /** The prompt for a game as the game is configured (names, H, payoffs). */
  public NamingPrompt(NamingGame game, int horizon, NamingPromptTemplates templates) {
    this(game, horizon, templates, null);
  }

  /**
   * The prompt for a game as the game is configured at its start (names offered, H, payoffs), its
   * history cut to {@code contextTokens}.
   */
  public NamingPrompt(NamingGame game, int horizon, NamingPromptTemplates templates, Integer contextTokens) {
    this(game.names(), game.memory(), game.payoff(true), game.payoff(false), horizon, templates, contextTokens,
        game.phases().phases().get(0).options());
  }

  /** The same prompt for a phase of the game: its names offered and its payoffs. */
  public NamingPrompt forPhase(NamingPhases.Phase phase) {
    return new NamingPrompt(names, memory, phase.success(), phase.failure(), horizon, templates, contextTokens,
        phase.options());
  }

  /** The paper's prompt for a game: horizon 100 and the default templates. */
  public static NamingPrompt forGame(NamingGame game) {
    return new NamingPrompt(game, PAPER_HORIZON, NamingPromptTemplates.defaults());
  }

  /** One remembered interaction, as word ids. */
  public record Interaction(int own, int partner) {
    public boolean succeeded() {
      return own == partner;
    }
  }

  /** A mind's context window, oldest first. */
  public static List<Interaction> windowOf(NamingMind mind) {
    List<Interaction> window = new ArrayList<>(mind.remembered());
    for (int i = 0; i < mind.remembered(); i++) {
      window.add(new Interaction(mind.ownChoice(i), mind.partnerChoice(i)));
    }
    return window;
  }

  /** Renders the prompt for a mind, shuffling the options with the given stream. */
  public RenderedPrompt render(NamingMind mind, Streams.RandomStream shuffle) {
    return render(windowOf(mind), shuffle::nextInt);
  }

  /**
   * Renders the prompt for a mind.
   *
   * @param uniform draws a uniform int in {@code [0, bound)} for the given bound; the shuffle
   *                takes exactly W - 1 draws
   */
  public RenderedPrompt render(NamingMind mind, IntUnaryOperator uniform) {
    return render(windowOf(mind), uniform);
  }

  /**
   * Renders the prompt for a context window, oldest interaction first. A window longer than H is
   * cut to its last H interactions, as the agent would remember them, then to the newest that fit
   * {@code contextTokens}.
   */
  public RenderedPrompt render(List<Interaction> window, IntUnaryOperator uniform) {
    List<Interaction> shown = shown(window);
    int[] order = shuffledOrder(uniform);
    StringBuilder options = new StringBuilder();
    List<Integer> optionOrder = new ArrayList<>(order.length);
    for (int word : order) {
      if (options.length() > 0) {
        options.append(", ");
      }
      options.append(names.get(word));
      optionOrder.add(word);
    }

    int score = 0;
    StringBuilder rounds = new StringBuilder();
    for (int i = 0; i < shown.size(); i++) {
      Interaction interaction = shown.get(i);
      score += payoff(interaction);
      if (i > 0) {
        rounds.append('\n');
      }
      rounds.append(roundLine(i + 1, interaction));
    }

    Map<String, String> callValues = new HashMap<>(gameValues);
    int currentRound = shown.size() + 1;
    callValues.put("options", options.toString());
    callValues.put("current_round", Integer.toString(currentRound));
    callValues.put("score", Integer.toString(score));
    callValues.put("remembered", Integer.toString(shown.size()));
    String history = "";
    if (!shown.isEmpty()) {
      Map<String, String> historyValues = new HashMap<>(callValues);
      historyValues.put("rounds", rounds.toString());
      history = templates.history().render(historyValues::get) + "\n";
    }
    callValues.put("history", history);

    String system = templates.system().render(callValues::get);
    String user = templates.user().render(callValues::get);
    return new RenderedPrompt(system, user, optionOrder, currentRound, score, templatesSha256);
  }

  /** The last H of {@code window}, then the newest of those whose round lines fit {@code contextTokens}. */
  private List<Interaction> shown(List<Interaction> window) {
    List<Interaction> remembered =
        window.size() > memory ? window.subList(window.size() - memory, window.size()) : window;
    if (contextTokens == null) {
      return remembered;
    }
    List<String> lines = new ArrayList<>(remembered.size());
    for (int i = 0; i < remembered.size(); i++) {
      lines.add(roundLine(i + 1, remembered.get(i)));
    }
    int kept = ContextWindow.keepNewest(lines, contextTokens).size();
    return remembered.subList(remembered.size() - kept, remembered.size());
  }

  private int payoff(Interaction interaction) {
    return interaction.succeeded() ? successPayoff : failurePayoff;
  }

  private String roundLine(int round, Interaction interaction) {
    Map<String, String> roundValues = Map.of(
        "round", Integer.toString(round),
        "own", nameOf(interaction.own()),
        "partner", nameOf(interaction.partner()),
        "payoff", Integer.toString(payoff(interaction)));
    return templates.round().render(variable -> lookup(roundValues, variable));
  }

  private String lookup(Map<String, String> roundValues, String variable) {
    String value = roundValues.get(variable);
    return value != null ? value : gameValues.get(variable);
  }

  /** Fisher–Yates over the word ids offered, from the last position down. */
  private int[] shuffledOrder(IntUnaryOperator uniform) {
    int[] order = options.clone();
    for (int i = order.length - 1; i > 0; i--) {
      int j = uniform.applyAsInt(i + 1);
      if (j < 0 || j > i) {
        throw new IllegalArgumentException("random source returned " + j + " for bound " + (i + 1));
      }
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private String nameOf(int word) {
    if (word < 0 || word >= names.size()) {
      throw new IllegalArgumentException("word " + word + " is not in the pool of " + names.size() + " names");
    }
    return names.get(word);
  }

  public List<String> names() {
    return names;
  }

  public int memory() {
    return memory;
  }

  public int horizon() {
    return horizon;
  }

  public NamingPromptTemplates templates() {
    return templates;
  }

  /** The most estimated tokens of round lines a prompt shows, or null for all H. */
  public Integer contextTokens() {
    return contextTokens;
  }

  /** A parser for answers to this prompt, with word ids as option indices. */
  public ChoiceParser parser() {
    if (options.length == names.size()) {
      return new ChoiceParser(names);
    }
    List<String> offered = new ArrayList<>(options.length);
    for (int word : options) {
      offered.add(names.get(word));
    }
    return new ChoiceParser(offered, options);
  }

  /** The word ids offered as options. */
  public int[] options() {
    return options.clone();
  }
}
