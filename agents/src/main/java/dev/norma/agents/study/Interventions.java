package dev.norma.agents.study;

import dev.norma.agents.Commitments;
import dev.norma.agents.Streams;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A spec's {@code interventions}, resolved once from the spec and the run seed: which agents each
 * one changes, and each changed agent's {@link Commitments}. Pure: every node, the plain loop, a
 * resumed run and a replay resolve the same agents, so an agent that plays interaction i asks its
 * commitments at i and needs no message and nothing journaled.
 *
 * <p>Interventions apply in the spec's order (which is their index order); one at the index where
 * the committed minority enters applies after it. {@code commit} draws {@code count} (or
 * {@code fraction} of) the agents not committed at that moment, a seeded draw from the run seed
 * and the intervention's position; {@code uncommit} takes every committed agent (of {@code name},
 * if given) or draws {@code count}/{@code fraction} of them. {@code removeAgents} and
 * {@code rewire} are resolved by {@link NetworkChanges}; agents that left are no longer committed
 * and no later intervention draws them. {@code relabel}, {@code addNames} and {@code payoff}
 * change the game, not particular agents: the game's module applies them ({@link GameChangeRows});
 * here they are only listed. {@code endpoint} draws its agents among all N ({@link EndpointSwitches}).
 */
public final class Interventions {

  /**
   * One intervention as it applies.
   *
   * @param position its place in the spec's list
   * @param index    the interaction index from which it applies
   * @param action   the spec's action
   * @param name     the name committed to (commit), or the name uncommitted (or removed) agents
   *                 were held to when the spec names one, the new network (rewire), for an action
   *                 that changes the game what it changes ({@link GameChangeRows}), else empty
   * @param agents   the agents it changes (removeAgents: those who leave), in increasing id order
   *                 (none for a change of the game)
   */
  public record Applied(int position, long index, String action, String name, int[] agents) {
  }

  private final List<Applied> applied;
  private final Map<Integer, Commitments> changed;
  /** When the number of committed agents changes, and what it is from then on. */
  private final long[] countChangesAt;
  private final int[] countsFrom;
  private final int firstCommitWord;
  private final long firstCommitIndex;

  /**
   * @param minority        the committed minority's agents
   * @param minorityIndex   the index from which they are committed
   * @param minorityWord    their word (-1 without a minority)
   * @param wordOf          a name's word id in the study's game
   */
  Interventions(ExperimentSpec spec, long seed, BitSet minority, long minorityIndex, int minorityWord,
                ToIntFunction<String> wordOf) {
    int n = spec.population().size();
    int[] current = new int[n];
    Arrays.fill(current, Commitments.NONE);
    BitSet left = new BitSet(n);
    Map<Integer, List<long[]>> stretches = new HashMap<>();
    List<Applied> done = new ArrayList<>();
    List<long[]> counts = new ArrayList<>();
    int committedCount = 0;
    boolean minorityIn = minority.isEmpty();
    int firstWord = -1;
    long firstIndex = -1;
    List<InterventionSpec> items = spec.interventions();
    for (int position = 0; position < items.size(); position++) {
      InterventionSpec item = items.get(position);
      long index = item.index(n);
      if (!minorityIn && index >= minorityIndex) {
        committedCount = enter(minority, minorityWord, current, left);
        counts.add(new long[] {minorityIndex, committedCount});
        minorityIn = true;
      }
      if (NetworkChanges.handles(item)) {
        int[] leaving = NetworkChanges.leaving(item, position, seed, current, left, wordOf);
        for (int id : leaving) {
          committedCount -= current[id] == Commitments.NONE ? 0 : 1;
          current[id] = Commitments.NONE;
          left.set(id);
        }
        counts.add(new long[] {index, committedCount});
        done.add(new Applied(position, index, item.action(), NetworkChanges.describe(item), leaving));
        continue;
      }
      if (GameChangeRows.changesTheGame(item)) {
        done.add(GameChangeRows.applied(position, index, item));
        continue;
      }
      if (InterventionSpec.ENDPOINT.equals(item.action())) {
        int[] everyone = java.util.stream.IntStream.range(0, n).toArray();
        done.add(new Applied(position, index, item.action(), EndpointSwitches.describe(item),
            draw(everyone, Math.min(item.resolveCount(n), n), seed, position)));
        continue;
      }
      boolean commit = InterventionSpec.COMMIT.equals(item.action());
      String name = commit ? item.resolvedName(spec) : item.name();
      int word = name == null ? -1 : wordOf.applyAsInt(name);
      int[] candidates = candidates(current, commit, word, left);
      int[] agents = draw(candidates, Math.min(item.resolveCount(candidates.length), candidates.length), seed,
          position);
      for (int id : agents) {
        current[id] = commit ? word : Commitments.NONE;
        stretches.computeIfAbsent(id, k -> new ArrayList<>()).add(new long[] {index, current[id]});
      }
      committedCount += commit ? agents.length : -agents.length;
      counts.add(new long[] {index, committedCount});
      if (commit && firstWord < 0) {
        firstWord = word;
        firstIndex = index;
      }
      done.add(new Applied(position, index, item.action(), name == null ? "" : name, agents));
    }
    if (!minorityIn) {
      counts.add(new long[] {minorityIndex, enter(minority, minorityWord, current, left)});
    }
    this.applied = List.copyOf(done);
    this.changed = new HashMap<>();
    for (Map.Entry<Integer, List<long[]>> entry : stretches.entrySet()) {
      List<long[]> own = entry.getValue();
      if (minority.get(entry.getKey())) {
        // The minority's own stretch comes before the interventions at or after its entry.
        int at = 0;
        while (at < own.size() && own.get(at)[0] < minorityIndex) {
          at++;
        }
        own.add(at, new long[] {minorityIndex, minorityWord});
      }
      long[] from = new long[own.size()];
      int[] words = new int[own.size()];
      for (int i = 0; i < own.size(); i++) {
        from[i] = own.get(i)[0];
        words[i] = (int) own.get(i)[1];
      }
      changed.put(entry.getKey(), new Commitments(from, words));
    }
    this.countChangesAt = counts.stream().mapToLong(c -> c[0]).toArray();
    this.countsFrom = counts.stream().mapToInt(c -> (int) c[1]).toArray();
    this.firstCommitWord = firstWord;
    this.firstCommitIndex = firstIndex;
  }

