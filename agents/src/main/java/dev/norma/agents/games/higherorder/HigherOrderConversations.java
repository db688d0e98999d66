package dev.norma.agents.games.higherorder;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.RenderedPrompt;
import java.util.List;
import java.util.Map;

/**
 * The higher-order naming game played through language models ({@code policy.kind: llm}): an
 * encounter of a speaker and g − 1 hearers is a conversation of up to g turns, whose prompts
 * {@link HigherOrderPrompts} renders. Only the choices are the model's (what the speaker says,
 * whether a hearer goes along); how the inventories change is the paper's rule, as in
 * {@link HigherOrderNamingGame}.
 *
 * <ol>
 *   <li>Turn 0, the speaker (role {@code speaker}): it chooses which of the two names to say, the
 *       options shown in an order drawn from its own stream when the turn is rendered. A
 *       committed speaker takes no turn and says A.</li>
 *   <li>Turns 1..g − 1, the hearers in group order (role {@code hearer}): each is shown the name
 *       said and the replies of the hearers before it, and chooses {@code accept} or
 *       {@code refuse}. A committed hearer takes no turn: it accepts A and refuses B, and later
 *       hearers see its reply like any other.</li>
 *   <li>Settling. If every hearer accepted, the group agrees with probability β, drawn from the
 *       speaker's stream as the rule draws it; then every uncommitted member keeps only the name
 *       said. Otherwise (a refusal, or the 1 − β draw after unanimity) the group does not agree;
 *       after a refusal every uncommitted hearer that did not know the name learns it, as after
 *       the rule game's failure, and so does an uncommitted speaker that said a name it did not
 *       know (a name one has said is one of one's names; under the rule a speaker only says what
 *       it knows, so this never arises there).</li>
 *   <li>Every uncommitted participant remembers the encounter: its part, the name said, whether
 *       the group agreed ({@link EncounterMemory}). Committed agents are never asked, and
 *       remember nothing.</li>
 * </ol>
 * A turn's number is the acting participant's position in the group, so that a decision is
 * identified the same way whichever members are committed.
 *
 * <p>A missing choice ({@link Turn#NO_CHOICE}): a speaker's makes the encounter invalid, nothing
 * changes and nobody remembers it, and its outcome is {@code agreed} 0 with {@code uttered}
 * {@link #INVALID} (-1); a hearer's counts as a refusal.
 *
 * <p>Under {@code policy.llm.contextOverflow: summarise}, when an uncommitted participant's
 * remembered encounters no longer fit its prompt ({@link HigherOrderPrompts#shown}), its turn is
 * preceded by a {@linkplain Turn#summary summary turn} of the same number and role
 * ({@code speaker-summary}, {@code hearer-summary}), the game's rules as its system text; once the
 * answer is {@linkplain Exchange#summarised given}, the same participant's turn is rendered,
 * showing the summary before the meetings left. A summary turn draws nothing from the
 * participant's stream. Committed agents take no turns and so never summarise.
 *
 * <p>Immutable and thread-safe; each exchange is played by one thread.
 */
public final class HigherOrderConversations implements Conversations<ConventionMind> {
  public static final String SPEAKER = "speaker";
  public static final String HEARER = "hearer";
  /** {@code uttered} in the outcome of an invalid encounter, whose speaker named no option. */
  public static final int INVALID = -1;

  private final HigherOrderNamingGame rules;
  private final HigherOrderPrompts prompts;

  public HigherOrderConversations(HigherOrderNamingGame rules, HigherOrderPrompts prompts) {
    this.rules = rules;
    this.prompts = prompts;
  }

  public HigherOrderPrompts prompts() {
    return prompts;
  }

  @Override
  public Exchange open(ConventionMind[] group, long index) {
    if (group.length != rules.groupSize()) {
      throw new IllegalArgumentException("groups of " + rules.groupSize() + ", got " + group.length);
    }
    return new Encounter(group, index);
  }

  @Override
  public String templatesSha256() {
    return prompts.templatesSha256();
  }

  @Override
  public Map<String, String> templateHashes() {
    return prompts.templateHashes();
  }

  /** One encounter under way: who has acted, what was said and replied. */
  private final class Encounter implements Exchange {
    private static final int UNDECIDED = -2;

    private final ConventionMind[] group;
    private final long index;
    /** The convention the speaker said; {@link #UNDECIDED} before, {@link #INVALID} without a choice. */
    private int said = UNDECIDED;
    /** The hearers' replies in group order ({@link HigherOrderPrompts#ACCEPT} or {@code REFUSE}). */
    private final int[] replies;
    private int nextHearer = 1;
    private Turn pending;
    /** What the pending summary turn's participant will show once it has summarised. */
    private ContextWindow.Shown summarising;
    private double[] outcome;

