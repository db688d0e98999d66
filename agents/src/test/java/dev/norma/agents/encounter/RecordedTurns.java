package dev.norma.agents.encounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Mind;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.Recollection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/**
 * A model for {@link EncounterLoop#run(long, EncounterLoop.Listener, EncounterLoop.Model)} that
 * answers as another does and keeps every turn it is asked, in order, with each summary's answer:
 * for tests of what an encounter game's turns show ({@code policy.llm.contextOverflow:
 * summarise}).
 */
public final class RecordedTurns implements EncounterLoop.Model {
  /**
   * One turn asked.
   *
   * @param answer  the summary given, for a summary turn; null for a choice
   * @param covered how many encounters the agent's summary covered when the turn was asked
   */
  public record Asked(int agent, long index, Turn turn, String answer, long covered) {
  }

  /** A summary turn and the turn asked right after it. */
  public record Summarised(Asked summary, Asked then) {
  }

  /** What a study played: every encounter's outcome, and the turns asked. */
  public record Played(List<double[]> outcomes, RecordedTurns turns) {
    /** Checks that {@code other} asked the same prompts and came to the same outcomes. */
    public void assertSameAs(Played other) {
      assertThat(turns.prompts()).isEqualTo(other.turns().prompts());
      assertThat(outcomes).containsExactlyElementsOf(other.outcomes());
    }
  }

  /**
   * Plays {@code rounds} population rounds of {@code game} among {@code size} agents, {@code model}
   * answering.
   *
   * @param recollection an agent's mind's summary, read from the loop's mind at every turn (which,
   *                     when {@code game} lends minds, is the mind as it was lent)
   */
  public static <M extends Mind> Played play(EncounterGame<M> game, int size, long rounds, EncounterLoop.Model model,
                                             Function<M, Recollection> recollection) {
    List<EncounterLoop<M>> loop = new ArrayList<>(1);
    RecordedTurns turns = new RecordedTurns(model, agent -> recollection.apply(loop.get(0).mind(agent)).covered());
    loop.add(new EncounterLoop<>(game, size));
    List<double[]> outcomes = new ArrayList<>();
    loop.get(0).run(rounds, new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
        outcomes.add(outcome);
      }

      @Override
      public void round(long round, double[] row) {
      }
    }, turns);
    return new Played(outcomes, turns);
  }

  private final EncounterLoop.Model model;
  private final IntToLongFunction covered;
  private final List<Asked> asked = new ArrayList<>();

  /**
   * @param model   answers the turns (its summaries too)
   * @param covered how many encounters an agent's summary covers, by agent id (0 where not known)
   */
  public RecordedTurns(EncounterLoop.Model model, IntToLongFunction covered) {
    this.model = model;
    this.covered = covered;
  }

  @Override
  public int choose(int agent, long index, Turn turn) {
    asked.add(new Asked(agent, index, turn, null, covered.applyAsLong(agent)));
    return model.choose(agent, index, turn);
  }

  @Override
  public String summarise(int agent, long index, Turn turn) {
    long before = covered.applyAsLong(agent);
    String answer = model.summarise(agent, index, turn);
    asked.add(new Asked(agent, index, turn, answer, before));
    return answer;
  }

  public List<Asked> asked() {
    return asked;
  }

  /** Every summary turn with the turn asked after it. */
  public List<Summarised> summarised() {
    List<Summarised> pairs = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (asked.get(i).turn().summary()) {
        pairs.add(new Summarised(asked.get(i), i + 1 < asked.size() ? asked.get(i + 1) : null));
      }
    }
    return pairs;
  }

  /**
   * Every summary turn with the turn after it, checked: asked of the agent and at the turn (number,
   * participant, role with {@code -summary}) of the turn it precedes, which comes next; with the
   * game's {@code system} text; the turn after shows {@code recall} and the summary (as
   * {@link ContextWindow#clipSummary} keeps it) first; and the summary then covers more encounters
   * than before.
   */
  public List<Summarised> checkedSummaries(String system, String recall, int tokens) {
    List<Summarised> pairs = summarised();
    for (Summarised pair : pairs) {
      Turn summary = pair.summary().turn();
      assertThat(pair.then()).as("a turn follows the summary").isNotNull();
      Turn then = pair.then().turn();
      assertThat(summary.prompt().system()).isEqualTo(system);
      assertThat(then.summary()).as("the summarising participant's own turn comes next").isFalse();
      assertThat(pair.then().agent()).isEqualTo(pair.summary().agent());
      assertThat(pair.then().index()).isEqualTo(pair.summary().index());
      assertThat(summary.role()).isEqualTo(then.role() + "-summary");
      assertThat(then.number()).isEqualTo(summary.number());
      assertThat(then.participant()).isEqualTo(summary.participant());
      assertThat(then.prompt().user()).startsWith(recall + ContextWindow.clipSummary(pair.summary().answer(), tokens)
          + "\n");
      assertThat(pair.then().covered()).as("the summary covers more encounters").isGreaterThan(pair.summary().covered());
    }
    return pairs;
  }

  /** The first summary turn that folds a summary so far, with the turn after it; null for none. */
  public Summarised secondSummary() {
    return summarised().stream().filter(pair -> pair.summary().turn().prompt().user().contains("Your summary so far: "))
        .findFirst().orElse(null);
  }

  /** Every prompt asked, as one text each, in order. */
  public List<String> prompts() {
    return asked.stream().map(turn -> turn.turn().prompt().text()).toList();
  }
}
