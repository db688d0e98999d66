package dev.norma.agents.games.ultimatum;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
import dev.norma.agents.llm.ContextWindow;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ultimatum game played through a language model: each encounter is two turns. Turn 0, the
 * proposer ({@code group[0]}) chooses an offer among "0", "10", …, "100" points
 * ({@link UltimatumPrompt#OFFERS}); with reputation on it is first told the responder's record
 * (the lowest offer the responder accepted among the encounters it remembers, or that it
 * remembers accepting none) with probability {@code informedProbability}, drawn from the
 * proposer's own stream when its turn is rendered (no draw when the probability is 1). Turn 1,
 * the responder, shown the offer, chooses "accept" or "reject". Then both remember the encounter
 * and book its payoff, as {@link UltimatumGame#play} settles a rule-based one.
 *
 * <p>A missing choice ({@link Turn#NO_CHOICE}): when the proposer names no offer the encounter is
 * invalid: there is no responder's turn, neither mind changes, and the outcome is
 * {@code [NaN, NaN]} (no offer, no answer), which {@link UltimatumMeasures} counts apart. When the
 * responder names no answer, the offer lapses, which in the ultimatum game is a rejection: both
 * earn 0 and both remember the offer rejected.
 *
 * <p>Under {@code policy.llm.contextOverflow: summarise}, when a participant's remembered
 * encounters no longer fit its prompt ({@link UltimatumPrompt#shown}), its turn is preceded by a
 * {@linkplain Turn#summary summary turn} of the same number and role ({@code proposer-summary},
 * {@code responder-summary}), the game's rules as its system text; once the answer is
 * {@linkplain Exchange#summarised given} the same participant's turn is rendered, showing the summary
 * before the lines that are left. A summary turn draws nothing from the participant's stream.
 */
final class UltimatumConversations implements Conversations<UltimatumMind> {
  /** The outcome of an encounter whose proposer named no offer. */
  static final double[] INVALID = {Double.NaN, Double.NaN};

  private final UltimatumGame game;
  private final UltimatumPrompt prompt;
  private final UltimatumPromptTemplates templates;

  UltimatumConversations(UltimatumGame game, UltimatumPromptTemplates templates, Integer contextTokens) {
    this(game, templates, contextTokens, ContextWindow.Overflow.DROP_OLDEST);
  }

  UltimatumConversations(UltimatumGame game, UltimatumPromptTemplates templates, Integer contextTokens,
                         ContextWindow.Overflow overflow) {
    this.game = game;
    this.templates = templates;
    this.prompt = new UltimatumPrompt(templates, game.parameters().reputation(), contextTokens, overflow);
  }

  UltimatumPrompt prompt() {
    return prompt;
  }

  /** {@code group[0]} proposes to {@code group[1]}. */
  @Override
  public Exchange open(UltimatumMind[] group, long index) {
    return new Encounter(group[0], group[1]);
  }

  @Override
  public String templatesSha256() {
    return templates.sha256();
  }

  @Override
  public Map<String, String> templateHashes() {
    return templates.hashes();
  }

  /** Whether a proposer is told its responder's record: reputation on, and informed this time. */
  private boolean told(UltimatumMind proposer) {
    UltimatumParameters parameters = game.parameters();
    return parameters.reputation() && (parameters.informedProbability() >= 1
        || proposer.nextDouble() < parameters.informedProbability());
  }

  private static int checked(int option, int options) {
    if (option < 0 || option >= options) {
      throw new IllegalArgumentException("expected an option in [0, " + options + ") or Turn.NO_CHOICE, got "
          + option);
    }
    return option;
  }

  /** Where an encounter stands. */
  private enum Stage {
    PROPOSE, PROPOSING, RESPOND, RESPONDING, SETTLED
  }

  /** One encounter under way. */
  private final class Encounter implements Exchange {
    private final UltimatumMind proposer;
    private final UltimatumMind responder;
    private Stage stage = Stage.PROPOSE;
    private int offer;
    private double[] outcome;
    /** What the acting participant's prompt will show once it has summarised; null when no summary is asked. */
    private ContextWindow.Shown summarising;

    Encounter(UltimatumMind proposer, UltimatumMind responder) {
      this.proposer = proposer;
      this.responder = responder;
    }

    @Override
    public Turn next() {
      if (summarising != null) {
        throw new IllegalStateException("the " + turnName() + " summary is not answered");
      }
      return switch (stage) {
        case PROPOSE -> {
          ContextWindow.Shown shown = prompt.shown(proposer);
          if (shown.needsSummary()) {
            yield askSummary(0, "proposer", shown);
          }
          OptionalInt record = responder.lowestAcceptedOffer();
          stage = Stage.PROPOSING;
          yield new Turn(0, 0, "proposer", prompt.proposer(proposer, shown, told(proposer), record),
              UltimatumPrompt.OFFERS);
        }
        case RESPOND -> {
          ContextWindow.Shown shown = prompt.shown(responder);
          if (shown.needsSummary()) {
            yield askSummary(1, "responder", shown);
          }
          stage = Stage.RESPONDING;
          yield new Turn(1, 1, "responder", prompt.responder(responder, shown, offer), UltimatumPrompt.ANSWERS);
        }
        case SETTLED -> null;
        case PROPOSING, RESPONDING -> throw new IllegalStateException("the " + turnName() + " turn is not answered");
      };
    }

    /** The summary turn before turn {@code number}; the stage stays, so the turn itself comes next. */
    private Turn askSummary(int number, String role, ContextWindow.Shown shown) {
      summarising = shown;
      return Turn.summary(number, number, role, prompt.summary(shown));
    }

    @Override
    public void summarised(String answer) {
      if (summarising == null) {
        throw new IllegalStateException("no summary is waiting for an answer");
      }
      prompt.summarised(stage == Stage.PROPOSE ? proposer : responder, summarising, answer);
      summarising = null;
    }

    @Override
    public void choose(int option) {
      if (summarising != null) {
        throw new IllegalStateException("the " + turnName() + " turn asks for a summary, not a choice");
      }
      switch (stage) {
        case PROPOSING -> {
          if (option == Turn.NO_CHOICE) {
            outcome = INVALID;
            stage = Stage.SETTLED;
          } else {
            offer = checked(option, UltimatumPrompt.OFFERS.size()) * UltimatumPrompt.STEP;
            stage = Stage.RESPOND;
          }
        }
        case RESPONDING -> {
          // An offer left unanswered lapses: a rejection.
          boolean accepted = option != Turn.NO_CHOICE
              && checked(option, UltimatumPrompt.ANSWERS.size()) == UltimatumPrompt.ACCEPT;
          responder.remember(Role.RESPONDER, offer, accepted, UltimatumGame.responderPayoff(offer, accepted));
          game.conclude(proposer, offer, accepted);
          outcome = new double[] {offer / (double) UltimatumGame.SUM, accepted ? 1 : 0};
          stage = Stage.SETTLED;
        }
        default -> throw new IllegalStateException("no turn is waiting for a choice");
      }
    }

    @Override
    public double[] outcome() {
      if (stage != Stage.SETTLED) {
        throw new IllegalStateException("the encounter is not over");
      }
      return outcome.clone();
    }

    private String turnName() {
      return stage == Stage.PROPOSING || stage == Stage.PROPOSE ? "proposer's" : "responder's";
    }
  }
}