  /**
   * The minority enters: its agents still present are committed to its word; how many agents are
   * committed now.
   */
  private static int enter(BitSet minority, int minorityWord, int[] current, BitSet left) {
    for (int id = minority.nextSetBit(0); id >= 0; id = minority.nextSetBit(id + 1)) {
      current[id] = left.get(id) ? Commitments.NONE : minorityWord;
    }
    int committed = 0;
    for (int word : current) {
      committed += word == Commitments.NONE ? 0 : 1;
    }
    return committed;
  }

  /** The agents still present an intervention may change, in increasing id order. */
  private static int[] candidates(int[] current, boolean commit, int word, BitSet left) {
    int[] found = new int[current.length];
    int size = 0;
    for (int id = 0; id < current.length; id++) {
      boolean fits = !left.get(id) && (commit ? current[id] == Commitments.NONE
          : current[id] != Commitments.NONE && (word < 0 || current[id] == word));
      if (fits) {
        found[size++] = id;
      }
    }
    return Arrays.copyOf(found, size);
  }

  /** {@code count} of the candidates, a seeded uniform draw (all of them without drawing). */
  public static int[] draw(int[] candidates, int count, long seed, int position) {
    if (count >= candidates.length) {
      return candidates;
    }
    Streams.RandomStream random = new Streams.RandomStream(seed, Streams.interventionStream(position));
    BitSet chosen = new BitSet(candidates.length);
    // Floyd's algorithm, as for the committed minority.
    for (int j = candidates.length - count; j < candidates.length; j++) {
      int t = random.nextInt(j + 1);
      chosen.set(chosen.get(t) ? j : t);
    }
    int[] agents = new int[count];
    int k = 0;
    for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
      agents[k++] = candidates[i];
    }
    return agents;
  }

  /** The names {@code addNames} interventions bring, in the spec's order: word ids after the pool's. */
  static List<String> addedNames(ExperimentSpec spec) {
    return GameChangeRows.addedNames(spec);
  }

  /** The interventions in the order they apply, with the agents each changes. */
  public List<Applied> applied() {
    return applied;
  }

  /** Which agents {@code endpoint} interventions switch, and from when. */
  public EndpointSwitches endpointSwitches() {
    return new EndpointSwitches(applied);
  }

  /** Agent {@code id}'s commitments when an intervention changes them, else null. */
  Commitments of(int id) {
    return changed.get(id);
  }

  /** How many agents are committed when interaction {@code index} is played. */
  public int committedAt(long index) {
    int count = 0;
    for (int i = 0; i < countChangesAt.length && countChangesAt[i] <= index; i++) {
      count = countsFrom[i];
    }
    return count;
  }

  /** The word of the first {@code commit}, or -1. */
  int firstCommitWord() {
    return firstCommitWord;
  }

  /** The index of the first {@code commit}, or -1. */
  long firstCommitIndex() {
    return firstCommitIndex;
  }
}
