package dev.norma.agents.games.ultimatum;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.games.ultimatum.UltimatumMind.Role;
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
 */
final class UltimatumConversations implements Conversations<UltimatumMind> {
  /** The outcome of an encounter whose proposer named no offer. */
  static final double[] INVALID = {Double.NaN, Double.NaN};

  private final UltimatumGame game;
  private final UltimatumPrompt prompt;
  private final UltimatumPromptTemplates templates;

  UltimatumConversations(UltimatumGame game, UltimatumPromptTemplates templates, Integer contextTokens) {
    this.game = game;
    this.templates = templates;
    this.prompt = new UltimatumPrompt(templates, game.parameters().reputation(), contextTokens);
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

    Encounter(UltimatumMind proposer, UltimatumMind responder) {
      this.proposer = proposer;
      this.responder = responder;
    }

    @Override
    public Turn next() {
      return switch (stage) {
        case PROPOSE -> {
          OptionalInt record = responder.lowestAcceptedOffer();
          stage = Stage.PROPOSING;
          yield new Turn(0, 0, "proposer", prompt.proposer(proposer, told(proposer), record),
              UltimatumPrompt.OFFERS);
        }
        case RESPOND -> {
          stage = Stage.RESPONDING;
          yield new Turn(1, 1, "responder", prompt.responder(responder, offer), UltimatumPrompt.ANSWERS);
        }
        case SETTLED -> null;
        case PROPOSING, RESPONDING -> throw new IllegalStateException("the " + turnName() + " turn is not answered");
      };
    }

    @Override
    public void choose(int option) {
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
      return stage == Stage.PROPOSING ? "proposer's" : "responder's";
    }
  }
}