    Encounter(ConventionMind[] group, long index) {
      this.group = group.clone();
      this.index = index;
      this.replies = new int[group.length - 1];
    }

    @Override
    public Turn next() {
      if (pending != null) {
        throw new IllegalStateException("turn " + pending.number() + " has not been answered");
      }
      if (outcome != null) {
        return null;
      }
      ConventionMind speaker = group[0];
      if (said == UNDECIDED) {
        if (speaker.committedAt(index)) {
          said = HigherOrderNamingGame.utter(speaker, index);
        } else {
          ContextWindow.Shown shown = prompts.shown(speaker);
          if (shown.needsSummary()) {
            return askSummary(0, SPEAKER, shown);
          }
          List<Integer> order = speaker.nextInt(2) == 0 ? List.of(ConventionMind.A, ConventionMind.B)
              : List.of(ConventionMind.B, ConventionMind.A);
          RenderedPrompt prompt = prompts.speaker(shown, order);
          pending = new Turn(0, 0, SPEAKER, prompt, List.of(prompts.name(order.get(0)), prompts.name(order.get(1))));
          return pending;
        }
      }
      while (nextHearer < group.length) {
        ConventionMind hearer = group[nextHearer];
        if (!hearer.committedAt(index)) {
          ContextWindow.Shown shown = prompts.shown(hearer);
          if (shown.needsSummary()) {
            return askSummary(nextHearer, HEARER, shown);
          }
          RenderedPrompt prompt = prompts.hearer(shown, said, replies, nextHearer - 1);
          pending = new Turn(nextHearer, nextHearer, HEARER, prompt, HigherOrderPrompts.REPLIES);
          return pending;
        }
        // A committed hearer holds A only: it goes along with A and with nothing else.
        replies[nextHearer - 1] = said == ConventionMind.A ? HigherOrderPrompts.ACCEPT : HigherOrderPrompts.REFUSE;
        nextHearer++;
      }
      settle();
      return null;
    }

    /** The summary turn before the turn of participant {@code position}, which comes next once it is answered. */
    private Turn askSummary(int position, String role, ContextWindow.Shown shown) {
      summarising = shown;
      pending = Turn.summary(position, position, role, prompts.summary(shown));
      return pending;
    }

    @Override
    public void summarised(String answer) {
      if (pending == null || !pending.summary()) {
        throw new IllegalStateException("no summary is waiting for an answer");
      }
      prompts.summarised(group[pending.participant()], summarising, answer);
      pending = null;
      summarising = null;
    }

    @Override
    public void choose(int option) {
      if (pending == null || pending.summary()) {
        throw new IllegalStateException("no turn is waiting for a choice");
      }
      if (option != Turn.NO_CHOICE && (option < 0 || option >= pending.options().size())) {
        throw new IllegalArgumentException("turn " + pending.number() + " has " + pending.options().size()
            + " options, not " + option);
      }
      Turn answered = pending;
      pending = null;
      if (answered.participant() == 0) {
        if (option == Turn.NO_CHOICE) {
          said = INVALID;
          outcome = outcome(false, INVALID);
        } else {
          said = answered.prompt().optionOrder().get(option);
        }
        return;
      }
      replies[nextHearer - 1] = option == HigherOrderPrompts.ACCEPT ? HigherOrderPrompts.ACCEPT
          : HigherOrderPrompts.REFUSE;
      nextHearer++;
    }

    private void settle() {
      boolean unanimous = true;
      for (int reply : replies) {
        unanimous &= reply == HigherOrderPrompts.ACCEPT;
      }
      boolean agreed = false;
      int size = group.length;
      if (unanimous) {
        agreed = rules.agrees(group[0]);
        if (agreed) {
          HigherOrderNamingGame.collapse(group, size, said, index);
        }
      } else {
        HigherOrderNamingGame.learn(group, size, said, index);
        if (!group[0].committedAt(index)) {
          group[0].learn(said);
        }
      }
      for (int i = 0; i < size; i++) {
        if (!group[i].committedAt(index)) {
          group[i].remember(i == 0, said, agreed);
        }
      }
      outcome = outcome(agreed, said);
    }

    @Override
    public double[] outcome() {
      if (outcome == null || pending != null) {
        throw new IllegalStateException("the encounter is not over");
      }
      return outcome.clone();
    }

    private double[] outcome(boolean agreed, int uttered) {
      double[] numbers = new double[HigherOrderEncounters.OUTCOME_COLUMNS.size()];
      numbers[HigherOrderEncounters.AGREED] = agreed ? 1 : 0;
      numbers[HigherOrderEncounters.UTTERED] = uttered;
      return numbers;
    }
  }
}
