package dev.norma.agents.games.naming;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.InterventionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The naming game's pool and payoff over a run, as the spec's {@code relabel}, {@code addNames}
 * and {@code payoff} interventions change them: a list of phases, each in force from an
 * interaction index until the next. Pure, made from the spec alone, so every node, the plain loop,
 * a resumed run and a replay hold the same phases and an agent asks them when it plays
 * interaction i.
 *
 * <p>Word ids never change: every name the run will ever offer has one from the start (the pool's
 * names, then the added ones in the spec's order). A phase offers some of them. A relabel maps word
 * {@code from} onto word {@code to}; the maps compose, so a phase's map sends every word relabelled
 * so far to the word it is now called, and applying it twice changes nothing (a relabelled name
 * never returns to the pool). An agent applies the map to what it remembers when it next plays:
 * lazily, with no message and nothing new to save.
 */
public final class NamingPhases {

  /**
   * The game from {@code from} on.
   *
   * @param from    the interaction index from which it is in force
   * @param options the word ids offered, the pool's order then the added names'
   * @param success the payoff when both choices match
   * @param failure the payoff otherwise
   * @param relabel each word id's word id in this phase, or null when nothing was relabelled yet
   */
  public record Phase(long from, int[] options, int success, int failure, int[] relabel) {
    /** {@code word} as this phase calls it. */
    public int current(int word) {
      return relabel == null || word < 0 ? word : relabel[word];
    }
  }

  private final List<Phase> phases;
  private final long[] starts;

  private NamingPhases(List<Phase> phases) {
    this.phases = List.copyOf(phases);
    this.starts = phases.stream().mapToLong(Phase::from).toArray();
  }

  /** One phase for the whole run: the first {@code poolSize} words, at the given payoffs. */
  public static NamingPhases constant(int poolSize, int success, int failure) {
    return new NamingPhases(List.of(new Phase(0, range(poolSize), success, failure, null)));
  }

  /**
   * The phases of a valid spec.
   *
   * @param names every name by word id: the spec's pool, then each {@code addNames} name in order
   */
  public static NamingPhases of(ExperimentSpec spec, List<String> names) {
    int n = spec.population().size();
    int poolSize = spec.game().resolvedNames().size();
    List<Phase> phases = new ArrayList<>();
    Phase current = new Phase(0, range(poolSize), spec.game().payoff().success(), spec.game().payoff().failure(),
        null);
    phases.add(current);
    for (InterventionSpec item : spec.interventions()) {
      Phase next = switch (item.action()) {
        case InterventionSpec.RELABEL -> relabelled(current, names.indexOf(item.from()), names.indexOf(item.to()),
            names.size());
        case InterventionSpec.ADD_NAMES -> withNames(current, item.names(), names);
        case InterventionSpec.PAYOFF -> new Phase(0, current.options(),
            item.success() == null ? current.success() : item.success(),
            item.failure() == null ? current.failure() : item.failure(), current.relabel());
        default -> null;
      };
      if (next == null) {
        continue;
      }
      long index = item.index(n);
      current = new Phase(index, next.options(), next.success(), next.failure(), next.relabel());
      if (phases.get(phases.size() - 1).from() == index) {
        phases.set(phases.size() - 1, current); // changes at one index make one phase
      } else {
        phases.add(current);
      }
    }
    return new NamingPhases(phases);
  }

  private static Phase relabelled(Phase current, int from, int to, int words) {
    int[] map = current.relabel() == null ? range(words) : current.relabel().clone();
    for (int w = 0; w < map.length; w++) {
      if (map[w] == from) {
        map[w] = to;
      }
    }
    int[] options = java.util.Arrays.stream(current.options()).filter(w -> w != from).toArray();
    return new Phase(0, options, current.success(), current.failure(), map);
  }

  private static Phase withNames(Phase current, List<String> added, List<String> names) {
    int[] options = java.util.Arrays.copyOf(current.options(), current.options().length + added.size());
    for (int i = 0; i < added.size(); i++) {
      options[current.options().length + i] = names.indexOf(added.get(i));
    }
    return new Phase(0, options, current.success(), current.failure(), current.relabel());
  }

  private static int[] range(int size) {
    int[] words = new int[size];
    for (int i = 0; i < size; i++) {
      words[i] = i;
    }
    return words;
  }

  /** The position in {@link #phases()} of the phase in force at interaction {@code index}. */
  public int positionAt(long index) {
    int at = starts.length - 1;
    while (at > 0 && starts[at] > index) {
      at--;
    }
    return at;
  }

  /** The phase in force at interaction {@code index}. */
  public Phase at(long index) {
    return phases.get(positionAt(index));
  }

  /** The phases in order, the first from index 0. */
  public List<Phase> phases() {
    return phases;
  }
}
